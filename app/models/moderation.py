"""Moderation actions carried out on a platform (delete a comment, and what other platforms add:
ban an author, hold a comment for review), each asked for in a case and done by the worker.

Hides keep their own columns on the mention (``Mention.hide_state``): they are reversible and
need no approval. Moves between states: ``app/services/moderation_actions.py``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow

#: pending_approval → queued | rejected; queued → sending → done | queued | unknown | failed;
#: unknown → done | queued | failed. A request cancelled before it leaves → cancelled.
MODERATION_STATES = (
    "pending_approval",
    "queued",
    "sending",
    "unknown",
    "done",
    "failed",
    "rejected",
    "cancelled",
)
_LIVE = "state NOT IN ('done', 'failed', 'rejected', 'cancelled')"


class ModerationAction(SQLModel, table=True):
    __tablename__ = "moderation_action"
    __table_args__ = (
        Index("ix_moderation_action_due", "state", "next_attempt_at"),
        Index("ix_moderation_action_case", "case_id", "created_at"),
        # One live request per mention and kind: two people asking at once make one request.
        Index(
            "uq_moderation_action_live",
            "mention_id",
            "kind",
            unique=True,
            postgresql_where=text(_LIVE),
            sqlite_where=text(_LIVE),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    case_id: int | None = Field(default=None, foreign_key="cases.id", ondelete="CASCADE")
    mention_id: int = Field(foreign_key="mention.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)  # delete | ban | hold …
    state: str = Field(default="pending_approval", max_length=16)
    reason: str | None = Field(default=None, sa_type=Text)
    # Who approves a request by someone without the permission: a lead, or the brand when the
    # case's decision reserves it to the brand (playbook delegation: approver brand, escalations).
    approver: str = Field(
        default="lead", max_length=16, sa_column_kwargs={"server_default": "lead"}
    )
    requested_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    attempts: int = 0
    checks: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
