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
    Mention,
    Person,
    Reply,
    Triage,
    User,
    utcnow,
)
from app.services import audit, content
from app.services.case_locks import lock_case

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
            brand_id=int(brand) if brand and brand.isdigit() else None,
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
    triage: Triage | None
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
    for triage in session.exec(
        select(Triage)
        .where(col(Triage.mention_id).in_(ids))
        .order_by(col(Triage.created_at), col(Triage.id))
    ):
        latest[triage.mention_id] = triage
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
    triages = [m.triage for m in mentions if m.triage is not None]
    triage = max(triages, key=lambda t: (t.created_at, t.id or 0)) if triages else None
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
        triage=triage,
        earlier_cases=earlier_cases,
        earlier_replies=earlier_replies,
        replies=replies,
        escalations=escalations,
        timeline=events,
        assignee=users.get(case.assignee_id) if case.assignee_id else None,
        users=users,  # type: ignore[arg-type]
    )


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
) -> Triage:
    """Correct severity or scenario; kept as a triage row that the playbook review reads."""
    reason = reason.strip()
    if severity not in SEVERITIES:
        raise CaseworkError(_l("Choisissez une gravité valide."))
    if not reason:
        raise CaseworkError(
            _l("Indiquez la raison de la correction : elle sert à améliorer le playbook.")
        )
    scenario = (scenario or "").strip() or None
    if severity == case.severity and scenario == case.scenario:
        raise CaseworkError(_l("Rien n'a changé : modifiez la gravité ou le scénario."))
    mentions = case_mentions(session=session, case=case)
    if not mentions:
        raise CaseworkError(_l("Ce cas n'a aucune mention à reclasser."))
    last = mentions[-1]
    previous = last.triage
    row = Triage(
        brand_id=case.brand_id,
        mention_id=last.mention.id,  # type: ignore[arg-type]
        playbook_id=previous.playbook_id if previous else None,
        playbook_version=previous.playbook_version if previous else None,
        source="override",
        severity=severity,
        scenarios=[scenario] if scenario else [],
        categories=list(previous.categories) if previous else [],
        action=case.action,
        approver=case.approver,
        priority=case.priority,
        due_at=case.due_at,
        suggested_replies=list(previous.suggested_replies) if previous else [],
        language=case.language,
        evidence=list(previous.evidence) if previous else [],
        reason=reason,
        created_by_id=actor.id,
    )
    session.add(row)
    before = _snapshot(case, "severity", "scenario")
    case.severity, case.scenario = severity, scenario
    _touch(case, utcnow())
    session.add(case)
    session.flush()
    audit.record(
        session=session,
        action="triage.overridden",
        target_type="case",
        target_id=case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after={"severity": severity, "scenario": scenario},
        note=reason,
    )
    return row


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


def proofread(text: str, language: str | None, dictionary: Iterable[str]) -> list[Any]:
    """Spelling and grammar findings of a reply (empty when the text is clean)."""
    import canned_replies

    if not text.strip():
        return []
    return list(canned_replies.proofread(text, language or "fr", dictionary=list(dictionary)))


def reply_mode(case: Case) -> str:
    """'send' when the delegation lets the agency answer alone, else 'approval'."""
    return "send" if case.action == "reply" else "approval"


def approver_for(case: Case) -> str:
    """Who approves a reply here: the playbook's approver, else lead (brand if escalated)."""
    if case.approver in ("lead", "brand"):
        return case.approver
    return "brand" if case.action.startswith("escalate") else "lead"


@dataclass(frozen=True)
class ReplyDraft:
    """What the editor posts."""

    text: str
    canned_reply: CannedReply | None = None
    override_reason: str = ""
    mention_id: int | None = None


def _check_sendable(
    *, session: Session, case: Case, actor: User, draft: ReplyDraft, brand: Brand
) -> list[Any]:
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
    length = length_check(text, case.channel)
    if not length.ok:
        raise CaseworkError(
            _l(
                "La réponse dépasse la longueur permise sur ce canal (%(count)s/%(limit)s).",
                count=length.count,
                limit=length.limit,
            )
        )
    findings = proofread(text, case.language, content.brand_dictionary(brand))
    if findings and not draft.override_reason.strip():
        raise ProofreadingBlocked(
            _l("La relecture a trouvé des fautes : corrigez-les ou justifiez l'envoi.")
        )
    return findings


def _new_reply(case: Case, actor: User, draft: ReplyDraft, findings: list[Any]) -> Reply:
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
        proofreading=[f.to_dict() if hasattr(f, "to_dict") else dict(f) for f in findings],
        proofreading_override=draft.override_reason.strip() or None if findings else None,
        idempotency_key=secrets.token_hex(16),
    )


def _count_usage(session: Session, canned: CannedReply | None) -> None:
    if canned is not None:
        canned.usage_count += 1
        session.add(canned)


def _audit_override(session: Session, case: Case, actor: User, reply: Reply) -> None:
    if reply.proofreading_override:
        audit.record(
            session=session,
            action="reply.proofreading_overridden",
            target_type="reply",
            target_id=reply.id,
            brand_id=case.brand_id,
            actor=actor,
            case_id=case.id,
            after={"findings": len(reply.proofreading)},
            note=reply.proofreading_override,
        )


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
    findings = _check_sendable(session=session, case=case, actor=actor, draft=draft, brand=brand)
    reply = _new_reply(case, actor, draft, findings)
    reply.approval_state = "not_required"
    reply.outbox_state = "queued"
    reply.next_attempt_at = now
    before = _snapshot(case, "status")
    case.status = "waiting"
    case.first_response_at = case.first_response_at or now
    _file_reply(
        session=session,
        case=case,
        actor=actor,
        draft=draft,
        reply=reply,
        now=now,
        action="reply.queued",
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
    findings = _check_sendable(session=session, case=case, actor=actor, draft=draft, brand=brand)
    approver = approver_for(case)
    reply = _new_reply(case, actor, draft, findings)
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
    _audit_override(session, case, actor, reply)


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


def _refresh_summary(session: Session, case: Case) -> None:
    """Recompute the mention count and excerpt after mentions moved."""
    mentions = case_mentions(session=session, case=case)
    case.mention_count = len(mentions)
    if mentions:
        last = mentions[-1].mention
        case.excerpt = last.text[:300]
        case.channel = last.channel
    session.add(case)


def merge(
    *, session: Session, target: Case, source: Case, actor: User, seen_version: int | None = None
) -> None:
    """Move every mention of ``source`` into ``target`` (same brand) and close ``source``."""
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
    session.flush()
    now = utcnow()
    target.pinned = target.pinned or source.pinned
    target.priority = max(target.priority, source.priority)
    if source.due_at and (target.due_at is None or source.due_at < target.due_at):
        target.due_at = source.due_at
    if SEVERITIES.index(source.severity) > SEVERITIES.index(target.severity):
        target.severity = source.severity
    _touch(target, now)
    _refresh_summary(session, target)
    source.status = "closed"
    source.resolved_at = now
    source.mention_count = 0
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
        before={"case_id": source.id},
        after={"mentions": ids},
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


def split(*, session: Session, case: Case, mention: Mention, actor: User) -> Case:
    """Move one mention out into a new case of its own (same brand, same triage)."""
    _lock_to_change(session, case, None, mention)
    if mention.case_id != case.id:
        raise CaseworkError(_l("Cette mention n'appartient pas à ce cas."))
    views = case_mentions(session=session, case=case)
    if len(views) < 2:
        raise CaseworkError(_l("Un cas d'une seule mention ne se scinde pas."))
    triage = next((v.triage for v in views if v.mention.id == mention.id), None)
    author = session.get(Author, mention.author_id)
    now = utcnow()
    new_case = Case(
        brand_id=case.brand_id,
        person_id=author.person_id if author else case.person_id,
        status="open",
        severity=triage.severity if triage else case.severity,
        scenario=(triage.scenarios[0] if triage and triage.scenarios else case.scenario),
        action=triage.action if triage else case.action,
        approver=triage.approver if triage else case.approver,
        priority=triage.priority if triage else case.priority,
        due_at=(triage.due_at if triage and triage.due_at else case.due_at),
        channel=mention.channel,
        language=mention.lang or case.language,
        excerpt=mention.text[:300],
        thread_id=mention.thread_id,
        mention_count=1,
        opened_at=now,
        last_activity_at=now,
    )
    session.add(new_case)
    session.flush()
    mention.case_id = new_case.id
    session.add(mention)
    session.flush()
    _refresh_summary(session, case)
    _touch(case, now)
    audit.record(
        session=session,
        action="case.split",
        target_type="case",
        target_id=case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before={"mention_id": mention.id},
        after={"new_case_id": new_case.id},
    )
    audit.record(
        session=session,
        action="case.split_from",
        target_type="case",
        target_id=new_case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=new_case.id,
        after={"from_case_id": case.id, "mention_id": mention.id},
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
    reply.outbox_state = "queued"
    reply.next_attempt_at = now
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
