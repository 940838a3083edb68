"""Cases (what a community manager works on), the replies written in them and escalations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, Text, text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class CaseStatus(StrEnum):
    """Where a case stands; moves between them: app/services/case_states.py."""

    OPEN = "open"
    PENDING_APPROVAL = "pending_approval"  # a reply waits for a lead or the brand
    ESCALATED = "escalated"  # the brand is asked
    WAITING = "waiting"  # answered: waiting for the person (a new mention reopens it)
    CLOSED = "closed"


class ApprovalState(StrEnum):
    """A reply's approval; moves between them: ``approvals.APPROVAL_MOVES``."""

    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class OutboxState(StrEnum):
    """A reply on its way to the platform; moves between them: app/services/outbox_states.py."""

    DRAFT = "draft"
    QUEUED = "queued"
    SENDING = "sending"
    UNKNOWN = "unknown"  # the platform may have published it: checked there before any retry
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    MANUAL = "manual"  # the channel cannot post it: a person copies it and confirms
    REFUSED = "refused"  # refused as duplicate content: the CM sends a variation (reply_variants)


class EscalationState(StrEnum):
    """An escalation to the brand; moves between them: ``escalations.ESCALATION_MOVES``."""

    OPEN = "open"
    ANSWERED = "answered"
    HANDLED = "handled"


# The stored values (the columns stay VARCHAR: a StrEnum value equals today's string).
CASE_STATUSES = tuple(s.value for s in CaseStatus)
APPROVAL_STATES = tuple(s.value for s in ApprovalState)
OUTBOX_STATES = tuple(s.value for s in OutboxState)
ESCALATION_STATES = tuple(s.value for s in EscalationState)


class Case(SQLModel, table=True):
    __tablename__ = "cases"  # "case" is reserved in SQL
    __table_args__ = (
        # The queue: open work ordered by priority then SLA due time, overall and per brand.
        Index("ix_case_queue", "status", "pinned", "priority", "due_at", "id"),
        Index("ix_case_brand_queue", "brand_id", "status", "pinned", "priority", "due_at", "id"),
        Index("ix_case_person", "person_id", "opened_at"),
        Index("ix_case_thread", "brand_id", "thread_id"),
        Index("ix_case_assignee", "assignee_id", "status"),
        # Reports and their rollups read a brand's cases by opening day.
        Index("ix_case_brand_opened", "brand_id", "opened_at"),
        # The lead dashboard: each CM's cases closed today.
        Index("ix_case_assignee_resolved", "assignee_id", "resolved_at"),
        # The queue count (every poll that misses its cache): open cases only, index-only.
        Index(
            "ix_case_open_count",
            "brand_id",
            "severity",
            "cluster_id",
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="open", max_length=20)
    severity: str = Field(default="S1", max_length=2)
    scenario: str | None = Field(default=None, max_length=100)
    action: str = Field(default="reply", max_length=32)
    approver: str | None = Field(default=None, max_length=16)
    priority: int = 0
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    pinned: bool = False
    channel: str | None = Field(default=None, max_length=32)
    language: str | None = Field(default=None, max_length=8)
    excerpt: str = Field(default="", max_length=300)
    thread_id: str | None = Field(default=None, max_length=300)
    assignee_id: int | None = Field(default=None, foreign_key="users.id")
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claim_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    mention_count: int = 0
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    first_response_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_activity_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sla_breached_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_reason: str | None = Field(default=None, max_length=32)
    # True once the brand was asked (approval or escalation): the autonomy rate counts these.
    involved_brand: bool = False
    # The mention whose triage sets the case's decision (its most serious one): the case page
    # and approval cards show its explanation. No foreign key: a mention moves between cases.
    decision_mention_id: int | None = Field(default=None)
    # Folded into this cluster's one queue row while it stays S0–S2 (app/services/clusters.py).
    cluster_id: int | None = Field(default=None, foreign_key="mention_cluster.id", index=True)
    # Bumped by every action that changes what the case is (app/services/case_locks.py): a form
    # carries the version its user saw, and an action on a case that moved on since is refused.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


_PRIVATE_LIVE = "kind = 'private' AND outbox_state <> 'cancelled'"


class Reply(SQLModel, table=True):
    __table_args__ = (
        Index("ix_reply_outbox", "outbox_state", "next_attempt_at"),
        Index("ix_reply_case", "case_id", "created_at"),
        Index("ix_reply_approval", "brand_id", "approval_state"),
        # The lead dashboard: what each CM sent today.
        Index("ix_reply_author_sent", "author_user_id", "sent_at"),
        # A private reply to a comment: once per comment (Meta refuses a second one).
        Index(
            "uq_reply_private_once",
            "mention_id",
            unique=True,
            postgresql_where=text(_PRIVATE_LIVE),
            sqlite_where=text(_PRIVATE_LIVE),
        ),
        # The automatic acknowledgement of a conversation: once per case.
        Index(
            "uq_reply_ack_once",
            "case_id",
            unique=True,
            postgresql_where=text("kind = 'ack'"),
            sqlite_where=text("kind = 'ack'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    mention_id: int | None = Field(default=None, foreign_key="mention.id")
    author_user_id: int | None = Field(default=None, foreign_key="users.id")
    text: str = Field(sa_type=Text)
    # public (under the mention) | private (Meta's private reply to a comment) | ack (the
    # automatic acknowledgement of a private conversation, app/services/dm_ack.py)
    kind: str = Field(
        default="public", max_length=16, sa_column_kwargs={"server_default": "public"}
    )
    original_text: str | None = Field(default=None, sa_type=Text)
    canned_reply_id: int | None = Field(default=None, foreign_key="canned_reply.id")
    canned_reply_version: int | None = None
    proofreading: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    proofreading_override: str | None = Field(default=None, sa_type=Text)
    approval_state: str = Field(default="not_required", max_length=16)
    approver_role: str | None = Field(default=None, max_length=16)
    approved_by_id: int | None = Field(default=None, foreign_key="users.id")
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    approval_comment: str | None = Field(default=None, sa_type=Text)
    approval_deadline_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outbox_state: str = Field(default="draft", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set when a worker starts a send: a crash mid-send leaves it set, so the reply is checked,
    # not blindly posted again.
    sending_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sending_owner: str | None = Field(default=None, max_length=200)
    # The earliest moment this reply may have reached the platform (where checks look from).
    first_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checks: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # What went wrong as a code the UI translates (app.services.worker_errors); last_error
    # holds the platform's raw words (before codes existed: the whole French sentence).
    last_error_code: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, sa_type=Text)
    idempotency_key: str = Field(unique=True, max_length=64)
    external_id: str | None = Field(default=None, max_length=300)
    external_url: str | None = Field(default=None, max_length=1000)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Escalation(SQLModel, table=True):
    __table_args__ = (Index("ix_escalation_brand_state", "brand_id", "state", "deadline_at"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE", index=True)
    reason: str = Field(sa_type=Text)
    urgency: str = Field(default="normal", max_length=16)  # normal | urgent
    state: str = Field(default="open", max_length=16)  # open | answered | handled
    requested_by_id: int | None = Field(default=None, foreign_key="users.id")
    answer_text: str | None = Field(default=None, sa_type=Text)
    answer_kind: str | None = Field(default=None, max_length=16)  # instructions | reply
    answered_by_id: int | None = Field(default=None, foreign_key="users.id")
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deadline_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminder_count: int = 0
    last_reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ack_token_hash: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
