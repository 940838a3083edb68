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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.models import ConnectorAccount, Mention, utcnow
from app.services import bulk, chained_writes
from app.services.case_locks import hold_write_lock
from app.services.ingest_authors import People, identity_of, upsert_authors
from connectors import FetchedMention

log = logging.getLogger("vigie.ingest")
# A mention is stored once per account and external id.
MENTION_IDENTITY = "uq_mention_platform_identity"


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
    reserved: list[int] = []
    if postgres and defer:
        known, reserved = _known_and_reserved(session, account, [m.external_id for m in items])
    else:
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
    authors = upsert_authors(session, account, fresh, people)
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {
            "brand_id": account.brand_id,
            "account_id": account.id,
            "platform": account.platform,
            "channel": item.channel or account.platform,
            "external_id": item.external_id,
            "author_id": authors[identity_of(item)],
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
        built = [{**row, "id": id_} for row, id_ in zip(rows, reserved, strict=True)]
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


# The account's mentions among the given external ids, and as many new mention ids as there
# are others (a push's rows are built with their ids: `store_mentions(defer=True)`).
_KNOWN_AND_RESERVED = text(
    "WITH known AS (SELECT external_id FROM mention WHERE account_id = :account "
    "AND external_id = ANY(CAST(:ids AS VARCHAR[]))) "
    "SELECT external_id, NULL FROM known UNION ALL "
    "SELECT NULL, nextval(CAST('mention_id_seq' AS regclass)) "
    "FROM generate_series(1, :count - (SELECT count(*) FROM known))"
)


def _known_and_reserved(
    session: Session, account: ConnectorAccount, external_ids: list[str]
) -> tuple[set[str], list[int]]:
    """`external_ids` (distinct) already stored for the account, and ids for the others, in one
    round trip (PostgreSQL)."""
    known: set[str] = set()
    reserved: list[int] = []
    for external_id, new_id in session.execute(
        _KNOWN_AND_RESERVED,
        {"account": account.id, "ids": bulk.array_param(external_ids), "count": len(external_ids)},
    ):
        if new_id is None:
            known.add(external_id)
        else:
            reserved.append(new_id)
    return known, reserved


def insert_rows(session: Session, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert mention rows (PostgreSQL), with their ids or not; the rows inserted, with their
    ids. One statement and no savepoint: a row another process stored meanwhile (a webhook
    retry racing) is skipped by PostgreSQL itself, after waiting for that process."""
    inserted = dict(
        bulk.insert_unless_present(
            session,
            Mention.__table__,  # type: ignore[attr-defined]
            rows,
            constraint=MENTION_IDENTITY,
            returning=("external_id", "id"),
        )
    )
    return [{**r, "id": inserted[r["external_id"]]} for r in rows if r["external_id"] in inserted]


class LostRace(Exception):
    """Mentions of a batch that a concurrent writer (a retried push) stored first."""

    def __init__(self, external_ids: set[str]) -> None:
        super().__init__(f"{len(external_ids)} mentions stored meanwhile by another writer")
        self.external_ids = external_ids


def insert_triaged(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert mention rows built with their ids and triaged (PostgreSQL): with the batch's other
    rows in one statement within `chained_writes.chained`, else at once. Raises `LostRace`
    if a concurrent writer stored some of them first."""

    def check(inserted: set[str]) -> None:
        if len(inserted) < len(rows):
            raise LostRace({str(row["external_id"]) for row in rows} - inserted)

    table = Mention.__table__  # type: ignore[attr-defined]
    returning = ("external_id", "id")
    if not chained_writes.lead(
        session, table, rows, MENTION_IDENTITY, returning, lambda got: check({r[0] for r in got})
    ):
        check({str(row["external_id"]) for row in insert_rows(session, rows)})


def _insert_one(session: Session, row: dict[str, object]) -> bool:
    try:
        with session.begin_nested():
            session.execute(insert(Mention), row)
        return True
    except IntegrityError:
        return False
