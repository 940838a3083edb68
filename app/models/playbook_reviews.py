"""Four-eyes publishing: a proposed playbook version waiting for someone else's decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class PlaybookReview(SQLModel, table=True):
    """One proposal of one playbook version: pending, then approved (published) or rejected.

    `needs_brand` is true when the version changes the `delegation:` section: delegation is the
    brand's authority, so only the brand owner may approve it (issue 18, part 4).
    """

    __tablename__ = "playbook_review"
    __table_args__ = (Index("ix_playbook_review_brand_state", "brand_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    playbook_id: int = Field(foreign_key="playbook.id", ondelete="CASCADE", index=True)
    state: str = Field(default="pending", max_length=16)  # pending | approved | rejected
    needs_brand: bool = False
    # The earlier version this proposal re-publishes (a rollback), else None.
    rollback_of_id: int | None = Field(default=None, foreign_key="playbook.id", ondelete="SET NULL")
    comment: str = Field(default="", sa_type=Text)
    proposed_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    proposed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Backtest figures when proposed: severities before/after and mentions changed.
    figures: dict | None = Field(default=None, sa_type=JSON)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_comment: str = Field(default="", sa_type=Text)
