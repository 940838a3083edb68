"""Casework: the queue, claims, triage overrides, replies, escalations and hand grouping.

Plain functions with a keyword-only ``session``; the caller commits. Every action writes the
audit trail with the case id so the case's timeline can show it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, false, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import (
    SEVERITIES,
    AuditEvent,
    Author,
    Brand,
    CannedReply,
    Case,
    Escalation,
    Membership,
    Mention,
    Person,
    Reply,
    Triage,
    User,
    utcnow,
)
from app.params import digits
from app.security.roles import roles_with
from app.services import approvals, audit, content, ingest, outbox_states, public_text, triage
from app.services.case_locks import lock_case
from app.services.escalations import stop_clock

CLAIM_MINUTES = 15
# A lead's assignment lasts a shift: the assignee may not open the case straight away.
ASSIGNMENT_HOURS = 8
PAGE_SIZE = 50
ACTIVE_STATUSES = ("open", "pending_approval", "escalated", "waiting")
QUEUE_STATUSES = (*ACTIVE_STATUSES, "closed")
ASSIGNEE_CHOICES = ("anyone", "me", "nobody")
# Followers from which an author is shown as an influencer.
INFLUENCER_FOLLOWERS = 10_000
# SLA colours: amber under this many minutes left, red once breached.
SLA_WARN_MINUTES = 30
CHOICES_SAMPLE = 5000


class CaseworkError(Exception):
    """An action the user may not take now; the message says why, in the UI's language."""


class ProofreadingBlocked(CaseworkError):
    """Findings remain and no reason to send anyway was given."""


class ClaimConflict(CaseworkError):
    """Someone else is working on the case."""


class CaseworkForbidden(CaseworkError):
    """The actor's role on the brand does not allow this action."""


# ---------------------------------------------------------------------------------------------
# The queue


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
        return cls(
            brand_id=int(brand) if brand and digits(brand) else None,
            severity=severity if severity in SEVERITIES else None,
            scenario=text("scenario"),
            channel=text("channel", 32),
            status=status if status in QUEUE_STATUSES else "open",
            assignee=assignee if assignee in ASSIGNEE_CHOICES else "anyone",
            language=text("language", 8),
            q=text("q", 200) or "",
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
        }
        return {k: v for k, v in values.items() if v}

    @property
    def narrowed(self) -> bool:
        """True when any filter is set (the empty state then suggests clearing them)."""
        return bool(self.to_args())


@dataclass
class QueueRow:
    """One case as the queue shows it, with what it needs from related tables."""

    case: Case
    brand_name: str
    person: Person | None
    handle: str | None
    influence: int
    assignee_label: str | None
    claimed: bool
    urgent: bool = False  # an open urgent escalation (the pinned block above the queue)

    @property
    def influencer(self) -> bool:
        return self.influence >= INFLUENCER_FOLLOWERS


@dataclass
class QueuePage:
    rows: list[QueueRow]
    next_cursor: str | None


def claim_active(case: Case, now: datetime | None = None) -> bool:
    """Whether someone currently holds the case (expired claims count as free)."""
    now = now or utcnow()
    return (
        case.assignee_id is not None
        and case.claim_expires_at is not None
        and case.claim_expires_at > now
    )


def _filter_conditions(
    filters: QueueFilters, user_id: int | None, now: datetime
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [col(Case.status) == filters.status]
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
    if filters.q:
        pattern = "%" + filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(col(Case.excerpt).ilike(pattern + "%", escape="\\"))
    if filters.assignee == "me":
        conds.append(col(Case.assignee_id) == user_id)
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


def encode_cursor(case: Case) -> str:
    """The keyset position after a case: pinned, priority, due time and id."""
    due = case.due_at.isoformat() if case.due_at else "-"
    return f"{int(case.pinned)}|{case.priority}|{due}|{case.id}"


def _decode_cursor(raw: str | None) -> tuple[bool, int, datetime | None, int] | None:
    if not raw:
        return None
    try:
        pinned, priority, due, case_id = raw.split("|")
        due_at = None if due == "-" else datetime.fromisoformat(due)
        if due_at is not None and due_at.tzinfo is None:
            return None
        return pinned == "1", int(priority), due_at, int(case_id)
    except ValueError:
        return None


def _after_cursor(
    cursor: tuple[bool, int, datetime | None, int], nulls_first: bool
) -> ColumnElement[bool]:
    """Rows that come after the cursor in (pinned desc, priority desc, due asc, id asc).

    NULL due times sort last on PostgreSQL and first on SQLite (each database's own ASC order,
    so the composite queue index still serves the sort); the condition follows the database.
    """
    pinned, priority, due, case_id = cursor
    due_col, id_col = col(Case.due_at), col(Case.id)
    if due is None:
        same_due = and_(due_col.is_(None), id_col > case_id)
        later_due = or_(same_due, due_col.is_not(None)) if nulls_first else same_due
    else:
        later_due = or_(due_col > due, and_(due_col == due, id_col > case_id))
        if not nulls_first:
            later_due = or_(later_due, due_col.is_(None))
    lower_pin = col(Case.pinned).is_(False) if pinned else false()
    return or_(
        lower_pin,
        and_(
            col(Case.pinned) == pinned,
            or_(
                col(Case.priority) < priority,
                and_(col(Case.priority) == priority, later_due),
            ),
        ),
    )


def queue_page(
    *,
    session: Session,
    base: SelectOfScalar[Case],
    filters: QueueFilters,
    user_id: int | None,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime | None = None,
) -> QueuePage:
    """One page of the queue: pinned first, then priority, then SLA due time (keyset paging).

    ``base`` is the caller's brand-scoped SELECT of cases (``g.scope.select(Case, ...)``).
    """
    now = now or utcnow()
    stmt = base.where(*_filter_conditions(filters, user_id, now))
    cursor = _decode_cursor(after)
    if cursor is not None:
        nulls_first = session.get_bind().dialect.name == "sqlite"
        stmt = stmt.where(_after_cursor(cursor, nulls_first))
    stmt = stmt.order_by(
        col(Case.pinned).desc(),
        col(Case.priority).desc(),
        col(Case.due_at).asc(),
        col(Case.id).asc(),
    ).limit(limit + 1)
    cases = list(session.exec(stmt).all())
    has_more = len(cases) > limit
    cases = cases[:limit]
    rows = decorate_rows(session, cases, now)
    return QueuePage(rows=rows, next_cursor=encode_cursor(cases[-1]) if has_more else None)


def queue_count(
    *,
    session: Session,
    base: SelectOfScalar[Case],
    filters: QueueFilters,
    user_id: int | None,
    now: datetime | None = None,
) -> int:
    """How many cases match the filters (the tab title and the header show it)."""
    stmt = base.where(*_filter_conditions(filters, user_id, now or utcnow()))
    return session.exec(select(func.count()).select_from(stmt.subquery())).one()


WATCH_LIMIT = 50


def watched_escalations(
    *,
    session: Session,
    base: SelectOfScalar[Case],
    filters: QueueFilters,
    user_id: int | None,
    now: datetime | None = None,
) -> list[QueueRow]:
    """Escalated cases pinned above the default queue: the agency watches what the brand handles.

    Only on the default "open" view (another status filter shows exactly that status); the
    other filters apply. Urgent ones first, then as the queue orders cases.
    """
    if filters.status != "open":
        return []
    now = now or utcnow()
    conds = _filter_conditions(replace(filters, status="escalated"), user_id, now)
    cases = session.exec(
        base.where(*conds)
        .order_by(
            col(Case.pinned).desc(),
            col(Case.priority).desc(),
            col(Case.due_at).asc(),
            col(Case.id).asc(),
        )
        .limit(WATCH_LIMIT)
    ).all()
    urgent = set(
        session.exec(
            select(Escalation.case_id).where(
                col(Escalation.case_id).in_([c.id for c in cases]),
                Escalation.state == "open",
                Escalation.urgency == "urgent",
            )
        ).all()
    )
    rows = decorate_rows(session, list(cases), now)
    for row in rows:
        row.urgent = row.case.id in urgent
    # Urgent ones first even before the worker pinned them (a stable sort keeps the rest).
    return sorted(rows, key=lambda r: not r.urgent)


def decorate_rows(session: Session, cases: Sequence[Case], now: datetime) -> list[QueueRow]:
    """Fetch brands, people, handles and assignees of a page in a few batched queries."""
    if not cases:
        return []
    brand_ids = {c.brand_id for c in cases}
    person_ids = {c.person_id for c in cases if c.person_id}
    user_ids = {c.assignee_id for c in cases if c.assignee_id}
    brands = {b.id: b.name for b in session.exec(select(Brand).where(col(Brand.id).in_(brand_ids)))}
    people = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(person_ids)))}
    influence: dict[int, int] = {}
    handles: dict[int, str] = {}
    if person_ids:
        for person_id, followers, handle in session.exec(
            select(Author.person_id, func.max(Author.followers), func.min(Author.handle))
            .where(col(Author.person_id).in_(person_ids))
            .group_by(col(Author.person_id))
        ):
            influence[person_id] = followers or 0
            handles[person_id] = handle
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(user_ids)))}
    rows = []
    for case in cases:
        user = users.get(case.assignee_id)
        rows.append(
            QueueRow(
                case=case,
                brand_name=brands.get(case.brand_id, ""),
                person=people.get(case.person_id),
                handle=handles.get(case.person_id or 0),
                influence=influence.get(case.person_id or 0, 0),
                assignee_label=(user.name or user.email) if user else None,
                claimed=claim_active(case, now),
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
    choices: dict[str, list[str]] = {}
    for name in ("scenario", "channel", "language"):
        column = sub.c[name]
        values = session.exec(
            select(column).where(column.is_not(None)).distinct().order_by(column).limit(100)
        ).all()
        choices[name] = [v for v in values if v]
    return choices


def sla_state(due_at: datetime | None, now: datetime | None = None) -> str:
    """'ok', 'warn' (deadline near) or 'bad' (breached) for the SLA countdown colour."""
    if due_at is None:
        return "none"
    left = due_at - (now or utcnow())
    if left <= timedelta(0):
        return "bad"
    return "warn" if left <= timedelta(minutes=SLA_WARN_MINUTES) else "ok"


# ---------------------------------------------------------------------------------------------
# Claims


def _snapshot(case: Case, *names: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(case, name)
        values[name] = value.isoformat() if isinstance(value, datetime) else value
    return values


def _touch(case: Case, now: datetime) -> None:
    case.last_activity_at = now


def _lock_to_change(session: Session, case: Case, seen_version: int | None, *reload: Any) -> None:
    """Hold the case for an action that changes it; refused if it moved on since it was seen.

    Without the version the user's form carried, the version the caller loaded is the one seen.
    """
    seen = case.version if seen_version is None else seen_version
    lock_case(session, case, seen_version=seen, reload=reload)


def claim(*, session: Session, case: Case, actor: User, now: datetime | None = None) -> bool:
    """Take (or renew) the case for 15 minutes; raises ClaimConflict when someone else holds it.

    Returns True when the claim is new (audited), False for a renewal.
    """
    now = now or utcnow()
    # Two claims at once: the second waits here, then sees the first one's hold.
    lock_case(session, case, bump=False)
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est clos."))
    if claim_active(case, now) and case.assignee_id != actor.id:
        raise ClaimConflict(_l("Un autre membre de l'équipe traite déjà ce cas."))
    is_new = not (claim_active(case, now) and case.assignee_id == actor.id)
    before = _snapshot(case, "assignee_id")
    case.assignee_id = actor.id
    if is_new:
        case.claimed_at = now
    renewed = now + timedelta(minutes=CLAIM_MINUTES)
    # Renewing never shortens a longer hold (a lead's assignment for the shift).
    keep = case.claim_expires_at if not is_new and case.claim_expires_at else renewed
    case.claim_expires_at = max(keep, renewed)
    _touch(case, now)
    session.add(case)
    if is_new:
        audit.record(
            session=session,
            action="case.claimed",
            target_type="case",
            target_id=case.id,
            brand_id=case.brand_id,
            actor=actor,
            case_id=case.id,
            before=before,
            after={"assignee_id": actor.id},
        )
    return is_new


def require_claim(
    *, session: Session, case: Case, actor: User, now: datetime | None = None
) -> None:
    """Make sure the actor holds the case before acting on it (claiming it when it is free)."""
    claim(session=session, case=case, actor=actor, now=now)


def release(*, session: Session, case: Case, actor: User) -> None:
    """Give the case back to the queue."""
    lock_case(session, case, bump=False)
    if case.assignee_id != actor.id:
        raise CaseworkError(_l("Vous ne traitez pas ce cas."))
    before = _snapshot(case, "assignee_id")
    case.assignee_id = None
    case.claimed_at = None
    case.claim_expires_at = None
    session.add(case)
    audit.record(
        session=session,
        action="case.released",
        target_type="case",
        target_id=case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after={"assignee_id": None},
    )


def reassign(
    *, session: Session, case: Case, actor: User, assignee: User | None, now: datetime | None = None
) -> None:
    """A lead hands the case to someone else (or back to the queue with None)."""
    now = now or utcnow()
    lock_case(session, case, bump=False)
    before = _snapshot(case, "assignee_id")
    case.assignee_id = assignee.id if assignee else None
    case.claimed_at = now if assignee else None
    case.claim_expires_at = now + timedelta(hours=ASSIGNMENT_HOURS) if assignee else None
    _touch(case, now)
    session.add(case)
    audit.record(
        session=session,
        action="case.reassigned",
        target_type="case",
        target_id=case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after={"assignee_id": case.assignee_id},
    )


# ---------------------------------------------------------------------------------------------
# Reading a case


@dataclass
class MentionView:
    mention: Mention
    author: Author | None
    triage: Triage | None


@dataclass
class CaseDetail:
    """Everything the case page shows, loaded in a handful of queries."""

    case: Case
    brand: Brand
    mentions: list[MentionView]
    person: Person | None
    authors: list[Author]
    triage: Triage | None  # the decisive mention's: explanation and suggested replies
    decisive: MentionView | None
    earlier_cases: list[Case]
    earlier_replies: list[Reply]
    replies: list[Reply]
    escalations: list[Escalation]
    timeline: list[AuditEvent]
    assignee: User | None
    users: dict[int, User] = field(default_factory=dict)


def case_mentions(*, session: Session, case: Case) -> list[MentionView]:
    """The case's mentions in posting order, each with its author and latest triage."""
    mentions = list(
        session.exec(
            select(Mention)
            .where(Mention.case_id == case.id, Mention.brand_id == case.brand_id)
            .order_by(col(Mention.posted_at), col(Mention.id))
        ).all()
    )
    ids = [m.id for m in mentions]
    author_ids = {m.author_id for m in mentions}
    authors = {a.id: a for a in session.exec(select(Author).where(col(Author.id).in_(author_ids)))}
    latest: dict[int, Triage] = {}
    for row in session.exec(
        select(Triage)
        .where(col(Triage.mention_id).in_(ids))
        .order_by(col(Triage.created_at), col(Triage.id))
    ):
        latest[row.mention_id] = row
    return [MentionView(m, authors.get(m.author_id), latest.get(m.id or 0)) for m in mentions]


def case_detail(*, session: Session, case: Case) -> CaseDetail:
    """Load the case page: mentions, person and history, triage, replies, timeline."""
    brand = session.get(Brand, case.brand_id)
    assert brand is not None
    mentions = case_mentions(session=session, case=case)
    person = session.get(Person, case.person_id) if case.person_id else None
    if person is not None and person.brand_id != case.brand_id:
        person = None
    authors: list[Author] = []
    earlier_cases: list[Case] = []
    earlier_replies: list[Reply] = []
    if person is not None:
        authors = list(
            session.exec(
                select(Author).where(
                    Author.person_id == person.id, Author.brand_id == case.brand_id
                )
            )
        )
        earlier_cases = list(
            session.exec(
                select(Case)
                .where(
                    Case.person_id == person.id, Case.brand_id == case.brand_id, Case.id != case.id
                )
                .order_by(col(Case.opened_at).desc())
                .limit(20)
            )
        )
        if earlier_cases:
            earlier_replies = list(
                session.exec(
                    select(Reply)
                    .where(col(Reply.case_id).in_([c.id for c in earlier_cases]))
                    .order_by(col(Reply.created_at).desc())
                    .limit(20)
                )
            )
    decisive = decisive_mention(case, mentions)
    replies = list(
        session.exec(select(Reply).where(Reply.case_id == case.id).order_by(col(Reply.created_at)))
    )
    escalations = list(
        session.exec(
            select(Escalation)
            .where(Escalation.case_id == case.id)
            .order_by(col(Escalation.created_at))
        )
    )
    events = timeline(session=session, case=case)
    user_ids = {
        case.assignee_id,
        *(r.author_user_id for r in replies),
        *(e.actor_id for e in events),
    } - {None}
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(user_ids)))}
    return CaseDetail(
        case=case,
        brand=brand,
        mentions=mentions,
        person=person,
        authors=authors,
        triage=decisive.triage if decisive else None,
        decisive=decisive,
        earlier_cases=earlier_cases,
        earlier_replies=earlier_replies,
        replies=replies,
        escalations=escalations,
        timeline=events,
        assignee=users.get(case.assignee_id) if case.assignee_id else None,
        users=users,  # type: ignore[arg-type]
    )


def _rank(triage: Triage) -> tuple[int, int]:
    return ingest.SEVERITY_RANK[triage.severity], ingest.ACTION_RANK.get(triage.action, 0)


def decisive_mention(case: Case, mentions: Sequence[MentionView]) -> MentionView | None:
    """The mention that sets the case's decision: the recorded one, else the most serious.

    Cases older than the record fall back to their most serious mention (the first of them),
    never to their newest.
    """
    for view in mentions:
        if view.mention.id == case.decision_mention_id:
            return view
    best: MentionView | None = None
    for view in mentions:
        if view.triage is not None and (best is None or _rank(view.triage) > _rank(best.triage)):  # type: ignore[arg-type]
            best = view
    return best


def decisive_mentions(*, session: Session, cases: Iterable[Case]) -> dict[int, Mention]:
    """The mention that sets each case's decision, by case id (approval and escalation cards)."""
    cases = [c for c in cases if c.id is not None]
    ids = [c.decision_mention_id for c in cases if c.decision_mention_id]
    found = {m.id: m for m in session.exec(select(Mention).where(col(Mention.id).in_(ids)))}
    result: dict[int, Mention] = {}
    for case in cases:
        mention = found.get(case.decision_mention_id)
        if mention is not None and mention.case_id == case.id:
            result[case.id] = mention  # type: ignore[index]
            continue
        view = decisive_mention(case, case_mentions(session=session, case=case))
        if view is not None:
            result[case.id] = view.mention  # type: ignore[index]
    return result


def _decide_from(case: Case, ordered: Sequence[tuple[Mention, Triage | triage.TriageRow]]) -> None:
    """Set the case's decision from its mentions' decisions: the first given, then never less.

    The first pair wins ties (the corrected mention, or the case's decisive one).
    """
    first, row = ordered[0]
    case.severity = row.severity
    case.scenario = row.scenarios[0] if row.scenarios else None
    case.action, case.approver = row.action, row.approver
    case.priority, case.due_at = row.priority, row.due_at
    case.excerpt = first.text[: ingest.EXCERPT_LENGTH]
    case.decision_mention_id = first.id
    for mention, other in ordered[1:]:
        ingest.merge_decision(case, other, mention)


def _refold(case: Case, views: Sequence[MentionView]) -> None:
    """Recompute the decision of a case whose mentions changed (merge, split)."""
    decisive = decisive_mention(case, views)
    pairs = [(v.mention, v.triage) for v in views if v.triage is not None]
    if decisive is not None and decisive.triage is not None:
        pairs.sort(key=lambda p: p[0].id != decisive.mention.id)  # stable: posting order after
    if pairs:
        _decide_from(case, pairs)  # type: ignore[arg-type]


DECISION_FIELDS = (
    "severity",
    "scenario",
    "action",
    "approver",
    "priority",
    "due_at",
    "pinned",
    "status",
    "decision_mention_id",
)


def _escalate_urgently(
    session: Session,
    case: Case,
    decision: Any,
    now: datetime,
    actor: User | None = None,
    why: str | None = None,
) -> None:
    """The same path as an S4 at ingest: pinned, escalated, brand involved, urgent escalation."""
    case.pinned, case.involved_brand = True, True
    if case.status != "closed":
        case.status = "escalated"
    session.add(case)
    session.flush()
    ingest.open_urgent_escalation(
        session=session, case=case, decision=decision, now=now, actor=actor, why=why
    )


def _withdraw_urgent(
    session: Session, case: Case, actor: User, reason: str, now: datetime
) -> list[int]:
    """A lead lowered an urgent case: its urgent escalation stops paging, the reason recorded.

    The brand's on-call people are re-alerted until someone acknowledges; a lead who judged
    the alarm false must be able to stop that. The brand reads why in its activity.
    """
    open_urgent = list(
        session.exec(
            select(Escalation).where(
                Escalation.case_id == case.id,
                Escalation.state == "open",
                Escalation.urgency == "urgent",
            )
        )
    )
    for escalation in open_urgent:
        escalation.state = "handled"
        escalation.answered_at = escalation.answered_at or now
        session.add(escalation)
        stop_clock(session, "escalation", escalation.id, now)
        audit.record(
            session=session,
            action="escalation.withdrawn",
            target_type="escalation",
            target_id=escalation.id,
            brand_id=case.brand_id,
            actor=actor,
            case_id=case.id,
            before={"state": "open", "urgency": "urgent"},
            after={"state": "handled"},
            note=reason,
        )
    _settle_status(session, case)
    return [e.id for e in open_urgent if e.id is not None]


def is_lead(session: Session, actor: User, brand_id: int) -> bool:
    """Whether the actor is a lead (or an admin) of the brand."""
    return (
        session.exec(
            select(Membership.id).where(
                Membership.user_id == actor.id,
                Membership.brand_id == brand_id,
                col(Membership.role).in_(roles_with("case.lead")),
            )
        ).first()
        is not None
    )


def _is_urgent(severity: str, action: str) -> bool:
    return severity == "S4" or action == "escalate_urgent"


def timeline(*, session: Session, case: Case) -> list[AuditEvent]:
    """The case's audit events, newest first."""
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.case_id == case.id, AuditEvent.brand_id == case.brand_id)
            .order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())
            .limit(200)
        )
    )


def evidence_spans(triage: Triage | None) -> list[list[int]]:
    """Character spans of the words the playbook matched, for highlighting."""
    if triage is None:
        return []
    spans: list[list[int]] = []
    for item in triage.evidence or []:
        for span in item.get("spans") or []:
            if isinstance(span, list | tuple) and len(span) == 2:
                spans.append([int(span[0]), int(span[1])])
    return spans


# ---------------------------------------------------------------------------------------------
# Triage override, notes


def override_triage(
    *,
    session: Session,
    case: Case,
    actor: User,
    severity: str,
    scenario: str | None,
    reason: str,
    now: datetime | None = None,
) -> Triage:
    """Correct severity or scenario: the brand's delegation is re-run on the corrected judgement.

    The correction is kept as a triage row on the mention that set the case's decision (the
    playbook review reads it); action, approver, priority, SLA due time and pinning follow it.
    Up to S4 (or an urgent scenario) opens the urgent escalation as ingest does; lowering an
    urgent case takes a lead of the brand. Replies queued but not sent that the new decision
    no longer allows go back to approval.
    """
    now = now or utcnow()
    _lock_to_change(session, case, None)  # two corrections at once: one wins, one is told
    reason = reason.strip()
    if severity not in SEVERITIES:
        raise CaseworkError(_l("Choisissez une gravité valide."))
    if not reason:
        raise CaseworkError(
            _l("Indiquez la raison de la correction : elle sert à améliorer le playbook.")
        )
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est clos."))
    scenario = (scenario or "").strip()[:100] or None
    if severity == case.severity and scenario == case.scenario:
        raise CaseworkError(_l("Rien n'a changé : modifiez la gravité ou le scénario."))
    views = case_mentions(session=session, case=case)
    decisive = decisive_mention(case, views) or (views[-1] if views else None)
    if decisive is None:
        raise CaseworkError(_l("Ce cas n'a aucune mention à reclasser."))
    brand = session.get(Brand, case.brand_id)
    author = session.get(Author, decisive.mention.author_id)
    assert brand is not None and author is not None
    person = session.get(Person, author.person_id)
    decision = triage.redecide(
        published=content.published_playbook(session=session, brand_id=case.brand_id),
        brand=brand,
        mention=decisive.mention,
        author=author,
        person=person,
        severity=severity,
        scenario=scenario,
        now=now,
    )
    row = Triage(
        **{
            **decision.values(),
            "source": "override",
            "reason": reason,
            "created_by_id": actor.id,
            "created_at": now,
        }
    )
    others = [(v.mention, v.triage) for v in views if v is not decisive and v.triage is not None]
    was_urgent = _is_urgent(case.severity, case.action)
    urgent = any(_is_urgent(d.severity, d.action) for d in [decision, *(t for _, t in others)])
    if was_urgent and not urgent and not is_lead(session, actor, case.brand_id):
        raise CaseworkForbidden(
            _l(
                "Seul un superviseur de la marque peut abaisser un cas urgent (S4) : "
                "demandez-lui de corriger le triage."
            )
        )
    before = _snapshot(case, *DECISION_FIELDS)
    # The corrected mention first (it keeps the decision on a tie); a more serious mention
    # of the same case still holds the case up, and then sets its decision.
    _decide_from(case, [(decisive.mention, decision), *others])  # type: ignore[list-item]
    session.add(row)
    withdrawn: list[int] = []
    if urgent:
        why = f"Escalade urgente après correction du triage ({case.severity}) : {reason}"
        _escalate_urgently(session, case, row, now, actor, why)
    elif was_urgent:
        withdrawn = _withdraw_urgent(session, case, actor, reason, now)
    _touch(case, now)
    session.add(case)
    session.flush()
    changed_before, changed_after = audit.changes(before, _snapshot(case, *DECISION_FIELDS))
    audit.record(
        session=session,
        action="triage.overridden",
        target_type="case",
        target_id=case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before=changed_before,
        after={**changed_after, **({"withdrawn_escalations": withdrawn} if withdrawn else {})},
        note=reason,
    )
    _hold_unsent(session, case, actor, now)
    return row


def _hold_unsent(session: Session, case: Case, actor: User | None, now: datetime) -> int:
    """Replies not sent yet that the case's decision no longer allows go back to approval.

    A pending reply whose approver is now too low is routed to the higher role.
    """
    held = 0
    for reply in session.exec(
        select(Reply).where(
            Reply.case_id == case.id,
            col(Reply.outbox_state).in_(["queued", "draft"]),
            col(Reply.approval_state).in_(["not_required", "approved", "pending"]),
        )
    ).all():
        needed = approvals.required_approver(case)
        if reply.approval_state == "pending":
            rank = approvals.ROLE_RANK
            if needed and rank[needed] > rank.get(reply.approver_role or "lead", 1):
                before = {"approver_role": reply.approver_role}
                reply.approver_role = needed
                session.add(reply)
                if needed == "brand":
                    case.involved_brand = True
                audit.record(
                    session=session,
                    action="reply.rerouted",
                    target_type="reply",
                    target_id=reply.id,
                    brand_id=case.brand_id,
                    actor=actor,
                    case_id=case.id,
                    before=before,
                    after={"approver_role": needed},
                )
            continue
        if reply.outbox_state in ("queued", "manual") and approvals.hold_for_approval(
            session=session,
            reply=reply,
            case=case,
            expected=reply.outbox_state,
            actor=actor,
            why=str(_l("Décision du cas corrigée avant l'envoi.")),
            now=now,
        ):
            held += 1
    if (
        held
        and not session.exec(
            select(Reply.id).where(Reply.case_id == case.id, Reply.outbox_state == "sent")
        ).first()
    ):
        case.first_response_at = None  # what was queued never reached the person
        session.add(case)
    return held


def update_notes(*, session: Session, case: Case, person: Person, actor: User, notes: str) -> None:
    """Save the team's notes on a person (shown on every case of theirs)."""
    notes = notes.strip()[:5000]
    if person.notes == notes:
        return
    before = {"notes": person.notes}
    person.notes = notes
    session.add(person)
    audit.record(
        session=session,
        action="person.notes_updated",
        target_type="person",
        target_id=person.id,
        brand_id=person.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after={"notes": notes},
    )


# ---------------------------------------------------------------------------------------------
# Canned replies and proofreading (the canned_replies package does the work)


def suggested_replies(*, session: Session, case: Case, triage: Triage | None) -> list[CannedReply]:
    """The canned replies the triage suggests, in the case's language, approved ones first."""
    keys = list(triage.suggested_replies) if triage else []
    stmt = select(CannedReply).where(CannedReply.brand_id == case.brand_id)
    if case.language:
        stmt = stmt.where(CannedReply.language == case.language)
    rows = list(session.exec(stmt))
    if keys:
        chosen = [r for r in rows if r.key in keys]
        chosen.sort(key=lambda r: (r.status != "approved", keys.index(r.key)))
    else:
        chosen = [r for r in rows if case.scenario and case.scenario in (r.scenarios or [])]
        chosen.sort(key=lambda r: (r.status != "approved", r.title))
    return chosen[:12]


def reply_variables(
    *, case: Case, brand: Brand, person: Person | None, author: Author | None, actor: User
) -> dict[str, str]:
    """What the case knows to fill canned-reply variables; the CM types the rest."""
    name = (person.display_name if person else "") or (
        author.name if author and author.name else ""
    )
    first = name.split()[0] if name.strip() else ""
    handle = f"@{author.handle.lstrip('@')}" if author and author.handle else ""
    agent = (actor.name or "").split()[0] if (actor.name or "").strip() else ""
    values = {
        "prenom": first,
        "first_name": first,
        "nom": name,
        "name": name,
        "pseudo": handle,
        "handle": handle,
        "marque": brand.name,
        "brand": brand.name,
        "agent": agent,
        "signature": agent,
        "canal": case.channel or "",
        "channel": case.channel or "",
    }
    return {k: v for k, v in values.items() if v}


def render_canned(body: str, variables: Mapping[str, str]) -> tuple[str, list[str]]:
    """Fill a canned reply; returns the text and the variables still missing."""
    import canned_replies

    result = canned_replies.render(body, dict(variables))
    return result.text, list(result.missing)


def template_variables(body: str) -> list[str]:
    """Variable names a canned-reply body uses."""
    import canned_replies

    return list(canned_replies.template_variables(body))


def length_check(text: str, channel: str | None) -> Any:
    """Length of the reply as the channel counts it, with its limit."""
    import canned_replies

    return canned_replies.check_length(text, channel or "")


def reply_mode(case: Case) -> str:
    """'send' when the delegation lets the agency answer alone, else 'approval'."""
    return "send" if approvals.required_approver(case) is None else "approval"


def approver_for(case: Case) -> str:
    """Who approves a reply here: the playbook's approver, else lead (brand if escalated)."""
    return approvals.required_approver(case) or "lead"


@dataclass(frozen=True)
class ReplyDraft:
    """What the editor posts."""

    text: str
    canned_reply: CannedReply | None = None
    override_reason: str = ""
    mention_id: int | None = None


def _check_sendable(
    *, session: Session, case: Case, actor: User, draft: ReplyDraft, brand: Brand
) -> public_text.GateResult:
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est clos : rouvrez-en un nouveau pour répondre."))
    if case.status == "pending_approval":
        raise CaseworkError(_l("Une réponse attend déjà sa validation sur ce cas."))
    require_claim(session=session, case=case, actor=actor)
    text = draft.text.strip()
    if not text:
        raise CaseworkError(_l("La réponse est vide."))
    if "[[" in text and "]]" in text:
        raise CaseworkError(_l("Remplissez les variables surlignées avant d'envoyer."))
    # Checked in the language and on the channel of the mention the reply answers.
    target = public_text.target(session=session, case=case, mention_id=draft.mention_id)
    gate = public_text.check(
        brand=brand,
        text=text,
        language=target.language,
        channel=target.channel,
        override_reason=draft.override_reason,
    )
    if gate.problem == "length":
        raise CaseworkError(
            _l(
                "La réponse dépasse la longueur permise sur ce canal (%(count)s/%(limit)s).",
                count=gate.length.count,
                limit=gate.length.limit,
            )
        )
    if gate.problem == "findings":
        raise ProofreadingBlocked(
            _l("La relecture a trouvé des fautes : corrigez-les ou justifiez l'envoi.")
        )
    if gate.problem == "unavailable":
        raise ProofreadingBlocked(gate.message)
    return gate


def _new_reply(case: Case, actor: User, draft: ReplyDraft, gate: public_text.GateResult) -> Reply:
    canned = draft.canned_reply
    return Reply(
        brand_id=case.brand_id,
        case_id=case.id,  # type: ignore[arg-type]
        mention_id=draft.mention_id,
        author_user_id=actor.id,
        text=draft.text.strip(),
        original_text=canned.body if canned else None,
        canned_reply_id=canned.id if canned else None,
        canned_reply_version=canned.version if canned else None,
        proofreading=gate.findings_json(),
        proofreading_override=gate.override_reason if gate.overridden else None,
        idempotency_key=secrets.token_hex(16),
    )


def _count_usage(session: Session, canned: CannedReply | None) -> None:
    if canned is not None:
        canned.usage_count += 1
        session.add(canned)


def send_reply(
    *,
    session: Session,
    case: Case,
    brand: Brand,
    actor: User,
    draft: ReplyDraft,
    now: datetime | None = None,
    seen_version: int | None = None,
) -> Reply:
    """Queue a reply for posting when the delegation lets the agency answer alone."""
    _lock_to_change(session, case, seen_version)  # a second send at once: refused, not queued
    now = now or utcnow()
    if reply_mode(case) != "send":
        raise CaseworkError(
            _l("Ce cas demande une validation : soumettez la réponse au lieu de l'envoyer.")
        )
    gate = _check_sendable(session=session, case=case, actor=actor, draft=draft, brand=brand)
    reply = _new_reply(case, actor, draft, gate)
    reply.approval_state = "not_required"
    # Queued, or to copy by hand; the first response counts once publication is confirmed.
    outbox_states.release(session=session, reply=reply, now=now)
    before = _snapshot(case, "status")
    case.status = "waiting"
    _file_reply(
        session=session,
        case=case,
        actor=actor,
        draft=draft,
        reply=reply,
        now=now,
        action="reply.queued",
        gate=gate,
        before=before,
        after={
            "status": case.status,
            "text": reply.text,
            "canned_reply": draft.canned_reply.key if draft.canned_reply else None,
        },
    )
    return reply


def submit_for_approval(
    *,
    session: Session,
    case: Case,
    brand: Brand,
    actor: User,
    draft: ReplyDraft,
    now: datetime | None = None,
    seen_version: int | None = None,
) -> Reply:
    """Put a draft before a lead or the brand when the agency may not answer alone."""
    _lock_to_change(session, case, seen_version)
    now = now or utcnow()
    gate = _check_sendable(session=session, case=case, actor=actor, draft=draft, brand=brand)
    approver = approver_for(case)
    reply = _new_reply(case, actor, draft, gate)
    reply.approval_state = "pending"
    reply.approver_role = approver
    reply.outbox_state = "draft"
    before = _snapshot(case, "status", "involved_brand")
    case.status = "pending_approval"
    if approver == "brand":
        case.involved_brand = True
    _file_reply(
        session=session,
        case=case,
        actor=actor,
        draft=draft,
        reply=reply,
        now=now,
        action="reply.submitted",
        gate=gate,
        before=before,
        after={"status": case.status, "approver": approver, "text": reply.text},
    )
    return reply


def _file_reply(
    *,
    session: Session,
    case: Case,
    actor: User,
    draft: ReplyDraft,
    reply: Reply,
    now: datetime,
    action: str,
    gate: public_text.GateResult,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """What sending and submitting share: store the reply, free the case, audit both."""
    session.add(reply)
    _count_usage(session, draft.canned_reply)
    case.assignee_id, case.claimed_at, case.claim_expires_at = None, None, None
    _touch(case, now)
    session.add(case)
    session.flush()
    audit.record(
        session=session,
        action=action,
        target_type="reply",
        target_id=reply.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after=after,
    )
    public_text.record_override(session=session, result=gate, reply=reply, actor=actor)


# ---------------------------------------------------------------------------------------------
# Escalate, hide, spam, close


def escalate(
    *,
    session: Session,
    case: Case,
    actor: User,
    reason: str,
    urgent: bool = False,
    now: datetime | None = None,
    seen_version: int | None = None,
) -> Escalation:
    """Hand the case to the brand with a reason; it waits for their answer."""
    _lock_to_change(session, case, seen_version)
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        raise CaseworkError(_l("Expliquez à la marque pourquoi vous escaladez."))
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est clos."))
    require_claim(session=session, case=case, actor=actor, now=now)
    deadline = now + timedelta(minutes=15 if urgent else 120)
    escalation = Escalation(
        brand_id=case.brand_id,
        case_id=case.id,
        reason=reason,  # type: ignore[arg-type]
        urgency="urgent" if urgent else "normal",
        requested_by_id=actor.id,
        deadline_at=deadline,
    )
    session.add(escalation)
    before = _snapshot(case, "status", "involved_brand")
    case.status = "escalated"
    case.involved_brand = True
    case.assignee_id, case.claimed_at, case.claim_expires_at = None, None, None
    _touch(case, now)
    session.add(case)
    session.flush()
    audit.record(
        session=session,
        action="case.escalated",
        target_type="escalation",
        target_id=escalation.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after={"status": "escalated", "urgency": escalation.urgency},
        note=reason,
    )
    return escalation


def hide_mention(*, session: Session, case: Case, mention: Mention, actor: User) -> None:
    """Hide one mention (the worker hides it on the platform where the connector can)."""
    if mention.case_id != case.id:
        raise CaseworkError(_l("Cette mention n'appartient pas à ce cas."))
    if mention.hidden:
        return
    mention.hidden = True
    mention.hide_state = "pending"
    session.add(mention)
    _touch(case, utcnow())
    session.add(case)
    audit.record(
        session=session,
        action="mention.hidden",
        target_type="mention",
        target_id=mention.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before={"hidden": False},
        after={"hidden": True},
    )


def close(
    *,
    session: Session,
    case: Case,
    actor: User,
    note: str = "",
    spam: bool = False,
    now: datetime | None = None,
    seen_version: int | None = None,
) -> None:
    """Close the case (as spam: its mentions are hidden too)."""
    _lock_to_change(session, case, seen_version)
    now = now or utcnow()
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est déjà clos."))
    if claim_active(case, now) and case.assignee_id != actor.id:
        raise ClaimConflict(_l("Un autre membre de l'équipe traite déjà ce cas."))
    if spam:
        for view in case_mentions(session=session, case=case):
            if not view.mention.hidden:
                view.mention.hidden = True
                session.add(view.mention)
    before = _snapshot(case, "status", "scenario")
    case.status = "closed"
    case.resolved_at = now
    if spam:
        case.scenario = case.scenario or "spam"
    case.assignee_id, case.claimed_at, case.claim_expires_at = None, None, None
    _touch(case, now)
    session.add(case)
    audit.record(
        session=session,
        action="case.spam" if spam else "case.closed",
        target_type="case",
        target_id=case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after={"status": "closed"},
        note=note or None,
    )


# ---------------------------------------------------------------------------------------------
# Grouping by hand


def _refresh_summary(session: Session, case: Case) -> list[MentionView]:
    """Recompute the mention count, channel and decision after mentions moved."""
    mentions = case_mentions(session=session, case=case)
    case.mention_count = len(mentions)
    if mentions:
        case.channel = mentions[-1].mention.channel
        _refold(case, mentions)
    session.add(case)
    return mentions


def _settle_status(session: Session, case: Case) -> None:
    """Pinned while an urgent escalation is open; escalated only while one is open."""
    session.flush()
    still_open = session.exec(
        select(Escalation).where(Escalation.case_id == case.id, Escalation.state == "open")
    ).all()
    case.pinned = any(e.urgency == "urgent" for e in still_open)
    if case.status == "escalated" and not still_open:
        pending = session.exec(
            select(Reply.id).where(Reply.case_id == case.id, Reply.approval_state == "pending")
        ).first()
        case.status = "pending_approval" if pending else "open"
    session.add(case)


def _move_open_escalations(
    session: Session, source: Case, target: Case, *, urgent_only: bool = False
) -> list[int]:
    """Open escalations follow the mentions they are about to another case."""
    stmt = select(Escalation).where(Escalation.case_id == source.id, Escalation.state == "open")
    if urgent_only:
        stmt = stmt.where(Escalation.urgency == "urgent")
    moved = list(session.exec(stmt))
    for escalation in moved:
        escalation.case_id = target.id  # type: ignore[assignment]
        session.add(escalation)
    if moved:
        target.involved_brand = True
        if target.status not in ("closed", "escalated"):
            target.status = "escalated"
    return [e.id for e in moved if e.id is not None]


def merge(
    *, session: Session, target: Case, source: Case, actor: User, seen_version: int | None = None
) -> None:
    """Move every mention of ``source`` into ``target`` (same brand) and close ``source``.

    The merged case takes the most serious decision of the two (never less), with open
    escalations, and is escalated urgently as ingest would when that decision is urgent.
    """
    if source.id == target.id:
        raise CaseworkError(_l("Choisissez un autre cas à fusionner."))
    if source.brand_id != target.brand_id:
        raise CaseworkError(_l("On ne fusionne que des cas de la même marque."))
    # Both held, in id order: two merges of the same pair wait for each other, never deadlock.
    for held in sorted((target, source), key=lambda c: c.id or 0):
        _lock_to_change(session, held, seen_version if held is target else None)
    if target.status == "closed":
        raise CaseworkError(_l("Ce cas est clos."))
    moved = list(
        session.exec(
            select(Mention).where(Mention.case_id == source.id, Mention.brand_id == source.brand_id)
        )
    )
    for mention in moved:
        mention.case_id = target.id
        session.add(mention)
    for reply in session.exec(select(Reply).where(Reply.case_id == source.id)):
        reply.case_id = target.id  # type: ignore[assignment]
        session.add(reply)
    escalations = _move_open_escalations(session, source, target)
    session.flush()
    now = utcnow()
    before = _snapshot(target, *DECISION_FIELDS)
    target.pinned = target.pinned or source.pinned
    target.involved_brand = target.involved_brand or source.involved_brand
    _touch(target, now)
    views = _refresh_summary(session, target)
    if target.action == "escalate_urgent":
        view = decisive_mention(target, views)
        if view is not None and view.triage is not None:
            why = f"Escalade urgente : le cas n° {source.id}, urgent, y a été fusionné."
            _escalate_urgently(session, target, view.triage, now, actor, why)
    source.status = "closed"
    source.resolved_at = now
    source.mention_count = 0
    source.pinned = False
    source.assignee_id, source.claimed_at, source.claim_expires_at = None, None, None
    session.add(source)
    ids = [m.id for m in moved]
    audit.record(
        session=session,
        action="case.merged",
        target_type="case",
        target_id=target.id,
        brand_id=target.brand_id,
        actor=actor,
        case_id=target.id,
        before={"case_id": source.id, **before},
        after={
            "mentions": ids,
            "escalations": escalations,
            **_snapshot(target, *DECISION_FIELDS),
        },
    )
    audit.record(
        session=session,
        action="case.merged_into",
        target_type="case",
        target_id=source.id,
        brand_id=source.brand_id,
        actor=actor,
        case_id=source.id,
        before={"status": "open"},
        after={"status": "closed", "into": target.id},
    )
    _hold_unsent(session, target, actor, now)


def split(*, session: Session, case: Case, mention: Mention, actor: User) -> Case:
    """Move one mention out into a new case of its own (same brand, same triage).

    The new case takes that mention's decision (an urgent one is escalated as at ingest, and
    the urgent escalation it caused moves with it); the old case's decision is recomputed
    from the mentions it keeps.
    """
    _lock_to_change(session, case, None, mention)
    if mention.case_id != case.id:
        raise CaseworkError(_l("Cette mention n'appartient pas à ce cas."))
    views = case_mentions(session=session, case=case)
    if len(views) < 2:
        raise CaseworkError(_l("Un cas d'une seule mention ne se scinde pas."))
    moved = next((v.triage for v in views if v.mention.id == mention.id), None)
    was_decisive = (decisive_mention(case, views) or views[0]).mention.id == mention.id
    author = session.get(Author, mention.author_id)
    now = utcnow()
    before = _snapshot(case, *DECISION_FIELDS)
    new_case = Case(
        brand_id=case.brand_id,
        person_id=author.person_id if author else case.person_id,
        status="open",
        severity=moved.severity if moved else case.severity,
        scenario=(moved.scenarios[0] if moved and moved.scenarios else case.scenario),
        action=moved.action if moved else case.action,
        approver=moved.approver if moved else case.approver,
        priority=moved.priority if moved else case.priority,
        due_at=(moved.due_at if moved and moved.due_at else case.due_at),
        channel=mention.channel,
        language=mention.lang or case.language,
        excerpt=mention.text[:300],
        thread_id=mention.thread_id,
        mention_count=1,
        opened_at=now,
        last_activity_at=now,
        decision_mention_id=mention.id,
    )
    session.add(new_case)
    session.flush()
    mention.case_id = new_case.id
    session.add(mention)
    session.flush()
    escalations: list[int] = []
    if new_case.action == "escalate_urgent" and moved is not None:
        if was_decisive:
            escalations = _move_open_escalations(session, case, new_case, urgent_only=True)
        why = f"Escalade urgente : mention {moved.severity} séparée du cas n° {case.id}."
        _escalate_urgently(session, new_case, moved, now, actor, why)
    remaining = _refresh_summary(session, case)
    decisive = decisive_mention(case, remaining)
    if case.action == "escalate_urgent" and decisive is not None and decisive.triage is not None:
        why = f"Escalade urgente : le cas n° {case.id} garde une mention urgente."
        _escalate_urgently(session, case, decisive.triage, now, actor, why)
    _settle_status(session, case)
    _touch(case, now)
    audit.record(
        session=session,
        action="case.split",
        target_type="case",
        target_id=case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before={"mention_id": mention.id, **before},
        after={
            "new_case_id": new_case.id,
            "escalations": escalations,
            **_snapshot(case, *DECISION_FIELDS),
        },
    )
    audit.record(
        session=session,
        action="case.split_from",
        target_type="case",
        target_id=new_case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=new_case.id,
        after={
            "from_case_id": case.id,
            "mention_id": mention.id,
            **_snapshot(new_case, *DECISION_FIELDS),
        },
    )
    return new_case


def with_filters(filters: QueueFilters, **changes: Any) -> QueueFilters:
    """A copy of the filters with some values changed (for links in the UI)."""
    return replace(filters, **changes)


def requeue_failed_reply(
    *, session: Session, case: Case, reply: Reply, actor: User, now: datetime | None = None
) -> None:
    """Send a failed reply again, once a person has checked it is not on the platform already.

    Only a failed send can be queued again: a reply that may have gone out (interrupted) is
    failed on purpose, and the person who requeues it takes that decision, recorded.
    """
    now = now or utcnow()
    lock_case(session, case, bump=False, reload=(reply,))  # clicked twice: queued once
    if reply.case_id != case.id:
        raise CaseworkError(_l("Cette réponse n'appartient pas à ce cas."))
    if reply.outbox_state != "failed":
        raise CaseworkError(_l("Seule une réponse en échec peut être renvoyée."))
    before = {"outbox_state": reply.outbox_state, "last_error": reply.last_error}
    outbox_states.move(reply, "queued")
    reply.next_attempt_at = now
    reply.checks = 0
    reply.sending_owner = None
    reply.sending_started_at = None
    session.add(reply)
    audit.record(
        session=session,
        action="reply.requeued",
        target_type="reply",
        target_id=reply.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after={"outbox_state": "queued"},
    )
