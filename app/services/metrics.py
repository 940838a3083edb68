"""The brand's headline figures: autonomy rate, first-response times, SLA compliance.

Seed 004, rule 4: the agency should handle at least 70% of mentions without the brand, the
desperate cases (S4) aside. A case counts as handled once it was answered or closed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.models import Case, utcnow

AUTONOMY_TARGET = 0.70


@dataclass(frozen=True)
class Figures:
    """What the portal and the reports show for a brand over a period."""

    handled: int
    autonomous: int
    autonomy_rate: float | None
    responded: int
    first_response_median: timedelta | None
    first_response_p90: timedelta | None
    sla_measured: int
    sla_met: int
    sla_compliance: float | None
    opened: int = 0
    escalated: int = 0  # cases the brand was asked about (approval or escalation)
    resolution_median: timedelta | None = None

    @property
    def escalation_rate(self) -> float | None:
        return self.escalated / self.opened if self.opened else None

    @property
    def autonomy_on_target(self) -> bool | None:
        return None if self.autonomy_rate is None else self.autonomy_rate >= AUTONOMY_TARGET


def _handled(case: Case) -> bool:
    return case.status == "closed" or case.first_response_at is not None


def autonomy(cases: Iterable[Case]) -> tuple[int, int, float | None]:
    """(handled, handled without the brand, their share), S4 cases left out."""
    handled = [c for c in cases if c.severity != "S4" and _handled(c)]
    alone = sum(1 for c in handled if not c.involved_brand)
    return len(handled), alone, (alone / len(handled) if handled else None)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile (the value a share of the cases stayed under)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float | None:
    """The middle value (mean of the two middle ones for an even count)."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def first_response_seconds(cases: Iterable[Case]) -> list[float]:
    """Seconds from opening to the first public answer, for the answered cases."""
    return [
        (c.first_response_at - c.opened_at).total_seconds()
        for c in cases
        if c.first_response_at is not None
    ]


def sla(cases: Iterable[Case], now: datetime) -> tuple[int, int, float | None]:
    """(cases measured, answered by their due time, the share): an unanswered case counts
    as missed once its due time passed, and is not measured before."""
    measured = met = 0
    for case in cases:
        if case.due_at is None:
            continue
        if case.first_response_at is not None:
            measured += 1
            met += case.first_response_at <= case.due_at
        elif case.due_at <= now:
            measured += 1
    return measured, met, (met / measured if measured else None)


def figures_for_cases(cases: Sequence[Case], now: datetime | None = None) -> Figures:
    """Compute the figures from a list of cases (pure: unit-testable on hand-made cases)."""
    now = now or utcnow()
    handled, alone, rate = autonomy(cases)
    seconds = first_response_seconds(cases)
    med, p90 = median(seconds), percentile(seconds, 0.9)
    measured, met, compliance = sla(cases, now)
    return Figures(
        handled=handled,
        autonomous=alone,
        autonomy_rate=rate,
        responded=len(seconds),
        first_response_median=timedelta(seconds=med) if med is not None else None,
        first_response_p90=timedelta(seconds=p90) if p90 is not None else None,
        sla_measured=measured,
        sla_met=met,
        sla_compliance=compliance,
        opened=len(cases),
        escalated=sum(1 for c in cases if c.involved_brand),
        resolution_median=_seconds(median(resolution_seconds(cases))),
    )


def _seconds(value: float | None) -> timedelta | None:
    return timedelta(seconds=value) if value is not None else None


def resolution_seconds(cases: Iterable[Case]) -> list[float]:
    """Seconds from opening to closing, for the closed cases."""
    return [
        (c.resolved_at - c.opened_at).total_seconds()
        for c in cases
        if c.status == "closed" and c.resolved_at is not None
    ]


REPORT_COLUMNS = (
    Case.brand_id,
    Case.severity,
    Case.status,
    Case.involved_brand,
    Case.opened_at,
    Case.first_response_at,
    Case.resolved_at,
    Case.due_at,
)


def figures_by_brand(
    *,
    session: Session,
    brand_ids: Iterable[int],
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> dict[int, Figures]:
    """Figures per brand for the cases opened in [start, end), from one query of plain rows."""
    ids = list(brand_ids)
    rows = session.exec(
        select(*REPORT_COLUMNS).where(  # type: ignore[call-overload]
            col(Case.brand_id).in_(ids), Case.opened_at >= start, Case.opened_at < end
        )
    ).all()
    grouped: dict[int, list[object]] = {brand_id: [] for brand_id in ids}
    for row in rows:
        grouped[row.brand_id].append(row)  # type: ignore[attr-defined]
    return {brand_id: figures_for_cases(cases, now) for brand_id, cases in grouped.items()}  # type: ignore[arg-type]


def brand_figures(
    *,
    session: Session,
    brand_ids: Iterable[int],
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> Figures:
    """The figures of the cases opened in [start, end) on the given (already scoped) brands."""
    cases = session.exec(
        select(Case).where(
            col(Case.brand_id).in_(list(brand_ids)),
            Case.opened_at >= start,
            Case.opened_at < end,
        )
    ).all()
    return figures_for_cases(list(cases), now)


def format_duration(value: timedelta | None) -> str:
    """A short human duration: '42 min', '3 h 05', '2 j 4 h'; '—' when unknown."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} j {hours} h"
