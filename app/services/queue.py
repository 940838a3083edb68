"""The queue: filters, keyset paging, counts, filter choices and the SLA colour."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, func, literal, or_, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import (
    SEVERITIES,
    Author,
    Brand,
    Case,
    Person,
    User,
    utcnow,
)
from app.params import digits
from app.services import case_references, case_states, clusters, moderation_filters, queue_cursor
from app.services.batch_get import get_many
from app.services.bulk import in_param
from app.services.claims import claim_active

PAGE_SIZE = 50
# The lifecycle lists the statuses (case_states); the queue shows them in that order.
ACTIVE_STATUSES = tuple(status.value for status in case_states.ACTIVE)
QUEUE_STATUSES = (*ACTIVE_STATUSES, case_states.CLOSED.value)
# "team": held by anyone on the brands the queue shows (routing gives each CM their share).
ASSIGNEE_CHOICES = ("anyone", "me", "team", "nobody")
# The lead dashboard's links: unanswered cases due within RISK_MINUTES ("soon") or past due.
DUE_CHOICES = ("soon", "late")
RISK_MINUTES = 15


# Followers from which an author is shown as an influencer.
INFLUENCER_FOLLOWERS = 10_000
# SLA colours: amber under this many minutes left, red once breached.
SLA_WARN_MINUTES = 30
CHOICES_SAMPLE = 5000
CHOICE_COLUMNS = ("scenario", "channel", "language")


@dataclass(frozen=True)
class QueueFilters:
    """What the community manager narrowed the queue to; round-trips through the URL."""

    brand_id: int | None = None
    severity: str | None = None
    scenario: str | None = None
    channel: str | None = None
    status: str = "open"
    assignee: str = "anyone"
    language: str | None = None
    q: str = ""
    # Only cases whose customer is owed a holding update ("relance due"), whatever the status.
    holding_due: bool = False
    held: bool = False  # only cases with a comment held for review on the platform (YouTube)
    due: str | None = None  # "soon" | "late": unanswered, due within 15 minutes or past due
    cm: int | None = None  # held now by this user (the lead dashboard's workload links)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> QueueFilters:
        """Read filters from query arguments, ignoring values that make no sense."""

        def text(name: str, limit: int = 100) -> str | None:
            value = (args.get(name) or "").strip()[:limit]
            return value or None

        brand = text("brand")
        status = text("status") or "open"
        assignee = text("assignee") or "anyone"
        severity = text("severity")
        due, cm = text("due", 8), text("cm", 12)
        return cls(
            brand_id=int(brand) if brand and digits(brand) else None,
            severity=severity if severity in SEVERITIES else None,
            scenario=text("scenario"),
            channel=text("channel", 32),
            status=status if status in QUEUE_STATUSES else "open",
            assignee=assignee if assignee in ASSIGNEE_CHOICES else "anyone",
            language=text("language", 8),
            q=text("q", 200) or "",
            holding_due=text("relance", 8) == "due",
            held=text("held", 1) == "1",
            due=due if due in DUE_CHOICES else None,
            cm=int(cm) if cm and digits(cm) else None,
        )

    def to_args(self) -> dict[str, str]:
        """The non-default filters as query arguments (for links and the poller)."""
        values = {
            "brand": str(self.brand_id) if self.brand_id else "",
            "severity": self.severity or "",
            "scenario": self.scenario or "",
            "channel": self.channel or "",
            "status": "" if self.status == "open" else self.status,
            "assignee": "" if self.assignee == "anyone" else self.assignee,
            "language": self.language or "",
            "q": self.q,
            "relance": "due" if self.holding_due else "",
            "held": "1" if self.held else "",
            "due": self.due or "",
            "cm": str(self.cm) if self.cm else "",
        }
        return {k: v for k, v in values.items() if v}

    @property
    def narrowed(self) -> bool:
        """True when any filter is set (the empty state then suggests clearing them)."""
        return bool(self.to_args())


# What the queue reads of a case: the row template's (queue_rows.CASE_READS), the claim, the
# paging cursor, the customer's wait and the clock's next move (queue_poll.clock_moves). Read
# as a plain row, not a Case: building ~100 ORM objects (every column, JSON decoded, identity
# map) per page cost more than reading them.
ROW_COLUMNS: tuple[Any, ...] = tuple(
    getattr(Case, name)
    for name in (
        "id",
        "brand_id",
        "person_id",
        "status",
        "severity",
        "scenario",
        "channel",
        "language",
        "excerpt",
        "mention_count",
        "pinned",
        "priority",
        "due_at",
        "opened_at",
        "assignee_id",
        "claim_expires_at",
    )
)
# A queue row's case: a Case, or a row of ROW_COLUMNS (read by the same attribute names).
RowCase: TypeAlias = Any


def row_cases(base: SelectOfScalar[Case], *extra: Any) -> Select[Any]:
    """The SELECT of ROW_COLUMNS (and `extra`) under the caller's brand-scoped `base`
    (``g.scope.select(Case, ...)``: its condition carried over, and nothing else)."""
    scope = [base.whereclause] if base.whereclause is not None else []
    return sa_select(*ROW_COLUMNS, *extra).where(*scope)


@dataclass(frozen=True)
class RowPerson:
    """What a queue row shows of the case's person (queue_rows.PERSON_READS): a plain row, not
    a Person, since building a hundred ORM objects per page cost more than reading them."""

    id: int
    display_name: str | None
    tier: str | None
    vip: bool


@dataclass
class QueueRow:
    """One case as the queue shows it, with what it needs from related tables."""

    case: RowCase
    brand_name: str
    person: RowPerson | None
    handle: str | None
    influence: int
    assignee_label: str | None
    claimed: bool
    urgent: bool = False  # an open urgent escalation (the pinned block above the queue)
    waiting: case_references.Waiting | None = None  # waiting on the brand: holding update due?

    @classmethod
    def bare(cls, case: RowCase) -> QueueRow:
        """The case alone, before decorate_rows reads what goes with it."""
        return cls(case, "", None, None, 0, None, False)

    @property
    def influencer(self) -> bool:
        return self.influence >= INFLUENCER_FOLLOWERS


@dataclass
class QueuePage:
    rows: list[QueueRow]
    next_cursor: str | None


def _conditions(
    session: Session, filters: QueueFilters, user_id: int | None, now: datetime
) -> list[ColumnElement[bool]]:
    """Every condition of the filters, the "relance due" one included (it reads brands)."""
    conds = _filter_conditions(filters, user_id, now)
    if filters.holding_due:
        conds.append(case_references.holding_due_condition(session, now))
    return conds


def _filter_conditions(
    filters: QueueFilters, user_id: int | None, now: datetime
) -> list[ColumnElement[bool]]:
    # "Relance due" concerns cases waiting on the brand: the status filter then only narrows.
    waiting = case_references.WAITING_STATUSES
    if filters.holding_due and filters.status not in waiting:
        conds: list[ColumnElement[bool]] = [col(Case.status).in_(waiting)]
    else:
        conds = [col(Case.status) == filters.status]
        if filters.status == "open":
            conds.append(clusters.unfolded())  # a wave's cases: one row of their own (cluster_view)
    if filters.brand_id:
        conds.append(col(Case.brand_id) == filters.brand_id)
    if filters.severity:
        conds.append(col(Case.severity) == filters.severity)
    if filters.scenario:
        conds.append(col(Case.scenario) == filters.scenario)
    if filters.channel:
        conds.append(col(Case.channel) == filters.channel)
    if filters.language:
        conds.append(col(Case.language) == filters.language)
    if filters.held:
        conds.append(moderation_filters.held_for_review())
    if filters.q:
        pattern = "%" + filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        by_text = col(Case.excerpt).ilike(pattern + "%", escape="\\")
        # A reference typed in the search box finds its case (issue 20).
        by_reference = case_references.reference_search(filters.q)
        conds.append(by_text if by_reference is None else or_(by_text, by_reference))
    if filters.due:
        conds.append(col(Case.first_response_at).is_(None))
        if filters.due == "late":
            conds.append(col(Case.due_at) < now)
        else:
            conds.append(col(Case.due_at) >= now)
            conds.append(col(Case.due_at) <= now + timedelta(minutes=RISK_MINUTES))
    if filters.cm:
        conds.append(col(Case.assignee_id) == filters.cm)
        conds.append(col(Case.claim_expires_at) > now)
    if filters.assignee == "me":
        conds.append(col(Case.assignee_id) == user_id)
        conds.append(col(Case.claim_expires_at) > now)
    elif filters.assignee == "team":
        conds.append(col(Case.assignee_id).is_not(None))
        conds.append(col(Case.claim_expires_at) > now)
    elif filters.assignee == "nobody":
        conds.append(
            or_(
                col(Case.assignee_id).is_(None),
                col(Case.claim_expires_at).is_(None),
                col(Case.claim_expires_at) <= now,
            )
        )
    return conds


def queue_page(
    *,
    session: Session,
    base: SelectOfScalar[Case],
    filters: QueueFilters,
    user_id: int | None,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime | None = None,
    decorate: bool = True,
) -> QueuePage:
    """One page of the queue: pinned first, then priority, then SLA due time (keyset paging).

    ``base`` is the caller's brand-scoped SELECT of cases (``g.scope.select(Case, ...)``).
    Without ``decorate`` the rows hold their case only (``queue_screen`` decorates them).
    """
    now = now or utcnow()
    stmt = row_cases(base).where(*_conditions(session, filters, user_id, now))
    cursor = queue_cursor.decode_cursor(after)
    if cursor is not None:
        nulls_first = session.get_bind().dialect.name == "sqlite"
        stmt = stmt.where(queue_cursor.after_cursor(cursor, nulls_first))
    stmt = stmt.order_by(
        col(Case.pinned).desc(),
        col(Case.priority).desc(),
        col(Case.due_at).asc(),
        col(Case.id).asc(),
    ).limit(limit + 1)
    cases = list(session.exec(stmt).all())  # type: ignore[call-overload]
    has_more = len(cases) > limit
    cases = cases[:limit]
    rows = decorate_rows(session, cases, now) if decorate else [QueueRow.bare(c) for c in cases]
    next_cursor = queue_cursor.encode_cursor(cases[-1]) if has_more else None
    return QueuePage(rows=rows, next_cursor=next_cursor)


def queue_count(
    *,
    session: Session,
    base: SelectOfScalar[Case],
    filters: QueueFilters,
    user_id: int | None,
    now: datetime | None = None,
) -> int:
    """How many cases match the filters (the tab title and the header show it)."""
    stmt = base.where(*_conditions(session, filters, user_id, now or utcnow()))
    return session.exec(select(func.count()).select_from(stmt.subquery())).one()


# Each person with their authors' top audience and first handle, in one statement built once
# (building it cost a quarter of a millisecond per page).
_PEOPLE = (
    select(  # type: ignore[call-overload]  # six columns: past sqlmodel's overloads
        col(Person.id),
        col(Person.display_name),
        col(Person.tier),
        col(Person.vip),
        func.max(Author.followers),
        func.min(Author.handle),
    )
    .outerjoin(Author, col(Author.person_id) == col(Person.id))
    .where(in_param(col(Person.id), "person_ids"))
    .group_by(col(Person.id))
)


def decorate_rows(session: Session, cases: Sequence[RowCase], now: datetime) -> list[QueueRow]:
    """Fetch brands, people, handles and assignees of a page in a few batched queries."""
    if not cases:
        return []
    brand_ids = {c.brand_id for c in cases}
    person_ids = {c.person_id for c in cases if c.person_id}
    user_ids = {c.assignee_id for c in cases if c.assignee_id}
    brand_rows = get_many(session, Brand, brand_ids)  # often read already in the request
    brands = {i: b.name for i, b in brand_rows.items()}
    waiting = case_references.waiting_for(session, cases, brand_rows, now)  # type: ignore[arg-type]
    people: dict[int, RowPerson] = {}
    influence: dict[int, int] = {}
    handles: dict[int, str] = {}
    if person_ids:
        rows = session.exec(_PEOPLE, params={"person_ids": sorted(person_ids)})  # type: ignore[call-overload]
        for person_id, name, tier, vip, followers, handle in rows:
            people[person_id] = RowPerson(person_id, name, tier, bool(vip))
            influence[person_id] = followers or 0
            if handle is not None:
                handles[person_id] = handle
    users = get_many(session, User, user_ids)
    rows = []
    for case in cases:
        user = users.get(case.assignee_id or 0)
        rows.append(
            QueueRow(
                case=case,
                brand_name=brands.get(case.brand_id, ""),
                person=people.get(case.person_id or 0),
                handle=handles.get(case.person_id or 0),
                influence=influence.get(case.person_id or 0, 0),
                assignee_label=(user.name or user.email) if user else None,
                claimed=claim_active(case, now),
                waiting=waiting.get(case.id or 0),
            )
        )
    return rows


def queue_choices(*, session: Session, base: SelectOfScalar[Case]) -> dict[str, list[str]]:
    """Scenarios, channels and languages present in the visible active cases, for the filters."""
    # The newest few thousand active cases are enough to list the values in use, and reading
    # them backwards on the primary key stays fast however long the queue grows.
    sub = (
        base.where(col(Case.status).in_(ACTIVE_STATUSES))
        .order_by(col(Case.id).desc())
        .limit(CHOICES_SAMPLE)
        .subquery()
    )
    # One statement for the three lists (each sorted by the database, as its own query was).
    parts = []
    for name in CHOICE_COLUMNS:
        column = sub.c[name]
        listed = (
            select(literal(name).label("name"), column.label("value"))
            .where(column.is_not(None))
            .distinct()
            .order_by(column)
            .limit(100)
            .subquery()
        )
        parts.append(select(listed.c.name, listed.c.value))
    both = union_all(*parts).subquery()
    choices: dict[str, list[str]] = {name: [] for name in CHOICE_COLUMNS}
    for name, value in session.exec(  # type: ignore[call-overload]
        select(both.c.name, both.c.value).order_by(both.c.name, both.c.value)
    ):
        if value:
            choices[name].append(value)
    return choices


def sla_state(due_at: datetime | None, now: datetime | None = None) -> str:
    """'ok', 'warn' (deadline near) or 'bad' (breached) for the SLA countdown colour."""
    if due_at is None:
        return "none"
    left = due_at - (now or utcnow())
    if left <= timedelta(0):
        return "bad"
    return "warn" if left <= timedelta(minutes=SLA_WARN_MINUTES) else "ok"


def with_filters(filters: QueueFilters, **changes: Any) -> QueueFilters:
    """A copy of the filters with some values changed (for links in the UI)."""
    return replace(filters, **changes)
