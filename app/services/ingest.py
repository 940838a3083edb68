"""Ingest: store mentions idempotently, triage them, and group them into cases.

Order matters and is the contract with the connectors: `store_mentions` runs in the same
transaction as the cursor update, so a cursor never moves past an uncommitted mention;
`triage_pending` runs after that commit, so a triage failure never loses a mention.

Concurrency: web processes, pollers and the sweeper triage at once. Each claims its mentions
(row locks on PostgreSQL, the write lock on SQLite) in the transaction that marks them
triaged, so a mention is triaged once whoever stored it; a brand's open cases are read and
changed under the brand's lock, so two batches never open two cases for one thread.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, or_, text, update
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
    User,
    utcnow,
)
from app.services import audit, bulk, content, triage, triage_context
from connectors import FetchedMention

log = logging.getLogger("vigie.ingest")

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
# A mention whose triage raised this many times is set aside (state triage_failed, audited).
MAX_TRIAGE_ATTEMPTS = 3
# pg_advisory_xact_lock(namespace, brand id): one batch at a time places a brand's mentions.
CASE_GROUPING_LOCK = 0x56494731


@dataclass
class StoreResult:
    new: list[str]  # external ids of the mentions stored by this call
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
) -> dict[tuple[str, str], int]:
    """Author ids by identity: existing ones updated, new ones created with their person.

    Two writers may meet the same new author at once (a webhook retry, two accounts of one
    brand): the loser's savepoint rolls back and it takes the winner's rows.
    """
    for attempt in range(2):
        try:
            with session.begin_nested():
                return _upsert_authors_once(session, account, items)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _upsert_authors_once(
    session: Session, account: ConnectorAccount, items: Sequence[FetchedMention]
) -> dict[tuple[str, str], int]:
    channels = {m.channel for m in items}
    ids = {m.author.external_id for m in items}
    existing = session.exec(
        select(Author).where(
            Author.brand_id == account.brand_id,
            col(Author.platform).in_(channels),
            col(Author.external_id).in_(ids),
        )
    ).all()
    result = {(a.platform, a.external_id): a.id for a in existing}
    by_identity = {(a.platform, a.external_id): a for a in existing}
    now = utcnow()
    new_items: dict[tuple[str, str], FetchedMention] = {}
    for item in items:
        author = by_identity.get(_identity(item))
        if author is None:
            new_items.setdefault(_identity(item), item)
        elif _refresh_author(author, item, now):
            session.add(author)
    session.flush()
    if new_items:
        persons = _persons_for(session, account, list(new_items.values()))
        rows = [
            {
                "brand_id": account.brand_id,
                "person_id": persons[identity],
                "platform": item.channel,
                "external_id": item.author.external_id,
                "handle": item.author.handle,
                "handle_key": _handle_key(item.author.handle),
                "name": item.author.name,
                "followers": item.author.followers or 0,
                "verified": item.author.verified,
                "url": item.author.url,
                "created_at": now,
                "updated_at": now,
            }
            for identity, item in new_items.items()
        ]
        new_ids = bulk.insert_returning_ids(session, Author.__table__, rows)  # type: ignore[attr-defined]
        result.update(zip(new_items, new_ids, strict=True))
    return result  # type: ignore[return-value]


def _refresh_author(author: Author, item: FetchedMention, now: datetime) -> bool:
    """Bring a known identity up to date; True when something changed."""
    info = item.author
    changed = (author.handle, author.name, author.verified) != (
        info.handle,
        info.name,
        info.verified,
    )
    if info.followers is not None and info.followers != author.followers:
        author.followers = info.followers
        changed = True
    if changed:
        author.handle, author.name, author.verified = info.handle, info.name, info.verified
        author.handle_key = _handle_key(info.handle)
        author.updated_at = now
    return changed


def _persons_for(
    session: Session, account: ConnectorAccount, items: list[FetchedMention]
) -> dict[tuple[str, str], int]:
    """Person ids: the same person on another channel (same normalised handle), else a new
    person (seed 003)."""
    keys = {_handle_key(i.author.handle) for i in items} - {""}
    known: dict[str, list[tuple[str, int]]] = {}
    if keys:
        for platform, key, person_id in session.exec(
            select(Author.platform, Author.handle_key, Author.person_id).where(
                Author.brand_id == account.brand_id, col(Author.handle_key).in_(keys)
            )
        ):
            known.setdefault(key, []).append((platform, person_id))
    chosen: dict[tuple[str, str], int | tuple[str, str]] = {}
    new_rows: dict[tuple[str, str], dict[str, object]] = {}
    new_by_key: dict[str, tuple[str, tuple[str, str]]] = {}
    for item in items:
        identity, key = _identity(item), _handle_key(item.author.handle)
        match: int | tuple[str, str] | None = None
        if len(key) >= 3:
            match = next((pid for plat, pid in known.get(key, []) if plat != item.channel), None)
            if match is None and key in new_by_key and new_by_key[key][0] != item.channel:
                match = new_by_key[key][1]  # a person created for another channel just now
        if match is None:
            new_rows[identity] = {
                "brand_id": account.brand_id,
                "display_name": item.author.name or item.author.handle,
                "tier": None,
                "vip": False,
                "notes": "",
                "created_at": utcnow(),
                **_crm_profile(account, item),
            }
            if len(key) >= 3:
                new_by_key.setdefault(key, (item.channel, identity))
            match = identity
        chosen[identity] = match
    new_ids = dict(
        zip(
            new_rows,
            bulk.insert_returning_ids(session, Person.__table__, list(new_rows.values())),  # type: ignore[attr-defined]
            strict=True,
        )
    )
    return {identity: new_ids[m] if isinstance(m, tuple) else m for identity, m in chosen.items()}


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
    if session.connection().dialect.name != "postgresql":
        # SQLite: a transaction that reads then writes fails at once ("database is locked")
        # if another writer committed in between; holding the lock first makes it wait.
        _hold_write_lock(session)
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
    now = utcnow()
    rows = [
        {
            "brand_id": account.brand_id,
            "account_id": account.id,
            "platform": account.platform,
            "channel": item.channel or account.platform,
            "external_id": item.external_id,
            "author_id": authors[_identity(item)],
            "text": item.text,
            "lang": item.lang,
            "url": item.url,
            "thread_id": item.thread_id,
            "in_reply_to": item.in_reply_to,
            "visibility": item.visibility,
            "raw": item.raw,
            "posted_at": item.posted_at,
            "ingested_at": now,
            "state": "new",
            "hidden": False,
        }
        for item in fresh
    ]
    if not rows:
        return StoreResult([], len(items))
    try:
        # One stream of rows: mentions are read back by triage_pending, not kept here.
        with session.begin_nested():
            bulk.append_rows(session, Mention.__table__, rows)  # type: ignore[attr-defined]
        stored = [row["external_id"] for row in rows]
    except IntegrityError:
        # Another process stored some of them meanwhile (a webhook retry racing): one by one.
        stored = [str(r["external_id"]) for r in rows if _insert_one(session, r)]
    return StoreResult(stored, len(items) - len(stored))


def _insert_one(session: Session, row: dict[str, object]) -> bool:
    try:
        with session.begin_nested():
            session.execute(insert(Mention), row)
        return True
    except IntegrityError:
        return False


PENDING_COLUMNS = (
    Mention.id,
    Mention.brand_id,
    Mention.author_id,
    Mention.text,
    Mention.lang,
    Mention.channel,
    Mention.thread_id,
    Mention.posted_at,
    Mention.hidden,
    Mention.triage_attempts,
)


def triage_pending(
    *,
    session: Session,
    limit: int = 500,
    now: datetime | None = None,
    account_id: int | None = None,
    external_ids: Sequence[str] | None = None,
) -> int:
    """Claim untriaged mentions and triage them, oldest first; returns how many; no commit.

    `external_ids` (with `account_id`): the mentions a request just stored; `account_id`
    alone: that account's backlog (after a poll); neither: the oldest brand's backlog (the
    sweeper, one brand per call so its lock is held briefly).
    """
    now = now or utcnow()
    pending = _claim(session, limit, account_id, external_ids)
    by_brand: dict[int, list[Any]] = {}
    for mention in pending:
        by_brand.setdefault(mention.brand_id, []).append(mention)
    for brand_id in sorted(by_brand):  # one order for every process: no deadlock between locks
        brand = session.get(Brand, brand_id)
        assert brand is not None
        _triage_batch(session, brand, by_brand[brand_id], now)
    return len(pending)


def _claim(
    session: Session, limit: int, account_id: int | None, external_ids: Sequence[str] | None
) -> list[Any]:
    """Untriaged mentions that this transaction alone may triage (they stay claimed until it
    ends, when they are triaged or, after a rollback, untriaged again)."""
    if external_ids is not None and account_id is None:
        raise ValueError("external ids are unique per account: pass account_id too")
    if external_ids is not None and not external_ids:
        return []
    postgres = session.connection().dialect.name == "postgresql"
    if not postgres:
        _hold_write_lock(session)  # SQLite: no row locks, so nobody else writes meanwhile
    # Plain rows, not ORM objects: the batch reads them and writes one UPDATE each.
    query = select(*PENDING_COLUMNS).where(Mention.state == "new")
    if account_id is not None:
        query = query.where(Mention.account_id == account_id)
    if external_ids is not None:
        query = query.where(col(Mention.external_id).in_(external_ids))
    elif account_id is None:
        oldest = select(Mention.brand_id).where(Mention.state == "new")
        oldest = oldest.order_by(col(Mention.id)).limit(1)
        if postgres:
            oldest = oldest.with_for_update(skip_locked=True)
        brand_id = session.exec(oldest).first()
        if brand_id is None:
            return []
        query = query.where(Mention.brand_id == brand_id)
    query = query.order_by(col(Mention.id)).limit(limit)
    if postgres:
        # A backlog skips rows another transaction is triaging. A request's own mentions wait
        # for it instead: once it commits they are triaged, drop out, and the answer is whole.
        query = query.with_for_update(skip_locked=external_ids is None)
    return list(session.exec(query).all())


def _hold_write_lock(session: Session) -> None:
    """SQLite: take the database's write lock now (BEGIN IMMEDIATE) rather than at the first
    write, so that what this transaction reads cannot change before it writes."""
    connection = session.connection()
    if not connection.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _lock_brand(session: Session, brand_id: int) -> None:
    """Serialise the placing of one brand's mentions until the transaction ends."""
    if session.connection().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :brand)"),
            {"namespace": CASE_GROUPING_LOCK, "brand": brand_id},
        )
    else:
        _hold_write_lock(session)


def _triage_batch(session: Session, brand: Brand, mentions: list[Any], now: datetime) -> None:
    """A brand's mentions in one savepoint; if that fails, one by one, so that one bad mention
    does not hold back the others and is set aside once it has failed too often."""
    try:
        with session.begin_nested():
            _BrandBatch(session, brand, mentions, now).run()
        return
    except Exception as exc:
        if len(mentions) == 1:
            _triage_failed(session, brand, mentions[0], exc)
            return
        log.warning("triage of %d mentions of brand %s failed; one by one", len(mentions), brand.id)
    for mention in mentions:
        try:
            with session.begin_nested():
                _BrandBatch(session, brand, [mention], now).run()
        except Exception as exc:
            _triage_failed(session, brand, mention, exc)


def _triage_failed(session: Session, brand: Brand, mention: Any, exc: Exception) -> None:
    """Count a failed triage; the mention stays claimable until the last allowed attempt."""
    log.exception("triage of mention %s failed", mention.id)
    attempts = mention.triage_attempts + 1
    given_up = attempts >= MAX_TRIAGE_ATTEMPTS
    session.execute(
        update(Mention)
        .where(col(Mention.id) == mention.id)
        .values(triage_attempts=attempts, state="triage_failed" if given_up else "new")
    )
    if given_up:
        audit.record(
            session=session,
            action="mention.triage_failed",
            target_type="mention",
            target_id=mention.id,
            brand_id=brand.id,
            actor_label="playbook",
            after={"attempts": attempts},
            note=f"{type(exc).__name__}: {exc}"[:1000],
        )


@dataclass(slots=True)
class _NewCase:
    """A case opened by this batch: a plain row until the batch inserts them all at once."""

    brand_id: int
    person_id: int | None
    severity: str
    scenario: str | None
    action: str
    approver: str | None
    priority: int
    due_at: datetime | None
    channel: str | None
    language: str | None
    excerpt: str
    thread_id: str | None
    opened_at: datetime
    last_activity_at: datetime
    status: str = "open"
    pinned: bool = False
    involved_brand: bool = False
    mention_count: int = 0
    decision_mention_id: int | None = None
    id: int | None = None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__ if name != "id"}


class _BrandBatch:
    """Triage and grouping of one brand's pending mentions with a handful of statements.

    Everything the decisions need (authors, persons, the published playbook, then under the
    brand's lock the open cases of the same threads and persons) is loaded once; cases
    opened by the batch are indexed
    in memory so that two mentions of one thread in the same batch share a case, then
    inserted together, as are the triages, the mention updates and the audit rows.
    """

    def __init__(self, session: Session, brand: Brand, mentions: list[Any], now: datetime):
        self.session, self.brand, self.mentions, self.now = session, brand, mentions, now
        self.window = timedelta(
            hours=int(brand.settings.get("duplicate_window_hours", DEFAULT_DUPLICATE_WINDOW_HOURS))
        )
        self.published = content.published_playbook(session=session, brand_id=brand.id)  # type: ignore[arg-type]
        author_ids = {m.author_id for m in mentions}
        self.authors = {
            a.id: a for a in session.exec(select(Author).where(col(Author.id).in_(author_ids)))
        }
        person_ids = {a.person_id for a in self.authors.values()}
        self.persons = {
            p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(person_ids)))
        }
        self.by_thread: dict[str, Case | _NewCase] = {}
        self.by_person: dict[int, Case | _NewCase] = {}

    def _load_open_cases(self) -> None:
        """Open cases of the batch's threads and persons, read fresh under the brand's lock
        (and their rows locked against a concurrent close or merge) just before placing."""
        _lock_brand(self.session, self.brand.id)  # type: ignore[arg-type]
        threads = {m.thread_id for m in self.mentions if m.thread_id}
        person_ids = {a.person_id for a in self.authors.values()}
        open_cases = self.session.exec(
            select(Case)
            .where(
                Case.brand_id == self.brand.id,
                Case.status != "closed",
                or_(col(Case.thread_id).in_(threads), col(Case.person_id).in_(person_ids)),
            )
            .order_by(col(Case.id))
            .with_for_update()
            # A long-lived session may hold these cases from an earlier batch: reload them.
            .execution_options(populate_existing=True)
        ).all()
        for case in sorted(open_cases, key=lambda c: c.last_activity_at):
            self._index(case)

    def _index(self, case: Case | _NewCase) -> None:
        if case.thread_id:
            self.by_thread[case.thread_id] = case
        if case.person_id is not None:
            self.by_person[case.person_id] = case

    def run(self) -> None:
        placed: list[tuple[Any, triage.TriageRow, Case | _NewCase | None]] = []
        new_cases: list[_NewCase] = []
        urgent: dict[int, tuple[Case | _NewCase, triage.TriageRow]] = {}
        # Deciding needs no case: done before taking the brand's lock, to hold it briefly.
        thread = triage_context.gather(
            self.session,
            self.brand.id,
            self.mentions,
            self.authors,
            self.now,  # type: ignore[arg-type]
        )
        decisions = [thread.record(m, self._decide(m, thread)) for m in self.mentions]
        self._load_open_cases()
        with self.session.no_autoflush:
            for mention, decision in zip(self.mentions, decisions, strict=True):
                person = self.persons.get(self.authors[mention.author_id].person_id)
                case = None
                if decision.action not in NO_CASE_ACTIONS:
                    case = self._place(mention, person, decision, new_cases)
                    if decision.action == "escalate_urgent":
                        # The brand is told at once and the case is pinned on top.
                        case.pinned, case.status, case.involved_brand = True, "escalated", True
                        urgent.setdefault(id(case), (case, decision))
                placed.append((mention, decision, case))
        self._insert_new_cases(new_cases)
        self.session.flush()  # changes to cases that were already open
        bulk.append_rows(
            self.session,
            Triage.__table__,  # type: ignore[attr-defined]
            [decision.values() for _, decision, _ in placed],
        )
        self.session.execute(
            update(Mention),
            [
                {
                    "id": mention.id,
                    "state": "triaged",
                    "case_id": case.id if case is not None else None,
                    **(
                        {"hidden": True, "hide_state": "pending"}
                        if decision.action == "hide" and not mention.hidden
                        else {}
                    ),
                }
                for mention, decision, case in placed
            ],
        )
        events = [self._triage_event(m, d, c) for m, d, c in placed]
        events += [self._opened_event(c) for c in new_cases]
        audit.insert_many(session=self.session, events=events)
        for case, decision in urgent.values():
            open_urgent_escalation(session=self.session, case=case, decision=decision, now=self.now)

    def _decide(self, mention: Any, thread: triage_context.BatchContext) -> triage.TriageRow:
        author = self.authors[mention.author_id]
        return triage.decide(
            published=self.published,
            brand=self.brand,
            mention=mention,
            author=author,
            person=self.persons.get(author.person_id),
            now=self.now,
            thread=thread.for_mention(mention),
        )

    def _insert_new_cases(self, new_cases: list[_NewCase]) -> None:
        ids = bulk.insert_returning_ids(
            self.session,
            Case.__table__,
            [c.values() for c in new_cases],  # type: ignore[attr-defined]
        )
        for case, new_id in zip(new_cases, ids, strict=True):
            case.id = new_id

    def _triage_event(
        self, mention: Any, decision: triage.TriageRow, case: Case | _NewCase | None
    ) -> dict[str, object]:
        return dict(
            action="mention.triaged",
            target_type="mention",
            target_id=mention.id,
            brand_id=self.brand.id,
            case_id=case.id if case is not None else None,
            actor_label="playbook",
            after={
                "severity": decision.severity,
                "scenarios": decision.scenarios,
                "action": decision.action,
                "playbook_version": decision.playbook_version,
            },
        )

    def _opened_event(self, case: _NewCase) -> dict[str, object]:
        return dict(
            action="case.opened",
            target_type="case",
            target_id=case.id,
            brand_id=self.brand.id,
            case_id=case.id,
            actor_label="playbook",
            after={"severity": case.severity, "scenario": case.scenario, "action": case.action},
        )

    def _place(
        self,
        mention: Any,
        person: Person | None,
        decision: triage.TriageRow,
        new_cases: list[_NewCase],
    ) -> Case | _NewCase:
        """Same thread first, then the same person's recent open case, else a new case."""
        case = self.by_thread.get(mention.thread_id) if mention.thread_id else None
        if case is None and person is not None:
            candidate = self.by_person.get(person.id)  # type: ignore[arg-type]
            if candidate is not None and candidate.last_activity_at >= self.now - self.window:
                case = candidate
        if case is None:
            case = _NewCase(
                brand_id=self.brand.id,  # type: ignore[arg-type]
                person_id=person.id if person else None,
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
                opened_at=self.now,
                last_activity_at=self.now,
                decision_mention_id=mention.id,
            )
            new_cases.append(case)
        else:
            merge_decision(case, decision, mention)
            case.last_activity_at = self.now
            if case.status == "waiting":
                case.status = "open"
        case.mention_count += 1
        self._index(case)
        return case


def merge_decision(case: Any, decision: Any, mention: Any) -> None:
    """A new mention can make a case more serious, more urgent and more restricted, never less.

    The case's decision is that of its most serious mention (severity, then how restricted its
    action is): that mention's scenario, excerpt and explanation; a later, milder or equally
    serious one changes nothing of it. `decision` is a TriageRow or a stored Triage.
    """
    new = (SEVERITY_RANK[decision.severity], ACTION_RANK.get(decision.action, 0))
    old = (SEVERITY_RANK[case.severity], ACTION_RANK.get(case.action, 0))
    if new > old:
        case.severity = decision.severity
        case.scenario = decision.scenarios[0] if decision.scenarios else None
        case.excerpt = mention.text[:EXCERPT_LENGTH]
        case.decision_mention_id = mention.id
    if ACTION_RANK.get(decision.action, 0) > ACTION_RANK.get(case.action, 0):
        case.action, case.approver = decision.action, decision.approver
    case.priority = max(case.priority, decision.priority)
    if decision.due_at and (case.due_at is None or decision.due_at < case.due_at):
        case.due_at = decision.due_at


def open_urgent_escalation(
    *,
    session: Session,
    case: Any,
    decision: triage.TriageRow | Triage,
    now: datetime,
    actor: User | None = None,
    why: str | None = None,
) -> Escalation:
    """The urgent escalation of an S4 / escalate_urgent case (one open at a time per case).

    Ingest and a reviewer's correction both open it here. A normal escalation already open
    (a CM asked the brand something) does not stand in for it: the on-call alert must go out.
    """
    existing = session.exec(
        select(Escalation).where(
            Escalation.case_id == case.id,
            Escalation.state == "open",
            Escalation.urgency == "urgent",
        )
    ).first()
    if existing is not None:
        return existing
    reasons = "; ".join(e.get("explanation", e.get("rule", "")) for e in decision.evidence[:3])
    escalation = Escalation(
        brand_id=case.brand_id,
        case_id=case.id,
        urgency="urgent",  # type: ignore[arg-type]
        reason=why or f"Escalade urgente automatique ({decision.severity}) : {reasons}",
        requested_by_id=actor.id if actor else None,
        deadline_at=now + timedelta(minutes=15),
    )
    session.add(escalation)
    session.flush()
    audit.record(
        session=session,
        action="escalation.opened",
        target_type="escalation",
        target_id=escalation.id,
        brand_id=case.brand_id,
        case_id=case.id,
        actor=actor,
        actor_label=None if actor else "playbook",
        after={"urgency": "urgent", "reason": escalation.reason},
    )
    return escalation
