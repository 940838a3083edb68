"""What reaches people: in-app notifications, sent e-mails and webhooks, and answer clocks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class Notification(SQLModel, table=True):
    """One line in a user's bell: an approval to give, an answer received, a reminder.

    Stored as data: `kind` and `params` are rendered in the reader's language
    (app.services.notification_messages). `text` is the French sentence, what rows from before
    `params` existed (params NULL) show.
    """

    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)
    # none_as_null: "no params" is SQL NULL, like the rows from before the column.
    params: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    text: str = Field(max_length=500)
    link: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutgoingMessage(SQLModel, table=True):
    """An alert that left Vigie (e-mail or webhook), kept so admins can read what was sent."""

    __tablename__ = "outgoing_message"
    __table_args__ = (Index("ix_outgoing_brand_time", "brand_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    channel: str = Field(max_length=16)  # email | webhook
    transport: str = Field(max_length=16)  # smtp | sink | http
    recipient: str = Field(max_length=500)
    subject: str = Field(default="", max_length=300)
    body: str = Field(sa_type=Text)
    status: str = Field(default="sent", max_length=16)  # sent | stored | failed
    error: str | None = Field(default=None, sa_type=Text)
    escalation_id: int | None = Field(
        default=None, foreign_key="escalation.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AnswerClock(SQLModel, table=True):
    """The brand's answer clock on a pending approval or an open escalation.

    Its presence means the approvers were told; stage 0 is the primary approvers, 1 adds the
    brand's fallback owners, 2 the agency leads (when the brand allows it).
    """

    __tablename__ = "answer_clock"
    __table_args__ = (
        UniqueConstraint("target_type", "target_id", name="uq_answer_clock_target"),
        Index("ix_answer_clock_due", "stopped_at", "deadline_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    target_type: str = Field(max_length=16)  # reply | escalation
    target_id: int
    urgency: str = Field(default="normal", max_length=16)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deadline_at: datetime = Field(sa_type=UTCDateTime)
    stage: int = 0
    reminders: int = 0
    last_reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    stopped_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
