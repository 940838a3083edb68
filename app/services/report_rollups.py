"""Keep the daily report rollups (`report_day`) in step with the cases, incrementally.

The worker calls `refresh` every minute (app/worker/runner.py). For each brand it reads a
signature of every day of the last 90 (count of cases opened that day, sum of their versions,
answers, closings, latest activity: one indexed aggregate), and recomputes only the days whose
signature changed since the last pass, plus the last `FRESH_DAYS` days whose figures move with
time alone (a due time passing, the 72 h first-contact-resolution window). Days are UTC days,
cases are counted on the day they were opened. A PostgreSQL advisory lock per brand keeps two
workers from rewriting the same rows at once (SQLite: the write lock).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, cast, delete, func, text
from sqlalchemy import select as rows_of
from sqlmodel import Session, col, select

from app.models import (
    Author,
    Brand,
    Case,
    Escalation,
    Mention,
    Reply,
    ReportDay,
    ReportDayMark,
    utcnow,
)
from app.services import report_histograms as hist
from app.services.case_locks import hold_write_lock

HISTORY_DAYS = 90
FRESH_DAYS = 4  # covers the 72 h first-contact window and due times passing
FCR_WINDOW = timedelta(hours=72)
# pg_advisory_xact_lock(namespace, brand id): one rollup pass per brand at a time.
REPORT_ROLLUP_LOCK = 0x56525031
SENT_STATES = ("sent", "manual")
CHUNK = 900  # ids per IN list


@dataclass
class CaseFact:
    """What the rollup needs of one case (plain values, no ORM object)."""

    id: int
    channel: str
    severity: str
    scenario: str
    status: str
    involved_brand: bool
    opened_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    due_at: datetime | None
    mention_count: int
    person_id: int | None
    assignee_id: int | None
    answerer: int | None = None
    followed_up: bool = False  # a customer message within 72 h of the first answer
    brand_waits: list[float] = field(default_factory=list)

    @property
    def handled(self) -> bool:
        return self.status == "closed" or self.first_response_at is not None


def measure(facts: Sequence[CaseFact], now: datetime) -> dict[str, Any]:
    """The rollup columns for a group of cases (same rules as app/services/metrics.py)."""
    handled = [f for f in facts if f.handled]
    base = [f for f in handled if f.severity != "S4"]
    measured = met = 0
    for fact in facts:
        if fact.due_at is None:
            continue
        if fact.first_response_at is not None:
            measured += 1
            met += fact.first_response_at <= fact.due_at
        elif fact.due_at <= now:
            measured += 1
    closed = [f for f in facts if f.status == "closed" and f.resolved_at is not None]
    fcr = [f for f in closed if f.first_response_at is not None]
    return {
        "cases": len(facts),
        "mentions": sum(f.mention_count for f in facts),
        "handled": len(handled),
        "autonomy_base": len(base),
        "autonomy_alone": sum(1 for f in base if not f.involved_brand),
        "escalated": sum(1 for f in facts if f.involved_brand),
        "responded": sum(1 for f in facts if f.first_response_at is not None),
        "sla_measured": measured,
        "sla_met": met,
        "closed": len(closed),
        "fcr_base": len(fcr),
        "fcr_met": sum(1 for f in fcr if not f.followed_up),
        "brand_asks": sum(len(f.brand_waits) for f in facts),
        "first_response": hist.build(
            (f.first_response_at - f.opened_at).total_seconds()
            for f in facts
            if f.first_response_at is not None
        ),
        "handling": hist.build(
            (f.resolved_at - f.opened_at).total_seconds() for f in closed if f.resolved_at
        ),
        "brand_turnaround": hist.build(w for f in facts for w in f.brand_waits),
    }


def rollup_rows(brand_id: int, day: date, facts: Sequence[CaseFact], now: datetime) -> list[dict]:
    """The report_day rows of one brand's day: the whole day ("d": what the figures read), by
    channel × severity ("cs") and by scenario ("sc": volumes), by CM ("cm")."""
    facets: dict[tuple[str, str, str, str], list[CaseFact]] = defaultdict(list)
    for fact in facts:
        facets[("d", "", "", "")].append(fact)
        facets[("cs", fact.channel, fact.severity, "")].append(fact)
        facets[("sc", "", "", fact.scenario)].append(fact)
        if fact.answerer is not None:
            facets[("cm", "", "", str(fact.answerer))].append(fact)
    return [
        {
            "brand_id": brand_id,
            "day": day,
            "facet": facet,
            "channel": channel,
            "severity": severity,
            "key": key,
            **measure(group, now),
        }
        for (facet, channel, severity, key), group in sorted(facets.items())
    ]


def day_of(session: Session, column: Any) -> Any:
    """The UTC calendar day of a timestamp column, in SQL."""
    if session.connection().dialect.name == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def signatures(session: Session, brand_id: int, since: date) -> dict[date, str]:
    """Per opening day: a fingerprint of the brand's cases that changes with any of them."""
    day = day_of(session, Case.opened_at)
    rows = session.execute(
        rows_of(
            day,
            func.count(),
            func.sum(Case.version),
            func.count(Case.first_response_at),  # type: ignore[arg-type]
            func.count(Case.resolved_at),  # type: ignore[arg-type]
            func.max(Case.last_activity_at),
        )
        .where(Case.brand_id == brand_id, Case.opened_at >= _start_of(since))  # type: ignore[arg-type]
        .group_by(day)
    ).all()
    return {_as_date(r[0]): ":".join(str(v) for v in r[1:])[:200] for r in rows}


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def load_facts(session: Session, brand_id: int, start: datetime, end: datetime) -> list[CaseFact]:
    """The brand's cases opened in [start, end) with who answered, follow-ups and brand waits."""
    rows = session.execute(
        rows_of(  # type: ignore[call-overload, misc]
            Case.id,
            Case.channel,
            Case.severity,
            Case.scenario,
            Case.status,
            Case.involved_brand,
            Case.opened_at,
            Case.first_response_at,
            Case.resolved_at,
            Case.due_at,
            Case.mention_count,
            Case.person_id,
            Case.assignee_id,
        ).where(Case.brand_id == brand_id, Case.opened_at >= start, Case.opened_at < end)
    ).all()
    facts = {
        r.id: CaseFact(
            id=r.id,
            channel=r.channel or "",
            severity=r.severity,
            scenario=r.scenario or "",
            status=r.status,
            involved_brand=bool(r.involved_brand),
            opened_at=r.opened_at,
            first_response_at=r.first_response_at,
            resolved_at=r.resolved_at,
            due_at=r.due_at,
            mention_count=r.mention_count,
            person_id=r.person_id,
            assignee_id=r.assignee_id,
        )
        for r in rows
    }
    ids = sorted(facts)
    for chunk in _chunks(ids):
        _replies(session, facts, chunk)
        _escalations(session, facts, chunk)
    _follow_ups(session, brand_id, [f for f in facts.values() if f.first_response_at])
    for fact in facts.values():
        if fact.answerer is None and fact.first_response_at is not None:
            fact.answerer = fact.assignee_id
    return list(facts.values())


def _replies(session: Session, facts: dict[int, CaseFact], ids: Sequence[int]) -> None:
    rows = session.execute(
        rows_of(  # type: ignore[call-overload]
            Reply.case_id,
            Reply.author_user_id,
            Reply.outbox_state,
            Reply.sent_at,
            Reply.created_at,
            Reply.approver_role,
            Reply.approved_at,
        ).where(col(Reply.case_id).in_(ids))
    ).all()
    first_sent: dict[int, datetime] = {}
    for r in rows:
        fact = facts[r.case_id]
        if r.approver_role == "brand" and r.approved_at is not None:
            fact.brand_waits.append((r.approved_at - r.created_at).total_seconds())
        if r.outbox_state in SENT_STATES and r.author_user_id is not None:
            at = r.sent_at or r.created_at
            if r.case_id not in first_sent or at < first_sent[r.case_id]:
                first_sent[r.case_id] = at
                fact.answerer = r.author_user_id


def _escalations(session: Session, facts: dict[int, CaseFact], ids: Sequence[int]) -> None:
    rows = session.execute(
        rows_of(Escalation.case_id, Escalation.created_at, Escalation.answered_at).where(  # type: ignore[call-overload]
            col(Escalation.case_id).in_(ids), col(Escalation.answered_at).is_not(None)
        )
    ).all()
    for r in rows:
        facts[r.case_id].brand_waits.append((r.answered_at - r.created_at).total_seconds())


def _follow_ups(session: Session, brand_id: int, answered: list[CaseFact]) -> None:
    """Mark the answered cases whose person wrote again within 72 h of the first answer
    (in this case or another of the brand's: a new case is still a second message)."""
    if not answered:
        return
    low = min(f.first_response_at for f in answered if f.first_response_at)
    high = max(f.first_response_at for f in answered if f.first_response_at) + FCR_WINDOW
    by_person: dict[int, list[CaseFact]] = defaultdict(list)
    no_person: dict[int, CaseFact] = {}
    for fact in answered:
        if fact.person_id is not None:
            by_person[fact.person_id].append(fact)
        else:
            no_person[fact.id] = fact
    persons = sorted(by_person)
    for chunk in _chunks(persons):
        posted = session.execute(
            rows_of(Author.person_id, Mention.posted_at)  # type: ignore[call-overload]
            .join(Author, col(Author.id) == Mention.author_id)
            .where(
                col(Author.person_id).in_(chunk),
                Mention.brand_id == brand_id,
                Mention.posted_at > low,
                Mention.posted_at <= high,
            )
        ).all()
        for person_id, at in posted:
            for fact in by_person[person_id]:
                _note(fact, at)
    for chunk in _chunks(sorted(no_person)):
        posted = session.execute(
            rows_of(Mention.case_id, Mention.posted_at).where(  # type: ignore[call-overload]
                col(Mention.case_id).in_(chunk), Mention.posted_at > low
            )
        ).all()
        for case_id, at in posted:
            _note(no_person[case_id], at)


def _note(fact: CaseFact, posted_at: datetime) -> None:
    answered = fact.first_response_at
    if answered is not None and answered < posted_at <= answered + FCR_WINDOW:
        fact.followed_up = True


def lock_brand(session: Session, brand_id: int) -> None:
    """Serialise rollup passes over one brand until the transaction ends."""
    if session.connection().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :brand)"),
            {"namespace": REPORT_ROLLUP_LOCK, "brand": brand_id},
        )
    else:
        hold_write_lock(session)


def refresh_brand(session: Session, brand_id: int, now: datetime) -> int:
    """Recompute the brand's changed and recent days; return how many days were rewritten."""
    lock_brand(session, brand_id)
    today = now.astimezone(UTC).date()
    since = today - timedelta(days=HISTORY_DAYS)
    current = signatures(session, brand_id, since)
    marks = {
        m.day: m
        for m in session.exec(
            select(ReportDayMark).where(
                ReportDayMark.brand_id == brand_id, ReportDayMark.day >= since
            )
        ).all()
    }
    recent = {today - timedelta(days=n) for n in range(FRESH_DAYS)}
    stale = sorted(
        day
        for day in set(current) | set(marks)
        if day in recent or marks.get(day) is None or marks[day].signature != current.get(day)
    )
    for day in stale:
        start = _start_of(day)
        facts = load_facts(session, brand_id, start, start + timedelta(days=1))
        session.execute(
            delete(ReportDay).where(col(ReportDay.brand_id) == brand_id, col(ReportDay.day) == day)
        )
        rows = rollup_rows(brand_id, day, facts, now)
        if rows:
            session.execute(ReportDay.__table__.insert(), rows)  # type: ignore[attr-defined]
        mark = marks.get(day)
        if day not in current:
            if mark is not None:
                session.delete(mark)
            continue
        if mark is None:
            mark = ReportDayMark(brand_id=brand_id, day=day)
        mark.signature = current[day]
        mark.refreshed_at = now
        session.add(mark)
    return len(stale)


def refresh(
    session: Session, *, brand_ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Bring the rollups of the given brands (all by default) up to date, one transaction per
    brand (committed here: the worker's job); return the number of days rewritten."""
    now = now or utcnow()
    ids = (
        list(brand_ids)
        if brand_ids is not None
        else [b for b in session.exec(select(Brand.id)).all() if b is not None]
    )
    total = 0
    for brand_id in ids:
        total += refresh_brand(session, brand_id, now)
        session.commit()
    return total


def refreshed_at(session: Session, brand_ids: Sequence[int]) -> datetime | None:
    """When the rollups of these brands were last brought up to date (None: never)."""
    if not brand_ids:
        return None
    return session.exec(
        select(func.max(ReportDayMark.refreshed_at)).where(
            col(ReportDayMark.brand_id).in_(list(brand_ids))
        )
    ).one()
