"""Daily report rollups: each brand's case figures per day, kept by app/services/report_rollups.py.

The reports read these few thousand rows instead of aggregating 100,000 cases per request.
One row per (brand, case-opening day, facet, keys): facet "d" holds the whole day (the figures
read it), "cs" splits by channel and severity and "sc" by scenario (the volumes read their
counts), "cm" by the community manager who answered first (key = user id).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow

REPORT_FACETS = ("d", "cs", "sc", "cm")


class ReportDay(SQLModel, table=True):
    """The figures of one brand's cases opened on one day, for one slice (facet and keys)."""

    __tablename__ = "report_day"
    __table_args__ = (
        UniqueConstraint(
            "brand_id", "facet", "day", "channel", "severity", "key", name="uq_report_day"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    day: date
    facet: str = Field(max_length=2)
    channel: str = Field(default="", max_length=32)
    severity: str = Field(default="", max_length=2)
    key: str = Field(default="", max_length=100)
    cases: int = 0
    mentions: int = 0
    handled: int = 0
    autonomy_base: int = 0  # handled, S4 left out
    autonomy_alone: int = 0  # of those, handled without the brand
    escalated: int = 0  # the brand was asked (approval or escalation)
    responded: int = 0
    sla_measured: int = 0
    sla_met: int = 0
    closed: int = 0
    fcr_base: int = 0  # closed and answered
    fcr_met: int = 0  # of those, no second customer message within 72 h of the answer
    brand_asks: int = 0  # brand approvals and escalation answers given
    # Duration histograms, counts per bucket (app/services/report_histograms.py): exact
    # counts, percentiles read to the bucket's upper bound.
    first_response: list[int] = Field(default_factory=list, sa_type=JSON)
    handling: list[int] = Field(default_factory=list, sa_type=JSON)
    brand_turnaround: list[int] = Field(default_factory=list, sa_type=JSON)


class ReportDayMark(SQLModel, table=True):
    """What a brand's day looked like when its rollup was last computed (skip it if unchanged)."""

    __tablename__ = "report_day_mark"
    __table_args__ = (Index("ix_report_day_mark_brand", "brand_id", "day", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    day: date
    signature: str = Field(default="", max_length=200)
    refreshed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MonthlyReportFile(SQLModel, table=True):
    """A brand's monthly client report as PDF, made once by the worker (or on first download)."""

    __tablename__ = "monthly_report"
    __table_args__ = (UniqueConstraint("brand_id", "month", name="uq_monthly_report"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    month: str = Field(max_length=7)  # YYYY-MM
    language: str = Field(default="fr", max_length=8)
    pdf: bytes = Field(sa_type=LargeBinary)
    generated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    mailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
