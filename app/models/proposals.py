"""Playbook proposals computed from reviewers' corrections (issue 18, parts 1 and 3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow

# queued → running → done | failed. One queued-or-running job per brand (partial unique index):
# a second request while one computes joins it instead of starting another.
PROPOSAL_JOB_STATES = ("queued", "running", "done", "failed")


class ProposalJob(SQLModel, table=True):
    """One computation of a brand's proposals, run by a worker, with its progress and result."""

    __tablename__ = "proposal_job"
    __table_args__ = (
        Index("ix_proposal_job_brand", "brand_id", "id"),
        Index(
            "uq_proposal_job_active",
            "brand_id",
            unique=True,
            sqlite_where=text("state IN ('queued', 'running')"),
            postgresql_where=text("state IN ('queued', 'running')"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    state: str = Field(default="queued", max_length=16)
    progress: int = 0  # percent
    step: str = Field(default="", max_length=120)
    owner: str | None = Field(default=None, max_length=120)
    requested_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    base_playbook_id: int | None = Field(
        default=None, foreign_key="playbook.id", ondelete="SET NULL"
    )
    result: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
