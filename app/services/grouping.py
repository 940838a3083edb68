"""Case grouping: where a triaged mention goes (same thread, the same person's recent open case, or
a new case) and how a case's decision follows its mentions (never less serious).

``BrandBatch`` places one brand's decided mentions with a handful of statements, under the
brand's lock, so that two batches never open two cases for one thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, literal_column, or_, text
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from app.models import (
    Author,
    Brand,
    Case,
    Mention,
    Person,
    Triage,
)
from app.services import audit, bulk, case_states, ingest, queue_changes
from app.services.case_locks import hold_write_lock
from app.services.escalations import open_urgent_escalations
from playbooks.actions import ACTIONS
from playbooks.model import SEVERITIES, severity_rank

# Ranks come from the playbook package, the one source: severities S0..S4, and actions by how
# much they involve the brand (a case takes its most restrictive action).
SEVERITY_RANK = {severity: severity_rank(severity) for severity in SEVERITIES}
ACTION_RANK = {name: action.rank for name, action in ACTIONS.items()}

NO_CASE_ACTIONS = ("ignore", "hide")
DEFAULT_DUPLICATE_WINDOW_HOURS = 48
EXCERPT_LENGTH = 280


# pg_advisory_xact_lock(namespace, brand id): one batch at a time places a brand's mentions.
CASE_GROUPING_LOCK = 0x56494731


class Decision(Protocol):
    """What grouping reads of a mention's decision (a ``triage_rows.TriageRow``)."""

    severity: str
    scenarios: list[str]
    action: str
    approver: str | None
    priority: int
    due_at: datetime | None
    language: str | None
    playbook_version: str | None
    evidence: list[dict[str, Any]]

    def values(self) -> dict[str, Any]: ...


_LOCK_BRAND = text("SELECT pg_advisory_xact_lock(:namespace, :brand)")


def lock_brand(session: Session, brand_id: int) -> None:
    """Serialise the placing of one brand's mentions until the transaction ends."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK_BRAND, {"namespace": CASE_GROUPING_LOCK, "brand": brand_id})
    else:
        hold_write_lock(session)


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


@dataclass(slots=True)
class _OpenCase:
    """A case open before this batch, as read under the brand's lock: the batch changes it in
    memory and writes every case it changed back in one statement (``OPEN_CASE_WRITES``)."""

    id: int
    brand_id: int
    person_id: int | None
    thread_id: str | None
    status: str
    severity: str
    scenario: str | None
    action: str
    approver: str | None
    priority: int
    due_at: datetime | None
    excerpt: str
    decision_mention_id: int | None
    last_activity_at: datetime
    mention_count: int
    pinned: bool
    involved_brand: bool


# The open cases of a batch's threads and persons, their rows locked (on PostgreSQL; SQLite
# has no row locks: the brand's lock holds its only writer). Built once: building a select
# and its cache key cost more than reading it. 'closed' a constant, as the planner sees it.
_CASES = Case.__table__  # type: ignore[attr-defined]
_OPEN_CASES = (
    select(*(_CASES.c[name] for name in _OpenCase.__slots__))
    .where(
        _CASES.c.brand_id == bindparam("brand"),
        _CASES.c.status != literal_column("'closed'"),
        or_(
            bulk.in_param(_CASES.c.thread_id, "threads"),
            bulk.in_param(_CASES.c.person_id, "persons"),
        ),
    )
    .order_by(_CASES.c.id)
    .with_for_update()
)

# What placing a mention may change on a case already open (_place, merge_decision, escalate).
OPEN_CASE_WRITES = tuple(
    name for name in _OpenCase.__slots__ if name not in ("id", "brand_id", "person_id", "thread_id")
)


class BrandBatch:
    """Triage and grouping of one brand's pending mentions with a handful of statements.

    Everything the decisions need (authors, persons, the published playbook, then under the
    brand's lock the open cases of the same threads and persons) is loaded once; cases
    opened by the batch are indexed
    in memory so that two mentions of one thread in the same batch share a case, then
    inserted together, as are the triages, the mention updates and the audit rows.
    """

    def __init__(
        self,
        session: Session,
        brand: Brand,
        mentions: list[Any],
        now: datetime,
        people: ingest.People | None = None,
    ):
        self.session, self.brand, self.mentions, self.now = session, brand, mentions, now
        self.window = timedelta(
            hours=int(brand.settings.get("duplicate_window_hours", DEFAULT_DUPLICATE_WINDOW_HOURS))
        )
        self.authors, self.persons = _authors_and_persons(session, mentions, people)
        self.scenarios: dict[int, str | None] = {}  # mention id → its case's scenario (run)
        self._mention_rows: list[dict[str, Any]] = []  # what `run` set on each mention row
        self._triage_rows: list[dict[str, Any]] = []  # the decisions, as `run` took them
        self.by_thread: dict[str, _OpenCase | _NewCase] = {}
        self.by_person: dict[int, _OpenCase | _NewCase] = {}

    def _load_open_cases(self) -> None:
        """Open cases of the batch's threads and persons, read fresh under the brand's lock
        (and their rows locked against a concurrent close or merge) just before placing.
        Plain rows, not ORM objects: the batch writes the ones it changed in one statement."""
        lock_brand(self.session, self.brand.id)  # type: ignore[arg-type]
        # The batch writes the brand's cases in raw SQL, which the session's events miss.
        queue_changes.note(self.session, self.brand.id)  # type: ignore[arg-type]
        threads = {m.thread_id for m in self.mentions if m.thread_id}
        person_ids = {a.person_id for a in self.authors.values()}
        params = {
            "brand": self.brand.id,
            "threads": sorted(threads),
            "persons": sorted(p for p in person_ids if p is not None),
        }
        rows = self.session.connection().execute(_OPEN_CASES, params).all()
        for case in sorted(
            (_OpenCase(*row) for row in rows), key=lambda c: (c.last_activity_at, c.id)
        ):
            self._index(case)

    def _index(self, case: _OpenCase | _NewCase) -> None:
        if case.thread_id:
            self.by_thread[case.thread_id] = case
        if case.person_id is not None:
            self.by_person[case.person_id] = case

    def run(
        self,
        decide: Callable[[Any, Author, Person | None], Decision],
        extras: Callable[[Any], dict[str, Any]] | None = None,
    ) -> dict[int, int | None]:
        """Decide each mention with ``decide(mention, author, person)``, then place them all;
        ``extras(mention)``: more columns for the same UPDATE of the mention row. Returns the
        case id of each mention (None when its action needs no case). The mention rows are
        written by `write_mentions`, which the caller runs next (after clustering)."""
        placed: list[tuple[Any, Decision, _OpenCase | _NewCase | None]] = []
        new_cases: list[_NewCase] = []
        urgent: dict[int, tuple[_OpenCase | _NewCase, Decision]] = {}
        # Deciding needs no case: done before taking the brand's lock, to hold it briefly.
        decisions = []
        for mention in self.mentions:
            author = self.authors[mention.author_id]
            decisions.append(decide(mention, author, self.persons.get(author.person_id)))
        self._load_open_cases()
        with self.session.no_autoflush:
            for mention, decision in zip(self.mentions, decisions, strict=True):
                person = self.persons.get(self.authors[mention.author_id].person_id)
                case = None
                if decision.action not in NO_CASE_ACTIONS:
                    case = self._place(mention, person, decision, new_cases)
                    if decision.action == "escalate_urgent":
                        # The brand is told at once and the case is pinned on top.
                        case.pinned, case.involved_brand = True, True
                        case_states.escalate(case)
                        urgent.setdefault(id(case), (case, decision))
                placed.append((mention, decision, case))
        self._insert_new_cases(new_cases)
        self._write_open_cases([c for _, _, c in placed if isinstance(c, _OpenCase)])
        # Written with the mention rows (`write_mentions`): they refer to them.
        self._triage_rows = [decision.values() for _, decision, _ in placed]
        auto_hide = (self.brand.settings or {}).get("auto_moderation", True)
        updates = [
            {
                **(extras(mention) if extras is not None else {}),
                "id": mention.id,
                "state": "triaged",
                "case_id": case.id if case is not None else None,
                # None: as stored (one kind of row, for one statement).
                **(
                    {"hidden": True, "hide_state": "pending"}
                    if decision.action == "hide" and not mention.hidden and auto_hide
                    else {"hidden": None, "hide_state": None}
                ),
            }
            for mention, decision, case in placed
        ]
        self._mention_rows = updates  # written by `write_mentions`, once clustering is done
        events = [self._triage_event(m, d, c) for m, d, c in placed]
        events += [self._opened_event(c) for c in new_cases]
        events += open_urgent_escalations(
            session=self.session,
            urgent=list(urgent.values()),
            now=self.now,
            new_case_ids={c.id for c in new_cases},
        )
        audit.insert_many(session=self.session, events=events)
        # Each case's scenario once the whole batch is placed (what clustering compares).
        self.scenarios = {m.id: c.scenario for m, _, c in placed if c is not None}
        return {m.id: c.id if c is not None else None for m, _, c in placed}

    def write_mentions(
        self,
        cluster_ids: Mapping[int, int] | None = None,
        fresh: Mapping[int, dict[str, Any]] | None = None,
    ) -> None:
        """Write each mention's row as placed by `run` (state, case, extras), with its cluster
        (``clusters.assign``) when it joined one, then the decisions: one UPDATE per mention
        row, not one for its case and another for its cluster, since each rewrites the row
        and all its indexes. `fresh`: the rows, by id, of mentions not inserted yet
        (``ingest.store_mentions(defer=True)``), inserted here already triaged; raises
        `ingest.LostRace` if a concurrent writer stored some of them first."""
        clusters = cluster_ids or {}
        rows = [{**row, "cluster_id": clusters.get(row["id"])} for row in self._mention_rows]
        keep = ("hidden", "hide_state", "cluster_id")  # None in a row: the stored value stays
        if fresh is None:
            brands = (self.brand.id,)
            bulk.update_by_id(self.session, Mention, rows, keep, brand_ids=brands)  # type: ignore[arg-type]
        else:
            # Under the brand's lock, so two pushes of the same ids never wait on each other's
            # insert while holding it; None in a `keep` column: the value as built.
            full = [
                {**fresh[r["id"]], **r, **{k: fresh[r["id"]].get(k) for k in keep if r[k] is None}}
                for r in rows
            ]
            ingest.insert_triaged(self.session, full)
        bulk.append_rows(self.session, Triage.__table__, self._triage_rows)  # type: ignore[attr-defined]
        self._mention_rows, self._triage_rows = [], []

    def _write_open_cases(self, cases: list[_OpenCase]) -> None:
        """The cases that were open before the batch, changed by it: one UPDATE for them all
        (under their row locks, taken when they were read; on PostgreSQL one statement from
        arrays, not one execution per case)."""
        changed = list({case.id: case for case in cases}.values())
        if not changed:
            return
        bulk.update_by_id(
            self.session,
            Case,
            [
                {"id": case.id, **{name: getattr(case, name) for name in OPEN_CASE_WRITES}}
                for case in changed
            ],
            brand_ids=(self.brand.id,),  # type: ignore[arg-type]
        )
        # A long-lived session may hold some of these cases as objects: read them afresh.
        for case in changed:
            held = self.session.identity_map.get(identity_key(Case, case.id))
            if held is not None:
                self.session.expire(held)

    def _insert_new_cases(self, new_cases: list[_NewCase]) -> None:
        ids = bulk.insert_returning_ids(
            self.session,
            Case.__table__,  # type: ignore[attr-defined]
            [c.values() for c in new_cases],
        )
        for case, new_id in zip(new_cases, ids, strict=True):
            case.id = new_id

    def _triage_event(
        self, mention: Any, decision: Decision, case: _OpenCase | _NewCase | None
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
        decision: Decision,
        new_cases: list[_NewCase],
    ) -> _OpenCase | _NewCase:
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
            if case.status == case_states.WAITING:
                case_states.reopen(case)
        case.mention_count += 1
        self._index(case)
        return case


def _authors_and_persons(
    session: Session, mentions: list[Any], people: ingest.People | None
) -> tuple[dict[int, Any], dict[int, Any]]:
    """The batch's authors and their persons by id: as storing them read or made them in this
    transaction (`people`) when it has them all, else read (one query)."""
    author_ids = {m.author_id for m in mentions}
    if people is not None and all(
        a in people.authors and people.authors[a].person_id in people.persons for a in author_ids
    ):
        authors = {a: people.authors[a] for a in author_ids}
        person_ids = {a.person_id for a in authors.values()}
        return authors, {p: people.persons[p] for p in person_ids}
    # Authors and their persons in one query (an author always has a person).
    rows = session.exec(
        select(Author, Person)
        .join(Person, col(Person.id) == col(Author.person_id), isouter=True)
        .where(bulk.one_of(session, Author.id, author_ids))
    ).all()
    return {a.id: a for a, _ in rows}, {p.id: p for _, p in rows if p is not None}  # type: ignore[misc]


def merge_decision(case: Any, decision: Any, mention: Any) -> None:
    """A new mention can make a case more serious, more urgent and more restricted, never less.

    The case's decision is that of its most serious mention (severity, then how restricted its
    action is): that mention's scenario, excerpt and explanation; a later, milder or equally
    serious one changes nothing of it. `decision` is a Decision or a stored Triage.
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
