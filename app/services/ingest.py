"""Ingest: store mentions idempotently, triage them, and group them into cases.

Order matters and is the contract with the connectors: `store_mentions` runs in the same
transaction as the cursor update, so a cursor never moves past an uncommitted mention;
`triage_pending` runs after that commit, so a triage failure never loses a mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import (
    TIERS,
    Author,
    Brand,
    Case,
    ConnectorAccount,
    Escalation,
    Mention,
    Person,
    Triage,
    utcnow,
)
from app.services import audit, triage
from connectors import FetchedMention

SEVERITY_RANK = {"S0": 0, "S1": 1, "S2": 2, "S3": 3, "S4": 4}
# The more the brand is involved, the more restrictive: a case takes its most restrictive action.
ACTION_RANK = {
    "ignore": 0,
    "hide": 1,
    "reply": 2,
    "reply_with_approval": 3,
    "escalate": 4,
    "escalate_urgent": 5,
}
NO_CASE_ACTIONS = ("ignore", "hide")
DEFAULT_DUPLICATE_WINDOW_HOURS = 48
EXCERPT_LENGTH = 280


@dataclass
class StoreResult:
    new: list[Mention]
    duplicates: int


def _handle_key(handle: str) -> str:
    """How one person is recognised across channels: '@Marie_Dupont@m.social' → 'mariedupont'."""
    local = handle.strip().lstrip("@").split("@")[0].lower()
    local = re.sub(r"\.bsky\.social$", "", local)
    return re.sub(r"[._\-]", "", local)


def _identity(item: FetchedMention) -> tuple[str, str]:
    """An author is one identity per channel (the demo and webhooks carry several channels)."""
    return item.channel, item.author.external_id


def _upsert_authors(
    session: Session, account: ConnectorAccount, items: Sequence[FetchedMention]
) -> dict[tuple[str, str], Author]:
    channels = {m.channel for m in items}
    ids = {m.author.external_id for m in items}
    existing = {
        (a.platform, a.external_id): a
        for a in session.exec(
            select(Author).where(
                Author.brand_id == account.brand_id,
                col(Author.platform).in_(channels),
                col(Author.external_id).in_(ids),
            )
        )
    }
    now = utcnow()
    for item in items:
        info = item.author
        author = existing.get(_identity(item))
        if author is None:
            person = _match_person(session, account, item)
            author = Author(
                brand_id=account.brand_id,
                person_id=person.id,  # type: ignore[arg-type]
                platform=item.channel,
                external_id=info.external_id,
                handle=info.handle,
                handle_key=_handle_key(info.handle),
                name=info.name,
                followers=info.followers or 0,
                verified=info.verified,
                url=info.url,
            )
            session.add(author)
            existing[_identity(item)] = author
        elif (author.handle, author.name, author.verified) != (
            info.handle,
            info.name,
            info.verified,
        ) or (info.followers is not None and info.followers != author.followers):
            author.handle, author.name, author.verified = info.handle, info.name, info.verified
            author.handle_key = _handle_key(info.handle)
            if info.followers is not None:
                author.followers = info.followers
            author.updated_at = now
            session.add(author)
    session.flush()
    return existing


def _match_person(session: Session, account: ConnectorAccount, item: FetchedMention) -> Person:
    """The same person on another channel (same handle), or a new person (seed 003)."""
    key = _handle_key(item.author.handle)
    if len(key) >= 3:
        other = session.exec(
            select(Author).where(
                Author.brand_id == account.brand_id,
                Author.handle_key == key,
                Author.platform != item.channel,
            )
        ).first()
        if other is not None:
            person = session.get(Person, other.person_id)
            if person is not None:
                return person
    person = Person(
        brand_id=account.brand_id,
        display_name=item.author.name or item.author.handle,
        **_crm_profile(account, item),
    )
    session.add(person)
    session.flush()
    return person


def _crm_profile(account: ConnectorAccount, item: FetchedMention) -> dict[str, object]:
    """Loyalty tier and VIP flag when a pushed or demo mention carries the brand's CRM data."""
    if account.platform not in ("webhook", "demo"):
        return {}
    author = item.raw.get("author") if isinstance(item.raw.get("author"), dict) else {}
    tier = author.get("tier") if isinstance(author.get("tier"), str) else None
    return {"tier": tier if tier in TIERS else None, "vip": bool(author.get("vip"))}


def store_mentions(
    *, session: Session, account: ConnectorAccount, items: Iterable[FetchedMention]
) -> StoreResult:
    """Insert the mentions not stored yet (unique per account and external id); no commit."""
    items = list({m.external_id: m for m in items}.values())
    if not items:
        return StoreResult([], 0)
    known = set(
        session.exec(
            select(Mention.external_id).where(
                Mention.account_id == account.id,
                col(Mention.external_id).in_([m.external_id for m in items]),
            )
        ).all()
    )
    fresh = [m for m in items if m.external_id not in known]
    authors = _upsert_authors(session, account, fresh)
    stored: list[Mention] = []
    for item in fresh:
        mention = Mention(
            brand_id=account.brand_id,
            account_id=account.id,  # type: ignore[arg-type]
            platform=account.platform,
            channel=item.channel or account.platform,
            external_id=item.external_id,
            author_id=authors[_identity(item)].id,  # type: ignore[arg-type]
            text=item.text,
            lang=item.lang,
            url=item.url,
            thread_id=item.thread_id,
            in_reply_to=item.in_reply_to,
            visibility=item.visibility,
            raw=item.raw,
            posted_at=item.posted_at,
        )
        stored.append(mention)
    try:
        with session.begin_nested():
            session.add_all(stored)
            session.flush()
    except IntegrityError:
        # Another process stored some of them meanwhile (a webhook retry racing): one by one.
        stored = [m for m in (_insert_one(session, m) for m in stored) if m is not None]
    return StoreResult(stored, len(items) - len(stored))


def _insert_one(session: Session, mention: Mention) -> Mention | None:
    fresh = Mention(**mention.model_dump(exclude={"id"}))
    try:
        with session.begin_nested():
            session.add(fresh)
            session.flush()
        return fresh
    except IntegrityError:
        return None


def triage_pending(*, session: Session, limit: int = 500, now: datetime | None = None) -> int:
    """Triage stored mentions that have not been triaged yet, oldest first; no commit."""
    now = now or utcnow()
    pending = session.exec(
        select(Mention).where(Mention.state == "new").order_by(Mention.id).limit(limit)
    ).all()
    brands: dict[int, Brand] = {}
    for mention in pending:
        brand = brands.get(mention.brand_id) or session.get(Brand, mention.brand_id)
        assert brand is not None
        brands[mention.brand_id] = brand
        triage_one(session=session, brand=brand, mention=mention, now=now)
    return len(pending)


def triage_one(
    *, session: Session, brand: Brand, mention: Mention, now: datetime | None = None
) -> Triage:
    """Decide on one mention, record the decision and put it in a case."""
    now = now or utcnow()
    author = session.get(Author, mention.author_id)
    assert author is not None
    person = session.get(Person, author.person_id)
    decision = triage.decide(
        session=session, brand=brand, mention=mention, author=author, person=person, now=now
    )
    session.add(decision)
    mention.state = "triaged"
    if decision.action == "hide":
        mention.hidden = True
    session.add(mention)
    session.flush()
    audit.record(
        session=session,
        action="mention.triaged",
        target_type="mention",
        target_id=mention.id,
        brand_id=brand.id,
        actor_label="playbook",
        after={
            "severity": decision.severity,
            "scenarios": decision.scenarios,
            "action": decision.action,
            "playbook_version": decision.playbook_version,
        },
    )
    if decision.action not in NO_CASE_ACTIONS:
        case = assign_case(
            session=session, brand=brand, mention=mention, person=person, decision=decision, now=now
        )
        if decision.action == "escalate_urgent":
            open_urgent_escalation(session=session, case=case, decision=decision, now=now)
    return decision


def _open_case_for(
    session: Session, brand: Brand, mention: Mention, person: Person | None, now: datetime
) -> Case | None:
    """Same thread first, then the same person's open case within the duplicate window."""
    if mention.thread_id:
        case = session.exec(
            select(Case).where(
                Case.brand_id == brand.id,
                Case.thread_id == mention.thread_id,
                Case.status != "closed",
            )
        ).first()
        if case is not None:
            return case
    if person is not None:
        hours = int(brand.settings.get("duplicate_window_hours", DEFAULT_DUPLICATE_WINDOW_HOURS))
        return session.exec(
            select(Case)
            .where(
                Case.brand_id == brand.id,
                Case.person_id == person.id,
                Case.status != "closed",
                Case.last_activity_at >= now - timedelta(hours=hours),
            )
            .order_by(col(Case.last_activity_at).desc())
        ).first()
    return None


def assign_case(
    *,
    session: Session,
    brand: Brand,
    mention: Mention,
    person: Person | None,
    decision: Triage,
    now: datetime,
) -> Case:
    """Put the mention in an open case (thread or same person) or open a new one."""
    case = _open_case_for(session, brand, mention, person, now)
    if case is None:
        case = Case(
            brand_id=brand.id,
            person_id=person.id if person else None,  # type: ignore[arg-type]
            status="open",
            severity=decision.severity,
            scenario=decision.scenarios[0] if decision.scenarios else None,
            action=decision.action,
            approver=decision.approver,
            priority=decision.priority,
            due_at=decision.due_at,
            channel=mention.channel,
            language=decision.language or mention.lang,
            excerpt=mention.text[:EXCERPT_LENGTH],
            thread_id=mention.thread_id,
            opened_at=now,
            last_activity_at=now,
            mention_count=0,
        )
        session.add(case)
        session.flush()
        audit.record(
            session=session,
            action="case.opened",
            target_type="case",
            target_id=case.id,
            brand_id=brand.id,
            case_id=case.id,
            actor_label="playbook",
            after={"severity": case.severity, "scenario": case.scenario, "action": case.action},
        )
    else:
        _merge_decision(case, decision, mention)
        case.last_activity_at = now
        if case.status == "waiting":
            case.status = "open"
    case.mention_count += 1
    session.add(case)
    mention.case_id = case.id
    session.add(mention)
    session.flush()
    return case


def _merge_decision(case: Case, decision: Triage, mention: Mention) -> None:
    """A new mention can make a case more serious, more urgent and more restricted, never less."""
    if SEVERITY_RANK[decision.severity] > SEVERITY_RANK[case.severity]:
        case.severity = decision.severity
        case.scenario = decision.scenarios[0] if decision.scenarios else case.scenario
        case.excerpt = mention.text[:EXCERPT_LENGTH]
    if ACTION_RANK.get(decision.action, 0) > ACTION_RANK.get(case.action, 0):
        case.action, case.approver = decision.action, decision.approver
    case.priority = max(case.priority, decision.priority)
    if decision.due_at and (case.due_at is None or decision.due_at < case.due_at):
        case.due_at = decision.due_at


def open_urgent_escalation(
    *, session: Session, case: Case, decision: Triage, now: datetime
) -> Escalation:
    """S4 / escalate_urgent: the brand is told at once and the case is pinned on top."""
    existing = session.exec(
        select(Escalation).where(Escalation.case_id == case.id, Escalation.state == "open")
    ).first()
    if existing is not None:
        return existing
    reasons = "; ".join(e.get("explanation", e.get("rule", "")) for e in decision.evidence[:3])
    escalation = Escalation(
        brand_id=case.brand_id,
        case_id=case.id,
        urgency="urgent",  # type: ignore[arg-type]
        reason=f"Escalade urgente automatique ({decision.severity}) : {reasons}",
        deadline_at=now + timedelta(minutes=15),
    )
    case.pinned = True
    case.status = "escalated"
    case.involved_brand = True
    session.add_all([escalation, case])
    session.flush()
    audit.record(
        session=session,
        action="escalation.opened",
        target_type="escalation",
        target_id=escalation.id,
        brand_id=case.brand_id,
        case_id=case.id,
        actor_label="playbook",
        after={"urgency": "urgent", "reason": escalation.reason},
    )
    return escalation
