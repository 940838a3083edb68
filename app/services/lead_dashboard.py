"""The lead's live dashboard: what needs a lead now, across the brands they lead.

Every figure is an indexed aggregate or a short list (at most `LIST_LIMIT` rows) over live
tables, so the page can poll every few seconds: urgent cases and who holds them, cases at
risk (unanswered, due within 15 minutes) and late, each brand's queue size and age, each
CM's workload today, what waits on each brand (approvals, escalations) and since when, and
the connectors' health.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as _select
from sqlmodel import Session, col

from app.models import (
    Brand,
    Case,
    ConnectorAccount,
    Escalation,
    Membership,
    Reply,
    User,
)
from app.services.metrics import median
from app.services.queue import ACTIVE_STATUSES, RISK_MINUTES

# Plain column selects; typed loosely (mypy reads model attributes as values, not columns).
rows_of: Any = _select
LIST_LIMIT = 10
WORKER_ROLES = ("community_manager", "lead")
SENT_STATES = ("sent", "manual")


@dataclass
class CaseLine:
    """One case in a dashboard list."""

    id: int
    brand_id: int
    brand_name: str
    severity: str
    excerpt: str
    due_at: datetime | None
    opened_at: datetime
    holder: str | None  # who holds it now (None: nobody)


@dataclass
class BrandLine:
    """One brand's queue and what waits on the brand."""

    brand: Brand
    open: int = 0
    unassigned: int = 0
    oldest_open: datetime | None = None
    late: int = 0
    approvals: int = 0
    oldest_approval: datetime | None = None
    escalations: int = 0
    oldest_escalation: datetime | None = None


@dataclass
class CmLine:
    """One community manager's load: cases held now, handled today, median handling time."""

    user_id: int
    name: str
    claimed: int = 0
    handled_today: int = 0
    handling_median: timedelta | None = None


@dataclass
class ConnectorLine:
    id: int
    brand_name: str
    platform: str
    label: str
    status: str
    last_poll_at: datetime | None
    last_error: str | None


@dataclass
class Dashboard:
    now: datetime
    urgent: list[CaseLine] = field(default_factory=list)
    urgent_count: int = 0
    at_risk: list[CaseLine] = field(default_factory=list)
    at_risk_count: int = 0
    late: list[CaseLine] = field(default_factory=list)
    late_count: int = 0
    brands: list[BrandLine] = field(default_factory=list)
    cms: list[CmLine] = field(default_factory=list)
    connectors: list[ConnectorLine] = field(default_factory=list)

    @property
    def unhealthy(self) -> int:
        return sum(1 for c in self.connectors if c.status != "ok")


def _active() -> object:
    """Not closed, spelt as the open statuses: the (brand, status, …) index serves an IN."""
    return col(Case.status).in_(ACTIVE_STATUSES)


def _holders(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(rows_of(User.id, User.name, User.email).where(col(User.id).in_(ids)))
    return {r.id: r.name or r.email for r in rows}


def _lines(session: Session, stmt: object, names: dict[int, str], now: datetime) -> list[CaseLine]:
    rows = session.execute(stmt.limit(LIST_LIMIT)).all()  # type: ignore[attr-defined]
    holders = _holders(
        session,
        {
            r.assignee_id
            for r in rows
            if r.assignee_id and r.claim_expires_at and r.claim_expires_at > now
        },
    )
    return [
        CaseLine(
            id=r.id,
            brand_id=r.brand_id,
            brand_name=names.get(r.brand_id, ""),
            severity=r.severity,
            excerpt=r.excerpt,
            due_at=r.due_at,
            opened_at=r.opened_at,
            holder=holders.get(r.assignee_id)
            if r.claim_expires_at and r.claim_expires_at > now
            else None,
        )
        for r in rows
    ]


CASE_COLUMNS = (
    Case.id,
    Case.brand_id,
    Case.severity,
    Case.excerpt,
    Case.due_at,
    Case.opened_at,
    Case.assignee_id,
    Case.claim_expires_at,
)


def build(session: Session, *, brands: Sequence[Brand], now: datetime) -> Dashboard:
    """The dashboard over the given brands (already limited to those the lead leads)."""
    board = Dashboard(now=now)
    ids = [b.id for b in brands if b.id is not None]
    if not ids:
        return board
    names = {b.id: b.name for b in brands if b.id is not None}
    mine = col(Case.brand_id).in_(ids)
    unanswered = col(Case.first_response_at).is_(None)
    urgent_case_ids = rows_of(Escalation.case_id).where(
        col(Escalation.brand_id).in_(ids),
        Escalation.state == "open",
        Escalation.urgency == "urgent",
    )
    urgent = and_(mine, _active(), or_(Case.severity == "S4", col(Case.id).in_(urgent_case_ids)))  # type: ignore[arg-type]
    board.urgent = _lines(
        session, rows_of(*CASE_COLUMNS).where(urgent).order_by(col(Case.opened_at)), names, now
    )
    soon = and_(
        mine,
        _active(),  # type: ignore[arg-type]
        unanswered,
        col(Case.due_at) >= now,
        col(Case.due_at) <= now + timedelta(minutes=RISK_MINUTES),
    )
    board.at_risk = _lines(
        session, rows_of(*CASE_COLUMNS).where(soon).order_by(col(Case.due_at)), names, now
    )
    late = and_(mine, _active(), unanswered, col(Case.due_at) < now)  # type: ignore[arg-type]
    # The three counts in one pass over the brands' open cases.
    board.urgent_count, board.at_risk_count, board.late_count = session.execute(
        rows_of(
            func.count().filter(urgent), func.count().filter(soon), func.count().filter(late)
        ).where(mine, _active())
    ).one()
    board.late = _lines(
        session, rows_of(*CASE_COLUMNS).where(late).order_by(col(Case.due_at)), names, now
    )
    board.brands = _brand_lines(session, brands, ids, now)
    board.cms = _cm_lines(session, ids, now)
    board.connectors = _connectors(session, ids, names)
    return board


def _brand_lines(
    session: Session, brands: Sequence[Brand], ids: list[int], now: datetime
) -> list[BrandLine]:
    lines = {b.id: BrandLine(brand=b) for b in brands}
    held = and_(col(Case.assignee_id).is_not(None), col(Case.claim_expires_at) > now)
    free = case((held, 0), else_=1)
    for r in session.execute(
        rows_of(
            Case.brand_id,
            func.count(),
            func.min(Case.opened_at),
            func.sum(free),
        )
        .where(col(Case.brand_id).in_(ids), _active())  # type: ignore[arg-type]
        .group_by(Case.brand_id)
    ):
        line = lines[r[0]]
        line.open, line.oldest_open, line.unassigned = r[1], r[2], int(r[3] or 0)
    for brand_id, late in session.execute(
        rows_of(Case.brand_id, func.count())
        .where(
            col(Case.brand_id).in_(ids),
            _active(),  # type: ignore[arg-type]
            col(Case.first_response_at).is_(None),
            col(Case.due_at) < now,
        )
        .group_by(Case.brand_id)
    ):
        lines[brand_id].late = late
    for brand_id, count, oldest in session.execute(
        rows_of(Reply.brand_id, func.count(), func.min(Reply.created_at))
        .where(
            col(Reply.brand_id).in_(ids),
            Reply.approval_state == "pending",
            Reply.approver_role == "brand",
        )
        .group_by(Reply.brand_id)
    ):
        lines[brand_id].approvals, lines[brand_id].oldest_approval = count, oldest
    for brand_id, count, oldest in session.execute(
        rows_of(Escalation.brand_id, func.count(), func.min(Escalation.created_at))
        .where(col(Escalation.brand_id).in_(ids), Escalation.state == "open")
        .group_by(Escalation.brand_id)
    ):
        lines[brand_id].escalations, lines[brand_id].oldest_escalation = count, oldest
    return list(lines.values())


def start_of_day(now: datetime) -> datetime:
    return datetime(now.year, now.month, now.day, tzinfo=UTC)


def _cm_lines(session: Session, ids: list[int], now: datetime) -> list[CmLine]:
    people = session.execute(
        rows_of(User.id, User.name, User.email)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(col(Membership.brand_id).in_(ids), col(Membership.role).in_(WORKER_ROLES))
        .distinct()
    ).all()
    lines = {p.id: CmLine(user_id=p.id, name=p.name or p.email) for p in people}
    if not lines:
        return []
    for user_id, count in session.execute(
        rows_of(Case.assignee_id, func.count())
        .where(
            col(Case.brand_id).in_(ids),
            _active(),  # type: ignore[arg-type]
            col(Case.assignee_id).in_(list(lines)),
            col(Case.claim_expires_at) > now,
        )
        .group_by(Case.assignee_id)
    ):
        lines[user_id].claimed = count
    midnight = start_of_day(now)
    for user_id, count in session.execute(
        rows_of(Reply.author_user_id, func.count(func.distinct(Reply.case_id)))
        .where(
            col(Reply.brand_id).in_(ids),
            col(Reply.author_user_id).in_(list(lines)),
            col(Reply.outbox_state).in_(SENT_STATES),
            col(Reply.sent_at) >= midnight,
        )
        .group_by(Reply.author_user_id)
    ):
        lines[user_id].handled_today = count
    durations: dict[int, list[float]] = defaultdict(list)
    for r in session.execute(
        rows_of(Case.assignee_id, Case.opened_at, Case.resolved_at).where(
            col(Case.brand_id).in_(ids),
            Case.status == "closed",
            col(Case.assignee_id).in_(list(lines)),
            col(Case.resolved_at) >= midnight,
        )
    ):
        durations[r.assignee_id].append((r.resolved_at - r.opened_at).total_seconds())
    for user_id, values in durations.items():
        middle = median(values)
        lines[user_id].handling_median = None if middle is None else timedelta(seconds=middle)
    return sorted(lines.values(), key=lambda line: (-line.claimed, -line.handled_today, line.name))


def _connectors(session: Session, ids: list[int], names: dict[int, str]) -> list[ConnectorLine]:
    rows = session.execute(
        rows_of(ConnectorAccount)
        .where(col(ConnectorAccount.brand_id).in_(ids), col(ConnectorAccount.is_active))
        .order_by(col(ConnectorAccount.status) == "ok", col(ConnectorAccount.brand_id))
    ).scalars()
    return [
        ConnectorLine(
            id=a.id or 0,
            brand_name=names.get(a.brand_id, ""),
            platform=a.platform,
            label=a.label or a.handle,
            status=a.status,
            last_poll_at=a.last_poll_at,
            last_error=a.last_error,
        )
        for a in rows
    ]
