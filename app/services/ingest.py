"""Ingest: store mentions idempotently, with their authors and persons across channels.

Order matters and is the contract with the connectors: `store_mentions` runs in the same
transaction as the cursor update, so a cursor never moves past an uncommitted mention;
`triage.triage_pending` runs after that commit, so a triage failure never loses a mention.
The push API stores and triages in one transaction instead (triage in its own savepoints):
its client retries whatever was not answered 202. On PostgreSQL it builds the rows with ids
reserved up front and triage inserts them once decided and placed (`store_mentions(defer=True)`).

Concurrency: web processes, pollers and the sweeper triage at once; see ``triage`` (who
triages a mention) and ``grouping`` (a brand's open cases are read and changed under the
brand's lock, so two batches never open two cases for one thread).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, delete, insert, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import (
    TIERS,
    Author,
    ConnectorAccount,
    Mention,
    Person,
    utcnow,
)
from app.services import bulk
from app.services.case_locks import hold_write_lock
from connectors import FetchedMention

log = logging.getLogger("vigie.ingest")


@dataclass(slots=True)
class People:
    """The authors of the mentions stored and their persons, by id, as storing them read or
    made them: the same transaction triages with them without reading them again
    (``grouping.BrandBatch``). Authors are rows or plain objects with the same attributes."""

    authors: dict[int, Any] = field(default_factory=dict)
    persons: dict[int, Any] = field(default_factory=dict)


@dataclass
class StoreResult:
    new: list[str]  # external ids of the mentions stored by this call
    duplicates: int
    # The rows stored by this call, with their new ids (PostgreSQL): the same transaction
    # can triage them without reading them back (triage.triage_stored's `stored`).
    rows: list[dict[str, Any]] | None = None
    # `rows` only built, with reserved ids (`store_mentions(defer=True)`): triage inserts them.
    deferred: bool = False
    people: People | None = None


def _handle_key(handle: str) -> str:
    """How one person is recognised across channels: '@Marie_Dupont@m.social' → 'mariedupont'."""
    local = handle.strip().lstrip("@").split("@")[0].lower()
    local = re.sub(r"\.bsky\.social$", "", local)
    return re.sub(r"[._\-]", "", local)


def _identity(item: FetchedMention) -> tuple[str, str]:
    """An author is one identity per channel (the demo and webhooks carry several channels)."""
    return item.channel, item.author.external_id


def _upsert_authors(
    session: Session, account: ConnectorAccount, items: Sequence[FetchedMention], people: People
) -> dict[tuple[str, str], int]:
    """Author ids by identity: existing ones updated, new ones created with their person.

    Two writers may meet the same new author at once (a webhook retry, two accounts of one
    brand): on PostgreSQL the loser's rows are skipped (ON CONFLICT) and it takes the winner's;
    elsewhere the loser's savepoint rolls back and it tries again. `people` receives the
    authors and their persons.
    """
    for attempt in range(2):
        known, handles, persons = _known_authors(session, account, items)
        people.authors.clear()
        people.persons.clear()
        people.persons.update(persons)
        if all(_identity(item) in known for item in items):
            # Nothing to insert: no savepoint.
            return _refresh_authors(session, known, items, people)
        if session.connection().dialect.name == "postgresql":
            return _upsert_authors_once(session, account, items, known, handles, people)
        try:
            with session.begin_nested():
                return _upsert_authors_once(session, account, items, known, handles, people)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


# The brand's authors by normalised handle: (platform, person id) each (see `_persons_for`).
Handles = dict[str, list[tuple[str, int]]]


def _known_authors(
    session: Session, account: ConnectorAccount, items: Sequence[FetchedMention]
) -> tuple[dict[tuple[str, str], Author], Handles, dict[int, Person]]:
    """The authors of these mentions already stored, by identity; and in the same read the
    brand's authors sharing their normalised handles, whose person a new author may join,
    and the persons of all of them (triage reads their profile), by id."""
    wanted = {_identity(m) for m in items}
    if not wanted:
        return {}, {}, {}
    keys = {_handle_key(m.author.handle) for m in items} - {""}
    same = and_(
        bulk.one_of(session, Author.platform, {channel for channel, _ in wanted}),
        bulk.one_of(session, Author.external_id, {external_id for _, external_id in wanted}),
    )
    pairs = session.exec(
        select(Author, Person)
        .join(Person, col(Person.id) == col(Author.person_id), isouter=True)
        .where(
            Author.brand_id == account.brand_id,
            or_(same, bulk.one_of(session, Author.handle_key, keys)) if keys else same,
        )
    ).all()
    rows = [author for author, _ in pairs]
    known = {(a.platform, a.external_id): a for a in rows if (a.platform, a.external_id) in wanted}
    handles: Handles = {}
    for author in rows:
        if author.handle_key in keys:
            handles.setdefault(author.handle_key, []).append((author.platform, author.person_id))
    return known, handles, {p.id: p for _, p in pairs if p is not None}  # type: ignore[misc]


def _known_authors_by_identity(
    session: Session, account: ConnectorAccount, identities: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Author]:
    wanted = set(identities)
    if not wanted:
        return {}
    channels = {channel for channel, _ in wanted}
    ids = {external_id for _, external_id in wanted}
    existing = session.exec(
        select(Author).where(
            Author.brand_id == account.brand_id,
            bulk.one_of(session, Author.platform, channels),
            bulk.one_of(session, Author.external_id, ids),
        )
    ).all()
    return {
        (a.platform, a.external_id): a for a in existing if (a.platform, a.external_id) in wanted
    }


def _refresh_authors(
    session: Session,
    known: dict[tuple[str, str], Author],
    items: Sequence[FetchedMention],
    people: People,
) -> dict[tuple[str, str], int]:
    """Known authors brought up to date (handle, name, followers); their ids by identity."""
    now = utcnow()
    for item in items:
        author = known.get(_identity(item))
        if author is not None and _refresh_author(author, item, now):
            session.add(author)
    session.flush()
    people.authors.update({a.id: a for a in known.values()})  # type: ignore[misc]
    return {identity: a.id for identity, a in known.items()}  # type: ignore[misc]


def _upsert_authors_once(
    session: Session,
    account: ConnectorAccount,
    items: Sequence[FetchedMention],
    known: dict[tuple[str, str], Author],
    handles: Handles,
    people: People,
) -> dict[tuple[str, str], int]:
    result = _refresh_authors(session, known, items, people)
    now = utcnow()
    new_items: dict[tuple[str, str], FetchedMention] = {}
    for item in sorted(items, key=_identity):  # one order for every writer: no deadlock
        if _identity(item) not in known:
            new_items.setdefault(_identity(item), item)
    if new_items:
        persons, created = _persons_for(session, account, list(new_items.values()), handles, people)
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
        if session.connection().dialect.name != "postgresql":
            new_ids = bulk.insert_returning_ids(session, Author.__table__, rows)  # type: ignore[attr-defined]
            result.update(zip(new_items, new_ids, strict=True))
            _add_new_authors(people, rows, new_ids)
            return result  # type: ignore[return-value]
        inserted = bulk.insert_unless_present(
            session,
            Author.__table__,  # type: ignore[attr-defined]
            rows,
            constraint="uq_author_identity",
            returning=("platform", "external_id", "id"),
        )
        result.update({(platform, ext): id_ for platform, ext, id_ in inserted})
        by_identity = {(row["platform"], row["external_id"]): row for row in rows}
        _add_new_authors(
            people, [by_identity[p, e] for p, e, _ in inserted], [i for _, _, i in inserted]
        )
        if lost := [identity for identity in new_items if identity not in result]:
            _take_winners(session, account, lost, persons, created, result)
    return result  # type: ignore[return-value]


def _add_new_authors(people: People, rows: list[dict[str, Any]], ids: Sequence[int]) -> None:
    """Authors just inserted, as triage reads them (plain objects: no ORM state to build)."""
    for row, author_id in zip(rows, ids, strict=True):
        people.authors[author_id] = SimpleNamespace(
            id=author_id,
            person_id=row["person_id"],
            followers=row["followers"],
            verified=row["verified"],
        )


def _take_winners(
    session: Session,
    account: ConnectorAccount,
    lost: list[tuple[str, str]],
    persons: dict[tuple[str, str], int],
    created: set[int],
    result: dict[tuple[str, str], int],
) -> None:
    """Authors another writer stored first: theirs are taken, and the persons made for ours
    (unless another of our new authors shares one) are removed again."""
    kept = {persons[identity] for identity in persons if identity in result}
    unused = {persons[identity] for identity in lost} & created - kept
    winners = _known_authors_by_identity(session, account, lost)
    result.update({identity: author.id for identity, author in winners.items()})  # type: ignore[misc]
    if unused:
        session.execute(delete(Person).where(bulk.one_of(session, Person.id, unused)))


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
    session: Session,
    account: ConnectorAccount,
    items: list[FetchedMention],
    known: Handles,
    people: People,
) -> tuple[dict[tuple[str, str], int], set[int]]:
    """Person ids: the same person on another channel (same normalised handle: `known`, read
    with the authors), else a new person (seed 003); and the ids of the persons created."""
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
    for identity, person_id in new_ids.items():
        row = new_rows[identity]
        people.persons[person_id] = SimpleNamespace(id=person_id, tier=row["tier"], vip=row["vip"])
    persons = {
        identity: new_ids[m] if isinstance(m, tuple) else m for identity, m in chosen.items()
    }
    return persons, set(new_ids.values())


def _crm_profile(account: ConnectorAccount, item: FetchedMention) -> dict[str, object]:
    """Loyalty tier and VIP flag when a pushed or demo mention carries the brand's CRM data."""
    if account.platform not in ("webhook", "demo"):
        return {}
    author: dict[str, Any] = item.raw["author"] if isinstance(item.raw.get("author"), dict) else {}
    tier = author.get("tier") if isinstance(author.get("tier"), str) else None
    return {"tier": tier if tier in TIERS else None, "vip": bool(author.get("vip"))}


def store_mentions(
    *,
    session: Session,
    account: ConnectorAccount,
    items: Iterable[FetchedMention],
    defer: bool = False,
) -> StoreResult:
    """Insert the mentions not stored yet (unique per account and external id); no commit.

    `defer` (PostgreSQL): the rows are built with ids reserved from the sequence but not
    inserted; the triage of the same transaction inserts them already triaged
    (``grouping.BrandBatch.write_mentions``), so that each row is written once, not inserted
    and then rewritten with all its indexes. `new` then lists the mentions not stored before
    this transaction began: one that a concurrent writer stores first is found at that insert."""
    items = list({m.external_id: m for m in items}.values())
    if not items:
        return StoreResult([], 0)
    postgres = session.connection().dialect.name == "postgresql"
    if not postgres:
        # SQLite: a transaction that reads then writes fails at once ("database is locked")
        # if another writer committed in between; holding the lock first makes it wait.
        hold_write_lock(session)
    known = set(
        session.exec(
            select(Mention.external_id).where(
                Mention.account_id == account.id,
                bulk.one_of(session, Mention.external_id, [m.external_id for m in items]),
            )
        ).all()
    )
    fresh = [m for m in items if m.external_id not in known]
    people = People()
    authors = _upsert_authors(session, account, fresh, people)
    now = utcnow()
    rows: list[dict[str, Any]] = [
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
            "rating": item.rating,
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
    if postgres and defer:
        ids = bulk.reserve_ids(session, Mention.__table__, len(rows))  # type: ignore[attr-defined]
        built = [{**row, "id": id_} for row, id_ in zip(rows, ids, strict=True)]
        return StoreResult(
            [str(r["external_id"]) for r in built], len(items) - len(built), built, True, people
        )
    if postgres:
        kept = insert_rows(session, rows)
        stored = [str(r["external_id"]) for r in kept]
        return StoreResult(stored, len(items) - len(stored), kept, people=people)
    try:
        # One stream of rows: mentions are read back by triage_pending, not kept here.
        with session.begin_nested():
            bulk.append_rows(session, Mention.__table__, rows)  # type: ignore[attr-defined]
        stored = [row["external_id"] for row in rows]
    except IntegrityError:
        # Another process stored some of them meanwhile (a webhook retry racing): one by one.
        stored = [str(r["external_id"]) for r in rows if _insert_one(session, r)]
    return StoreResult(stored, len(items) - len(stored), people=people)


def insert_rows(session: Session, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert mention rows (PostgreSQL), with their ids or not; the rows inserted, with their
    ids. One statement and no savepoint: a row another process stored meanwhile (a webhook
    retry racing) is skipped by PostgreSQL itself, after waiting for that process."""
    inserted = dict(
        bulk.insert_unless_present(
            session,
            Mention.__table__,  # type: ignore[attr-defined]
            rows,
            constraint="uq_mention_platform_identity",
            returning=("external_id", "id"),
        )
    )
    return [{**r, "id": inserted[r["external_id"]]} for r in rows if r["external_id"] in inserted]


def _insert_one(session: Session, row: dict[str, object]) -> bool:
    try:
        with session.begin_nested():
            session.execute(insert(Mention), row)
        return True
    except IntegrityError:
        return False
