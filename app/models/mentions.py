"""People, their platform identities, the mentions they post and how each was triaged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, SmallInteger, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow

# Loyalty tiers as the seeds name them (seed 000), highest first.
TIERS = ("Platine", "Or", "Argent", "Cuivre", "Fer blanc")
SEVERITIES = ("S0", "S1", "S2", "S3", "S4")


class Person(SQLModel, table=True):
    """One customer as the brand knows them, whatever the channels they write from."""

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    display_name: str = Field(default="", max_length=200)
    tier: str | None = Field(default=None, max_length=16)
    vip: bool = False
    notes: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Author(SQLModel, table=True):
    """A platform identity (an X handle, a Mastodon account…) belonging to a person."""

    __table_args__ = (
        UniqueConstraint("brand_id", "platform", "external_id", name="uq_author_identity"),
        Index("ix_author_handle_key", "brand_id", "handle_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=200)
    handle: str = Field(max_length=200)
    # The handle without domain or '@', lowercased: how one person is recognised across channels.
    handle_key: str = Field(default="", max_length=200)
    name: str | None = Field(default=None, max_length=200)
    followers: int = 0
    verified: bool = False
    url: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Mention(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("account_id", "external_id", name="uq_mention_platform_identity"),
        Index("ix_mention_brand_posted", "brand_id", "posted_at"),
        Index("ix_mention_case", "case_id", "posted_at"),
        Index("ix_mention_author", "author_id", "posted_at"),
        Index("ix_mention_thread", "brand_id", "thread_id"),
        Index("ix_mention_hide_state", "hide_state"),
        # The triage backlog: small (only untriaged rows), so claiming it never scans the table.
        Index(
            "ix_mention_untriaged",
            "brand_id",
            "id",
            postgresql_where=text("state = 'new'"),
            sqlite_where=text("state = 'new'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    account_id: int = Field(foreign_key="connector_account.id", ondelete="CASCADE")
    platform: str = Field(max_length=16)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=300)
    author_id: int = Field(foreign_key="author.id")
    case_id: int | None = Field(default=None, foreign_key="cases.id")
    # The cluster of near-duplicates it belongs to (app/services/clusters.py); None when alone.
    cluster_id: int | None = Field(default=None, foreign_key="mention_cluster.id", index=True)
    text: str = Field(sa_type=Text)
    lang: str | None = Field(default=None, max_length=8)
    url: str | None = Field(default=None, max_length=1000)
    thread_id: str | None = Field(default=None, max_length=300)
    in_reply_to: str | None = Field(default=None, max_length=300)
    visibility: str | None = Field(default=None, max_length=16)
    raw: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    state: str = Field(default="new", max_length=16)  # new → triaged | triage_failed
    # Failed triage passes: set aside as triage_failed after triage_claims.MAX_TRIAGE_ATTEMPTS.
    triage_attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    hidden: bool = False
    # Hiding on the platform is done by the worker: pending → done | unsupported | failed.
    hide_state: str | None = Field(default=None, max_length=16)
    hide_error: str | None = Field(default=None, sa_type=Text)
    # Found at triage (playbooks.references / playbooks.sentiment): [{"kind", "value"}], tone.
    customer_refs: list[dict[str, str]] | None = Field(default=None, sa_type=JSON)
    sentiment: str | None = Field(default=None, max_length=8)
    # A review's stars, 1 to 5 (Google Business Profile): a playbook condition (`rating`).
    rating: int | None = Field(default=None, sa_type=SmallInteger)
    posted_at: datetime = Field(sa_type=UTCDateTime)
    ingested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Triage(SQLModel, table=True):
    """A playbook's decision on a mention, or a reviewer's override of it (kept as history)."""

    __table_args__ = (Index("ix_triage_mention", "mention_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    mention_id: int = Field(foreign_key="mention.id", ondelete="CASCADE")
    playbook_id: int | None = Field(default=None, foreign_key="playbook.id")
    playbook_version: str | None = Field(default=None, max_length=64)
    source: str = Field(default="engine", max_length=16)  # engine | override
    severity: str = Field(max_length=2)
    scenarios: list[str] = Field(default_factory=list, sa_type=JSON)
    categories: list[str] = Field(default_factory=list, sa_type=JSON)
    action: str = Field(max_length=32)
    approver: str | None = Field(default=None, max_length=16)
    priority: int = 0
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    suggested_replies: list[str] = Field(default_factory=list, sa_type=JSON)
    language: str | None = Field(default=None, max_length=8)
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    reason: str | None = Field(default=None, sa_type=Text)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
