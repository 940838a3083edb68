"""Ingest's authors: a mention's author stored once per channel identity, brought up to date,
and joined to the same person across channels (seed 003: the same normalised handle).

Part of ``ingest.store_mentions``'s transaction; see there for the order and the races.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, bindparam, delete, or_, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import TextClause
from sqlmodel import Session, select

from app.models import TIERS, Author, ConnectorAccount, Person, utcnow
from app.services import bulk, queue_changes
from connectors import FetchedMention


@dataclass(slots=True)
class People:
    """The authors of the mentions stored and their persons, by id, as storing them read or
    made them: the same transaction triages with them without reading them again
    (``grouping.BrandBatch``). Authors are rows or plain objects with the same attributes."""

    authors: dict[int, Any] = field(default_factory=dict)
    persons: dict[int, Any] = field(default_factory=dict)
    # Persons this transaction created: no mention of theirs was triaged before, so triage
    # reads no history for them (``triage_context.gather``).
    created: set[int] = field(default_factory=set)


def handle_key(handle: str) -> str:
    """How one person is recognised across channels: '@Marie_Dupont@m.social' → 'mariedupont'."""
    local = handle.strip().lstrip("@").split("@")[0].lower()
    local = re.sub(r"\.bsky\.social$", "", local)
    return re.sub(r"[._\-]", "", local)


def identity_of(item: FetchedMention) -> tuple[str, str]:
    """An author is one identity per channel (the demo and webhooks carry several channels)."""
    return item.channel, item.author.external_id


def upsert_authors(
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
        people.created.clear()
        people.persons.update(persons)
        if all(identity_of(item) in known for item in items):
            # Nothing to insert: no savepoint.
            return _refresh_authors(session, account, known, items, people)
        if session.connection().dialect.name == "postgresql":
            return _upsert_authors_once(session, account, items, known, handles, people)
        try:
            with session.begin_nested():
                return _upsert_authors_once(session, account, items, known, handles, people)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


# The brand's authors by normalised handle: (platform, person id) each (see `_plan_persons`).
Handles = dict[str, list[tuple[str, int]]]


def _known_authors(
    session: Session, account: ConnectorAccount, items: Sequence[FetchedMention]
) -> tuple[dict[tuple[str, str], Any], Handles, dict[int, Any]]:
    """The authors of these mentions already stored, by identity; and in the same read the
    brand's authors sharing their normalised handles, whose person a new author may join,
    and the persons of all of them (triage reads their profile), by id. Plain objects: ORM
    ones cost more than the read (`_refresh_authors` writes the few that change)."""
    wanted = {identity_of(m) for m in items}
    if not wanted:
        return {}, {}, {}
    keys = {handle_key(m.author.handle) for m in items} - {""}
    channels = {channel for channel, _ in wanted}
    external_ids = {external_id for _, external_id in wanted}
    params = {
        "brand": account.brand_id,
        "platforms": sorted(channels),
        "ids": sorted(external_ids),
        "keys": sorted(keys),
    }
    rows = session.connection().execute(_KNOWN_AUTHORS, params).all()
    authors = [SimpleNamespace(**dict(zip(_AUTHOR_COLUMNS, row, strict=False))) for row in rows]
    persons = {r[-3]: SimpleNamespace(id=r[-3], tier=r[-2], vip=r[-1]) for r in rows if r[-3]}
    known = {
        (a.platform, a.external_id): a for a in authors if (a.platform, a.external_id) in wanted
    }
    handles: Handles = {}
    for author in authors:
        if author.handle_key in keys:
            handles.setdefault(author.handle_key, []).append((author.platform, author.person_id))
    return known, handles, persons


# What ingest reads of a known author (`_known_authors`), then its person's id, tier and VIP.
_AUTHOR_COLUMNS: tuple[str, ...] = ("id", "person_id", "platform", "external_id", "handle")
_AUTHOR_COLUMNS += ("handle_key", "name", "followers", "verified")
_A, _P = Author.__table__, Person.__table__  # type: ignore[attr-defined]
# Built once: building a select and its cache key cost more than reading it.
_KNOWN_AUTHORS = (
    select(*[*(_A.c[c] for c in _AUTHOR_COLUMNS), _P.c.id, _P.c.tier, _P.c.vip])
    .select_from(_A.outerjoin(_P, _P.c.id == _A.c.person_id))
    .where(
        _A.c.brand_id == bindparam("brand"),
        or_(
            and_(bulk.in_param(_A.c.platform, "platforms"), bulk.in_param(_A.c.external_id, "ids")),
            bulk.in_param(_A.c.handle_key, "keys"),
        ),
    )
)


def _author_ids(
    session: Session, account: ConnectorAccount, identities: list[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """The ids of the brand's authors with these identities."""
    wanted = set(identities)
    rows = session.execute(
        select(Author.platform, Author.external_id, Author.id).where(
            Author.brand_id == account.brand_id,
            bulk.one_of(session, Author.platform, {channel for channel, _ in wanted}),
            bulk.one_of(session, Author.external_id, {external_id for _, external_id in wanted}),
        )
    )
    return {(p, e): i for p, e, i in rows if (p, e) in wanted}  # type: ignore[misc]


def _refresh_authors(
    session: Session,
    account: ConnectorAccount,
    known: dict[tuple[str, str], Any],
    items: Sequence[FetchedMention],
    people: People,
) -> dict[tuple[str, str], int]:
    """Known authors (`_known_authors`) brought up to date (handle, name, followers), those
    that changed in one statement; their ids by identity."""
    now = utcnow()
    changed = {}
    for item in items:
        author = known.get(identity_of(item))
        if author is not None and _refresh_author(author, item, now):
            changed[author.id] = {name: getattr(author, name) for name in _REFRESHED}
    if changed:
        bulk.update_by_id(
            session,
            Author,
            [{"id": author_id, **values} for author_id, values in sorted(changed.items())],
            brand_ids=(account.brand_id,),  # type: ignore[arg-type]
        )
    people.authors.update({a.id: a for a in known.values()})
    return {identity: a.id for identity, a in known.items()}


# What `_refresh_author` may change.
_REFRESHED = ("handle", "name", "verified", "followers", "handle_key", "updated_at")


def _upsert_authors_once(
    session: Session,
    account: ConnectorAccount,
    items: Sequence[FetchedMention],
    known: dict[tuple[str, str], Author],
    handles: Handles,
    people: People,
) -> dict[tuple[str, str], int]:
    result = _refresh_authors(session, account, known, items, people)
    now = utcnow()
    new_items: dict[tuple[str, str], FetchedMention] = {}
    for item in sorted(items, key=identity_of):  # one order for every writer: no deadlock
        if identity_of(item) not in known:
            new_items.setdefault(identity_of(item), item)
    if not new_items:
        return result  # type: ignore[return-value]
    chosen, new_persons = _plan_persons(account, list(new_items.values()), handles)
    rows = [
        {
            "brand_id": account.brand_id,
            "person_id": chosen[identity] if isinstance(chosen[identity], int) else None,
            "platform": item.channel,
            "external_id": item.author.external_id,
            "handle": item.author.handle,
            "handle_key": handle_key(item.author.handle),
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
        persons, created = _insert_persons(session, chosen, new_persons, people)
        for row, identity in zip(rows, new_items, strict=True):
            row["person_id"] = persons[identity]
        new_ids = bulk.insert_returning_ids(session, Author.__table__, rows)  # type: ignore[attr-defined]
        result.update(zip(new_items, new_ids, strict=True))
        _add_new_authors(people, rows, new_ids)
        return result  # type: ignore[return-value]
    if new_persons:
        # The new persons and the authors that join them in one statement.
        inserted, person_ids = _insert_with_persons(session, chosen, new_persons, rows)
        persons, created = _note_persons(chosen, new_persons, person_ids, people)
        for row, identity in zip(rows, new_items, strict=True):
            row["person_id"] = persons[identity]
    else:
        persons, created = _insert_persons(session, chosen, new_persons, people)
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


def _insert_with_persons(
    session: Session,
    chosen: Chosen,
    new_persons: dict[tuple[str, str], dict[str, object]],
    rows: list[dict[str, Any]],
) -> tuple[list[tuple[Any, ...]], list[int]]:
    """New persons and new authors in one statement (PostgreSQL): the persons' ids drawn from
    their sequence in it, each author given its person's (by position in `new_persons`) unless
    it joins a stored one; authors another writer stored first are skipped (ON CONFLICT), as by
    `bulk.insert_unless_present`, in the order given (no deadlock between writers). Returns
    the authors inserted (platform, external id, id) and the new persons' ids in order."""
    order = {identity: n for n, identity in enumerate(new_persons, start=1)}
    person_n = []
    for row in rows:
        mine = chosen[row["platform"], row["external_id"]]
        person_n.append(order[mine] if isinstance(mine, tuple) else None)
    person_rows = list(new_persons.values())
    p_columns, a_columns = tuple(person_rows[0]), tuple(rows[0])
    person_table = Person.__table__  # type: ignore[attr-defined]
    author_table = Author.__table__  # type: ignore[attr-defined]
    params = {
        **{
            f"p_{k}": v for k, v in bulk.column_arrays(person_table, p_columns, person_rows).items()
        },
        **{f"a_{k}": v for k, v in bulk.column_arrays(author_table, a_columns, rows).items()},
        "person_n": bulk.array_param(person_n),
    }
    persons: list[tuple[int, int]] = []
    inserted: list[tuple[Any, ...]] = []
    for n, id_, platform, external_id in session.execute(
        _with_persons_statement(p_columns, a_columns), params
    ):
        if n is not None:
            persons.append((n, id_))
        else:
            inserted.append((platform, external_id, id_))
    return inserted, [id_ for _, id_ in sorted(persons)]


@functools.cache
def _with_persons_statement(p_columns: tuple[str, ...], a_columns: tuple[str, ...]) -> TextClause:
    persons = Person.__table__  # type: ignore[attr-defined]
    authors = Author.__table__  # type: ignore[attr-defined]
    p_names = ", ".join(f'"{c}"' for c in p_columns)
    a_names = ", ".join(f'"{c}"' for c in a_columns)
    values = ", ".join(
        'coalesce(v."person_id", np.id)' if c == "person_id" else f'v."{c}"' for c in a_columns
    )
    return text(
        "WITH np AS MATERIALIZED (SELECT nextval(CAST('person_id_seq' AS regclass)) AS id, v.* "
        f"FROM unnest({bulk.unnest_arrays(persons, p_columns, 'p_')}) WITH ORDINALITY "
        f"AS v({p_names}, n)), "
        f"ip AS (INSERT INTO person (id, {p_names}) SELECT id, {p_names} FROM np), "
        f"a AS (INSERT INTO author ({a_names}) SELECT {values} "
        f"FROM unnest({bulk.unnest_arrays(authors, a_columns, 'a_')}, "
        f"CAST(:person_n AS BIGINT[])) WITH ORDINALITY AS v({a_names}, person_n, o) "
        "LEFT JOIN np ON np.n = v.person_n ORDER BY v.o "
        "ON CONFLICT ON CONSTRAINT uq_author_identity DO NOTHING "
        "RETURNING platform, external_id, id) "
        "SELECT np.n, np.id, NULL::VARCHAR, NULL::VARCHAR FROM np "
        "UNION ALL SELECT NULL::BIGINT, id, platform, external_id FROM a"
    )


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
    result.update(_author_ids(session, account, lost))
    if unused:
        # Persons made a moment ago and given no case: no queue shows them.
        unseen = queue_changes.declare(delete(Person), ())
        session.execute(unseen.where(bulk.one_of(session, Person.id, unused)))


def _refresh_author(author: Any, item: FetchedMention, now: datetime) -> bool:
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
        author.handle_key = handle_key(info.handle)
        author.updated_at = now
    return changed


# A new author's person: one already stored (its id), or the new person made for the
# identity given (the first new author with that normalised handle on another channel).
Chosen = dict[tuple[str, str], int | tuple[str, str]]


def _plan_persons(
    account: ConnectorAccount, items: list[FetchedMention], known: Handles
) -> tuple[Chosen, dict[tuple[str, str], dict[str, object]]]:
    """Each new author's person: the same person on another channel (same normalised handle:
    `known`, read with the authors), else a new person (seed 003), whose row is returned by
    the identity it is made for."""
    chosen: Chosen = {}
    new_rows: dict[tuple[str, str], dict[str, object]] = {}
    new_by_key: dict[str, tuple[str, tuple[str, str]]] = {}
    for item in items:
        identity, key = identity_of(item), handle_key(item.author.handle)
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
    return chosen, new_rows


def _insert_persons(
    session: Session,
    chosen: Chosen,
    new_rows: dict[tuple[str, str], dict[str, object]],
    people: People,
) -> tuple[dict[tuple[str, str], int], set[int]]:
    """The new persons inserted: each author's person id, and the ids of those created."""
    ids = bulk.insert_returning_ids(session, Person.__table__, list(new_rows.values()))  # type: ignore[attr-defined]
    return _note_persons(chosen, new_rows, ids, people)


def _note_persons(
    chosen: Chosen,
    new_rows: dict[tuple[str, str], dict[str, object]],
    ids: Sequence[int],
    people: People,
) -> tuple[dict[tuple[str, str], int], set[int]]:
    """Each author's person id, given the new persons' `ids` (in `new_rows`' order), and the
    ids of those created; `people` receives the new persons as triage reads them."""
    new_ids = dict(zip(new_rows, ids, strict=True))
    for identity, person_id in new_ids.items():
        row = new_rows[identity]
        people.persons[person_id] = SimpleNamespace(id=person_id, tier=row["tier"], vip=row["vip"])
    people.created.update(new_ids.values())
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
