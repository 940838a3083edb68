"""Who is on shift, and every delivery of an urgent alert (who, which channel, what happened)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow

ALERT_CHANNELS = ("console", "email", "slack", "teams", "webhook", "none")
DELIVERY_STATUSES = ("delivered", "failed")


class ShiftState(SQLModel, table=True):
    """A community manager's current shift on one brand ("en service" / "hors service").

    One row per user and brand holds the present state; the audit trail keeps the history.
    Weekly schedules can later fill the same state.
    """

    __tablename__ = "shift_state"
    __table_args__ = (
        UniqueConstraint("user_id", "brand_id", name="uq_shift_state"),
        Index("ix_shift_state_brand", "brand_id", "on_shift"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    on_shift: bool = False
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


SENIORITIES = ("junior", "senior", "rapid")


class RoutingProfile(SQLModel, table=True):
    """What a community manager handles on one brand, for routing (issue 20).

    Empty lists mean "any". ``seniority`` "rapid" is the rapid intervention team (S3 and
    conflicts). ``max_open`` caps the open cases routing gives them. ``schedule`` is the weekly
    shift plan: {"mon": ["08:00", "16:00"], ...} in the brand's time zone; routing passes start
    and end ``ShiftState`` at those times (a manual switch in between wins).
    """

    __tablename__ = "routing_profile"
    __table_args__ = (UniqueConstraint("user_id", "brand_id", name="uq_routing_profile"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    languages: list[str] = Field(default_factory=list, sa_type=JSON)
    channels: list[str] = Field(default_factory=list, sa_type=JSON)
    skills: list[str] = Field(default_factory=list, sa_type=JSON)
    seniority: str = Field(default="junior", max_length=16)
    max_open: int = 10
    schedule: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AlertDelivery(SQLModel, table=True):
    """One delivery of an urgent alert: a person or an endpoint, by one channel, and its outcome.

    ``round`` is 0 for the first alert and counts the re-notifications after it. A round that
    found nobody to alert is kept as one ``none`` row so the failure is on record.
    """

    __tablename__ = "alert_delivery"
    __table_args__ = (Index("ix_alert_delivery_escalation", "escalation_id", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    escalation_id: int = Field(foreign_key="escalation.id", ondelete="CASCADE")
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    round: int = 0
    user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    recipient: str = Field(default="", max_length=500)  # address, user e-mail or endpoint
    channel: str = Field(max_length=16)  # console | email | slack | teams | webhook | none
    status: str = Field(max_length=16)  # delivered | failed
    error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
