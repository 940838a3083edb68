"""Storm watch and crisis mode: volume rollups, spike alerts and crisis periods (issue 16)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class SpikeRollup(SQLModel, table=True):
    """Mentions counted per brand, scope and 10-minute bucket, kept up to date at ingest.

    ``dim`` is "all" (the brand), "scenario" or "channel" and ``key`` its value ("" for all);
    ``bucket`` is the bucket's start in epoch seconds divided by 600. One upsert per bucket per
    ingest batch, never one per mention.
    """

    __tablename__ = "spike_rollup"
    __table_args__ = (
        UniqueConstraint("brand_id", "dim", "key", "bucket", name="uq_spike_rollup"),
        Index("ix_spike_rollup_brand_bucket", "brand_id", "bucket"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    dim: str = Field(max_length=16)
    key: str = Field(default="", max_length=80)
    bucket: int
    total: int = 0
    severe: int = 0  # S3 and S4
    negative: int = 0  # sentiment estimate "negative"


class SpikeState(SQLModel, table=True):
    """A brand's last spike alert: the one row a conditional UPDATE claims, so that two
    ingest processes seeing the same storm raise one alert per cooldown."""

    __tablename__ = "spike_state"

    brand_id: int = Field(foreign_key="brand.id", primary_key=True, ondelete="CASCADE")
    last_alert_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SpikeAlert(SQLModel, table=True):
    """A detected storm: what rose (volume, share of S3+, share of negative), where, how much."""

    __tablename__ = "spike_alert"
    __table_args__ = (Index("ix_spike_alert_brand_time", "brand_id", "detected_at"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)  # volume | severe | negative
    dim: str = Field(max_length=16)
    key: str = Field(default="", max_length=80)
    observed: float = 0
    expected: float = 0
    window_minutes: int = 30
    detected_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Every trigger of that pass (brand, scenarios, channels), for the alert's text and report.
    details: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    # Set by the worker once e-mail and chat deliveries were made (claimed once).
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivery_note: str | None = Field(default=None, sa_type=Text)


class CrisisPeriod(SQLModel, table=True):
    """A brand in crisis mode: its crisis playbook triages from ``started_at`` until ended.

    At most one open period per brand (a partial unique index: two leads switching it on at
    once make one crisis).
    """

    __tablename__ = "crisis_period"
    __table_args__ = (
        Index(
            "uq_crisis_open",
            "brand_id",
            unique=True,
            postgresql_where=text("ended_at IS NULL"),
            sqlite_where=text("ended_at IS NULL"),
        ),
        Index("ix_crisis_brand_started", "brand_id", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    reason: str = Field(max_length=500)
    spike_alert_id: int | None = Field(
        default=None, foreign_key="spike_alert.id", ondelete="SET NULL"
    )
    playbook_id: int | None = Field(default=None, foreign_key="playbook.id", ondelete="SET NULL")
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # planned end
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    end_note: str | None = Field(default=None, max_length=500)
