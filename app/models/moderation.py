"""Moderation actions on a platform (hold, reject, publish, ban, delete) and per-day API quotas.

A `ModerationAction` is asked for in a case, waits for a lead's or the brand's approval when
the action is sensitive (ban, delete), and is carried out by the worker
(`app/worker/moderation.py`): awaiting_approval → pending → done | failed | unsupported, or
refused by the approver, or cancelled. `check_first` is set when an attempt's outcome is
unknown: the worker reads the comment's status on the platform before sending again.
`started_at` is the worker's claim on a pending action (two workers: one sends). Hides keep
their own columns on the mention (`Mention.hide_state`): reversible, no approval.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow

MODERATION_STATES = (
    "awaiting_approval",
    "pending",
    "done",
    "failed",
    "unsupported",
    "refused",
    "cancelled",
)


class ModerationAction(SQLModel, table=True):
    __tablename__ = "moderation_action"
    __table_args__ = (
        Index("ix_moderation_action_state", "state", "id"),
        Index("ix_moderation_action_case", "case_id", "id"),
        # One open request per action and mention: two clicks at once make one request.
        Index(
            "uq_moderation_action_open",
            "mention_id",
            "action",
            unique=True,
            postgresql_where=text("state IN ('awaiting_approval', 'pending')"),
            sqlite_where=text("state IN ('awaiting_approval', 'pending')"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    mention_id: int = Field(foreign_key="mention.id", ondelete="CASCADE")
    account_id: int = Field(foreign_key="connector_account.id", ondelete="CASCADE")
    action: str = Field(max_length=16)  # connectors.moderation.ACTIONS
    state: str = Field(default="pending", max_length=24)
    approver: str | None = Field(default=None, max_length=16)  # lead | brand, when needed
    check_first: bool = False
    attempts: int = 0
    error: str | None = Field(default=None, sa_type=Text)
    reason: str | None = Field(default=None, sa_type=Text)  # why it was asked (shown to approvers)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # a worker's claim
    requested_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PlatformQuota(SQLModel, table=True):
    """Units of a platform's daily quota an account spent (YouTube: 10,000 a day)."""

    __tablename__ = "platform_quota"

    account_id: int = Field(
        foreign_key="connector_account.id", primary_key=True, ondelete="CASCADE"
    )
    day: date = Field(primary_key=True)
    units: int = 0
