"""Clusters of near-duplicate mentions, their stored signatures, and waves answering them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class MentionCluster(SQLModel, table=True):
    """Near-identical mentions of one brand across authors and channels (a wave)."""

    __tablename__ = "mention_cluster"
    __table_args__ = (Index("ix_cluster_brand_last", "brand_id", "last_at"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    size: int = 0
    # The scenario of the mention that founded it: a case of another scenario is an outlier.
    scenario: str | None = Field(default=None, max_length=100)
    sample_mention_id: int | None = Field(default=None)
    sample_text: str = Field(default="", max_length=300)
    first_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClusterSignature(SQLModel, table=True):
    """A stored MinHash signature, found again through its band keys (`ClusterBand`)."""

    __tablename__ = "cluster_signature"

    mention_id: int = Field(foreign_key="mention.id", primary_key=True, ondelete="CASCADE")
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE", index=True)
    cluster_id: int | None = Field(default=None, foreign_key="mention_cluster.id")
    posted_at: datetime = Field(sa_type=UTCDateTime)
    minhash: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ClusterBand(SQLModel, table=True):
    """One LSH band key (or link key) of a stored signature: the lookup of candidates."""

    __tablename__ = "cluster_band"

    brand_id: int = Field(foreign_key="brand.id", primary_key=True, ondelete="CASCADE")
    band: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    mention_id: int = Field(
        foreign_key="cluster_signature.mention_id", primary_key=True, ondelete="CASCADE"
    )
    is_link: bool = False


class WaveState(StrEnum):
    """Where a wave reply stands; moves between them: ``app.services.waves.WAVE_MOVES``."""

    RUNNING = "running"
    STOPPED = "stopped"
    DONE = "done"
    CANCELLED = "cancelled"


WAVE_STATES = tuple(s.value for s in WaveState)


class Wave(SQLModel, table=True):
    """One reply sent to many mentions (a cluster or a selection), released at the platforms'
    pace by the worker; each mention keeps its own reply, delegation and outbox record."""

    __table_args__ = (Index("ix_wave_state", "state", "brand_id"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE", index=True)
    cluster_id: int | None = Field(default=None, foreign_key="mention_cluster.id")
    state: str = Field(default="running", max_length=16)
    body: str = Field(sa_type=Text)
    canned_reply_id: int | None = Field(default=None, foreign_key="canned_reply.id")
    override_reason: str = Field(default="", sa_type=Text)
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WaveItem(SQLModel, table=True):
    """One mention of a wave: pending until its turn, then its reply (or why it was skipped)."""

    __tablename__ = "wave_item"
    __table_args__ = (
        UniqueConstraint("wave_id", "mention_id", name="uq_wave_item_mention"),
        Index("ix_wave_item_due", "wave_id", "state", "due_at"),
        Index("ix_wave_item_mention", "mention_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    wave_id: int = Field(foreign_key="wave.id", ondelete="CASCADE")
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    mention_id: int = Field(foreign_key="mention.id", ondelete="CASCADE")
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    platform: str = Field(max_length=16)
    # pending → released (a reply exists: queued, or waiting for its approval) | skipped
    state: str = Field(default="pending", max_length=16)
    due_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    reply_id: int | None = Field(default=None, foreign_key="reply.id")
    note: str | None = Field(default=None, sa_type=Text)


class PersonLink(SQLModel, table=True):
    """A suggested "same person?" link between two people of a brand, until a CM decides."""

    __tablename__ = "person_link"
    __table_args__ = (
        UniqueConstraint("person_id", "other_id", name="uq_person_link_pair"),
        Index("ix_person_link_state", "brand_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")  # the lower id
    other_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    reasons: str = Field(default="", max_length=300)  # name, text, link (comma separated)
    state: str = Field(default="suggested", max_length=16)  # suggested | confirmed | dismissed
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AccountPace(SQLModel, table=True):
    """When a connector account may post its next paced reply (``app.services.send_pace``):
    one row per account, moved forward atomically by whichever worker posts, so waves and the
    team's replies through one account share the platform's pace across processes."""

    __tablename__ = "account_pace"

    account_id: int = Field(
        foreign_key="connector_account.id", primary_key=True, ondelete="CASCADE"
    )
    next_send_at: datetime = Field(sa_type=UTCDateTime)
