"""The report's figures for a set of brands over a span of days, read from the daily rollups.

Entry point (the reports page and the monthly client report both call it):

    report = report_figures.build_report(
        session=session, brand_ids=[...already scoped...], first_day=date, last_day=date,
        with_cms=True,  # per-CM figures: leads only, never brand owners
    )

`report.totals` (a `Tally`) holds the period's figures, `report.by_brand[brand_id]` each
brand's, `report.daily` one `DayFigures` per day (volumes by channel and severity, first
response median/p90, SLA compliance, autonomy), `report.scenarios` the scenario mix and
`report.cms` the per-CM figures. Cases count on the UTC day they were opened (as the
portal's figures); the rollups are kept by app/services/report_rollups.py, so a figure is
at most one worker pass old. Percentiles are read from histograms (report_histograms):
exact to within 1 minute under an hour, 5 minutes under 4 hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as _select
from sqlmodel import Session, col, select

from app.models import ReportDay, User
from app.services import report_histograms as hist
from app.services.metrics import AUTONOMY_TARGET

FIRST_RESPONSE_TARGET = timedelta(hours=1)  # 66% of people expect an answer within 1 hour
FIRST_RESPONSE_MAXIMUM = timedelta(hours=4)  # the ESCDA standard's maximum
RISK_WINDOW = timedelta(minutes=15)
COUNTS = (
    "cases",
    "mentions",
    "handled",
    "autonomy_base",
    "autonomy_alone",
    "escalated",
    "responded",
    "sla_measured",
    "sla_met",
    "closed",
    "fcr_base",
    "fcr_met",
    "brand_asks",
)
HISTOGRAMS = ("first_response", "handling", "brand_turnaround")
MAX_DAYS = 366
# Plain column selects; typed loosely (mypy reads model attributes as values, not columns).
rows_of: Any = _select
MEASURES = tuple(getattr(ReportDay, name) for name in (*COUNTS, *HISTOGRAMS))


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _duration(seconds: float | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=seconds)


@dataclass
class Tally:
    """Counts and duration histograms added up over rollup rows, with the figures they give."""

    cases: int = 0
    mentions: int = 0
    handled: int = 0
    autonomy_base: int = 0
    autonomy_alone: int = 0
    escalated: int = 0
    responded: int = 0
    sla_measured: int = 0
    sla_met: int = 0
    closed: int = 0
    fcr_base: int = 0
    fcr_met: int = 0
    brand_asks: int = 0
    first_response: list[int] = field(default_factory=hist.empty)
    handling: list[int] = field(default_factory=hist.empty)
    brand_turnaround: list[int] = field(default_factory=hist.empty)
    # Percentiles already read (the page asks for each one several times).
    _percentiles: dict[tuple[str, float], float | None] = field(default_factory=dict, repr=False)

    def _percentile(self, name: str, fraction: float) -> timedelta | None:
        key = (name, fraction)
        if key not in self._percentiles:
            self._percentiles[key] = hist.percentile(getattr(self, name), fraction)
        return _duration(self._percentiles[key])

    def add(self, row: Any) -> None:
        """Add another tally's (or a rollup row's) counts and histograms."""
        self.add_values(
            [getattr(row, name) for name in COUNTS], [getattr(row, name) for name in HISTOGRAMS]
        )

    def add_values(self, counts: Sequence[int], histograms: Sequence[Any]) -> None:
        """Add counts (in COUNTS order) and histograms (in HISTOGRAMS order)."""
        self._percentiles.clear()
        values = self.__dict__  # plain dataclass fields: no per-name getattr/setattr
        for name, value in zip(COUNTS, counts, strict=True):
            values[name] += value
        for name, histogram in zip(HISTOGRAMS, histograms, strict=True):
            hist.merge(values[name], histogram)

    @property
    def autonomy_rate(self) -> float | None:
        """Share of handled cases (S4 aside) handled without the brand."""
        return _ratio(self.autonomy_alone, self.autonomy_base)

    @property
    def autonomy_on_target(self) -> bool | None:
        rate = self.autonomy_rate
        return None if rate is None else rate >= AUTONOMY_TARGET

    @property
    def escalation_rate(self) -> float | None:
        """Share of the period's cases on which the brand was asked."""
        return _ratio(self.escalated, self.cases)

    @property
    def sla_compliance(self) -> float | None:
        return _ratio(self.sla_met, self.sla_measured)

    @property
    def fcr_rate(self) -> float | None:
        """Share of closed, answered cases with no second customer message within 72 h."""
        return _ratio(self.fcr_met, self.fcr_base)

    @property
    def first_response_median(self) -> timedelta | None:
        return self._percentile("first_response", 0.5)

    @property
    def first_response_p90(self) -> timedelta | None:
        return self._percentile("first_response", 0.9)

    @property
    def within_target(self) -> float | None:
        """Share of first responses within the 1 h target."""
        return hist.share_within(self.first_response, FIRST_RESPONSE_TARGET.total_seconds())

    @property
    def within_maximum(self) -> float | None:
        """Share of first responses within the 4 h maximum."""
        return hist.share_within(self.first_response, FIRST_RESPONSE_MAXIMUM.total_seconds())

    @property
    def handling_median(self) -> timedelta | None:
        return self._percentile("handling", 0.5)

    @property
    def handling_p90(self) -> timedelta | None:
        return self._percentile("handling", 0.9)

    @property
    def brand_turnaround_median(self) -> timedelta | None:
        """How fast the brand answered approvals and escalations (median)."""
        return self._percentile("brand_turnaround", 0.5)


@dataclass
class DayFigures:
    """One day of the period: its tally plus its volume split by channel and by severity."""

    day: date
    tally: Tally = field(default_factory=Tally)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)


@dataclass
class CmFigures:
    """One community manager's figures over the cases they answered first."""

    user_id: int
    name: str
    tally: Tally


@dataclass
class Report:
    """Everything the reports page, its CSV exports and the monthly report show."""

    first_day: date
    last_day: date
    brand_ids: list[int]
    totals: Tally
    by_brand: dict[int, Tally]
    daily: list[DayFigures]
    channels: list[str]
    severities: list[str]
    scenarios: list[tuple[str, int]]
    cms: list[CmFigures] | None  # None: not shown to this reader

    @property
    def days(self) -> list[date]:
        return [d.day for d in self.daily]


def period(days: int, today: date) -> tuple[date, date]:
    """The last `days` days up to and including today."""
    return today - timedelta(days=days - 1), today


def parse_range(raw_from: str | None, raw_to: str | None, today: date) -> tuple[date, date] | None:
    """A custom range from two ISO dates, or None when either is missing or makes no sense
    (reversed, in the future, longer than a year)."""
    try:
        first = date.fromisoformat((raw_from or "").strip())
        last = date.fromisoformat((raw_to or "").strip())
    except ValueError:
        return None
    if first > last or last > today or (last - first).days >= MAX_DAYS:
        return None
    return first, last


def build_report(
    *,
    session: Session,
    brand_ids: Iterable[int],
    first_day: date,
    last_day: date,
    with_cms: bool,
) -> Report:
    """The figures of the cases opened from `first_day` to `last_day` (both included) on the
    given brands, which the caller has already limited to what the reader may see."""
    ids = sorted(set(brand_ids))
    count = (last_day - first_day).days + 1
    daily = [DayFigures(first_day + timedelta(days=n)) for n in range(count)]
    totals = Tally()
    by_brand: dict[int, Tally] = {brand_id: Tally() for brand_id in ids}
    per_cm: dict[int, Tally] = {}
    in_period = (
        col(ReportDay.brand_id).in_(ids),
        ReportDay.day >= first_day,
        ReportDay.day <= last_day,
    )
    facets = ["d", "cm"] if with_cms else ["d"]
    # Plain rows, not ORM objects: a year of days per brand reads in a few milliseconds.
    measured = rows_of(ReportDay.brand_id, ReportDay.day, ReportDay.facet, ReportDay.key, *MEASURES)
    edge = 4 + len(COUNTS)  # where the counts end and the histograms start
    for row in session.execute(measured.where(*in_period, col(ReportDay.facet).in_(facets))):
        brand_id, day, facet, key = row[:4]
        counts, histograms = row[4:edge], row[edge:]
        if facet == "d":
            daily[(day - first_day).days].tally.add_values(counts, histograms)
            by_brand[brand_id].add_values(counts, histograms)
        elif key.isdigit():
            per_cm.setdefault(int(key), Tally()).add_values(counts, histograms)
    for tally in by_brand.values():
        totals.add(tally)
    channels: set[str] = set()
    severities: set[str] = set()
    for column, split, names in (
        (ReportDay.channel, "by_channel", channels),
        (ReportDay.severity, "by_severity", severities),
    ):
        volumes = rows_of(ReportDay.day, column, func.sum(ReportDay.cases))
        for day, name, cases in session.execute(
            volumes.where(*in_period, ReportDay.facet == "cs").group_by(ReportDay.day, column)
        ):
            getattr(daily[(day - first_day).days], split)[name] = int(cases)
            names.add(name)
    scenarios = {
        key: int(cases)
        for key, cases in session.execute(
            rows_of(ReportDay.key, func.sum(ReportDay.cases))
            .where(*in_period, ReportDay.facet == "sc")
            .group_by(ReportDay.key)
        )
    }
    return Report(
        first_day=first_day,
        last_day=last_day,
        brand_ids=ids,
        totals=totals,
        by_brand=by_brand,
        daily=daily,
        channels=sorted(channels),
        severities=sorted(severities),
        scenarios=sorted(scenarios.items(), key=lambda item: (-item[1], item[0])),
        cms=_cms(session, per_cm) if with_cms else None,
    )


def _cms(session: Session, per_cm: dict[int, Tally]) -> list[CmFigures]:
    if not per_cm:
        return []
    names = dict(
        session.exec(
            select(User.id, User.name).where(col(User.id).in_(list(per_cm)))  # type: ignore[call-overload]
        ).all()
    )
    return sorted(
        (
            CmFigures(user_id=uid, name=names.get(uid) or f"#{uid}", tally=tally)
            for uid, tally in per_cm.items()
        ),
        key=lambda cm: (-cm.tally.cases, cm.name),
    )
