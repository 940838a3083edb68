"""Onboarding a brand from its history (issue 18, part 7): the wizard's row and its import jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow

# The wizard's steps, in order; "done" once the playbook is published and replies are picked.
ONBOARDING_STEPS = ("template", "history", "backtest", "delegation", "replies", "done")
# queued → running → done | failed, like the proposals job (one queued-or-running per brand).
HISTORY_IMPORT_STATES = ("queued", "running", "done", "failed")


class Onboarding(SQLModel, table=True):
    """One brand's onboarding: the sector template chosen, the step reached, what was decided.

    One open onboarding per brand (partial unique index): the editor leaves and comes back to it.
    """

    __tablename__ = "brand_onboarding"
    __table_args__ = (
        Index(
            "uq_brand_onboarding_open",
            "brand_id",
            unique=True,
            sqlite_where=text("step != 'done'"),
            postgresql_where=text("step != 'done'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE", index=True)
    sector: str | None = Field(default=None, max_length=16)
    step: str = Field(default="template", max_length=16)
    playbook_id: int | None = Field(default=None, foreign_key="playbook.id", ondelete="SET NULL")
    review_id: int | None = Field(
        default=None, foreign_key="playbook_review.id", ondelete="SET NULL"
    )
    # The backtest of the template on the imported history, computed once per draft version.
    figures: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    replies: list[str] = Field(default_factory=list, sa_type=JSON)  # starter reply keys installed
    replies_saved: bool = False  # step 5 done (possibly with no reply picked)
    created_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class HistoryImport(SQLModel, table=True):
    """One import of past mentions (a checked CSV, or a connected account's history), run by a
    worker with its progress; the imported mentions are stored as history, never triaged live."""

    __tablename__ = "history_import"
    __table_args__ = (
        Index("ix_history_import_brand", "brand_id", "id"),
        Index(
            "uq_history_import_active",
            "brand_id",
            unique=True,
            sqlite_where=text("state IN ('queued', 'running')"),
            postgresql_where=text("state IN ('queued', 'running')"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    onboarding_id: int = Field(foreign_key="brand_onboarding.id", ondelete="CASCADE")
    source: str = Field(default="csv", max_length=16)  # csv | account
    account_id: int | None = Field(
        default=None, foreign_key="connector_account.id", ondelete="SET NULL"
    )
    filename: str = Field(default="", max_length=200)
    state: str = Field(default="queued", max_length=16)
    progress: int = 0  # percent
    total: int = 0
    imported: int = 0
    skipped: int = 0  # already stored (a file imported twice)
    rows: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)  # checked CSV rows
    owner: str | None = Field(default=None, max_length=120)
    error: str | None = Field(default=None, sa_type=Text)
    requested_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
