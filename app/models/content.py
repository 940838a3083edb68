"""What playbook editors write: playbook versions and canned replies with their history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class Playbook(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("brand_id", "number", name="uq_playbook_number"),
        Index("ix_playbook_brand_status", "brand_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    number: int = 1
    version: str = Field(max_length=64)  # content hash from the engine
    source: str = Field(sa_type=Text)
    status: str = Field(default="draft", max_length=16)  # draft | published | archived
    # "normal", or "crisis": the brand's crisis variant, published alongside the normal one and
    # triaging only while the brand is in crisis mode (issue 16).
    kind: str = Field(default="normal", max_length=16)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    published_by_id: int | None = Field(default=None, foreign_key="users.id")
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CannedReply(SQLModel, table=True):
    __tablename__ = "canned_reply"
    __table_args__ = (UniqueConstraint("brand_id", "key", "language", name="uq_canned_reply_key"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=120)
    language: str = Field(default="fr", max_length=8)
    title: str = Field(max_length=200)
    body: str = Field(sa_type=Text)
    scenarios: list[str] = Field(default_factory=list, sa_type=JSON)
    channels: list[str] = Field(default_factory=list, sa_type=JSON)
    status: str = Field(default="draft", max_length=16)  # draft | approved
    version: int = 1
    usage_count: int = 0
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CannedReplyChange(SQLModel, table=True):
    """How many committed transactions changed the brand's canned replies (one row a brand,
    bumped at commit by app/services/canned_changes.py): each process keeps the brand's replies
    under it."""

    __tablename__ = "canned_reply_change"

    brand_id: int = Field(
        foreign_key="brand.id",
        primary_key=True,
        ondelete="CASCADE",
        sa_column_kwargs={"autoincrement": False},
    )
    n: int = Field(default=0, sa_type=BigInteger)


class CannedReplyVersion(SQLModel, table=True):
    __tablename__ = "canned_reply_version"
    __table_args__ = (
        UniqueConstraint("canned_reply_id", "version", name="uq_canned_reply_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    canned_reply_id: int = Field(foreign_key="canned_reply.id", ondelete="CASCADE")
    version: int
    title: str = Field(max_length=200)
    body: str = Field(sa_type=Text)
    scenarios: list[str] = Field(default_factory=list, sa_type=JSON)
    status: str = Field(max_length=16)
    changed_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # An approval over blocking findings keeps them and the reason typed, as a sent reply does
    # (Reply.proofreading / proofreading_override), for the overridden-rules report.
    proofreading: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    proofreading_override: str | None = Field(default=None, sa_type=Text)


class BrandLexicon(SQLModel, table=True):
    """A brand's own lexicon, edited in the console; a playbook names it with `stored:`."""

    __tablename__ = "brand_lexicon"
    __table_args__ = (UniqueConstraint("brand_id", "name", name="uq_brand_lexicon_name"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    language: str = Field(default="fr", max_length=8)  # or "*": every language of the playbook
    terms: str = Field(default="", sa_type=Text)  # lexicon-file syntax, one entry per line
    # Bumped on every change: compiled playbooks are cached under the lexicons' versions.
    version: int = 1
    updated_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
