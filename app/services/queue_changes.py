"""Each brand's change counter: one more for every committed transaction that changed what the
brand's queue shows; the queue's 10 s poll reads it, and only it, when nothing changed.

The queue's rows used to be kept while this process had written no case at all (a generation
in memory): any brand's write, a mere case lock, dropped them, and another process's writes went
unseen until a TTL. The counter lives in the database (`brand_change`, one row a brand) and is
bumped in the writing transaction itself, so a reader that reads it before its rows never keeps
rows older than a commit, whichever process made it.

What counts: writes to the tables a queue row, the queue count or a wave's row read (TRACKED),
found in one place, the session's events, not in each service:
- objects flushed (new, deleted, or with a column changed besides IGNORED), by their `brand_id`;
- INSERT/UPDATE/DELETE statements on those tables, by the `brand_id` of their parameters or the
  brands their caller declares (`declare(stmt, ...)`; `()`: nothing shown changes, a case lock,
  the outbox's claims and send times); a statement that says neither bumps every brand
  (`unscoped`), so every brand's CMs re-read their rows: the app has none left, and a test whose
  app code issues one fails (tests/queue_change_guard.py; tests/app/worker/
  test_queue_change_brands.py: one brand's ingest, outbox, triage failures, merges, alerts);
- raw SQL (`text()`) is not seen: its callers `note(session, brand_id)` (triage's batches,
  clustering's, `bulk.update_by_id(brand_ids=...)`).

When: at commit (`before_commit`), once per brand however many writes the transaction made, so
an ingest batch of 100 mentions bumps once. The brand's row is locked from that upsert to the
commit right after it: writers of one brand queue there for a commit's length, not for their
whole transaction as a bump at the first write would make them (the hot ingest path holds case
locks meanwhile). Brands are bumped in id order and nothing is waited for after, so two
transactions never wait on each other's brand rows in a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Executable, bindparam, event, inspect, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

from app.models import (
    Author,
    Brand,
    BrandChange,
    Case,
    Escalation,
    Mention,
    MentionCluster,
    Person,
    Reply,
)

CHANGED = "vigie_queue_changed"  # session.info: brand ids to bump at commit (EVERY: all)
OPTION = "vigie_queue_brands"  # a statement's execution option: the brands it changes
EVERY = 0  # no brand has id 0: "every brand" in the noted set
TRACKED = (Case, Mention, Reply, Escalation, Person, Author, MentionCluster, Brand)
TRACKED_TABLES = frozenset(m.__tablename__ for m in TRACKED)  # type: ignore[attr-defined]
# Columns no queue reads: a write of these alone wakes no poll (the case's lock; the SLA clock's
# breach mark, its colour comes from due_at; the worker's sync of a hiding with the platform; an
# alert's reminders, every few minutes while unanswered).
IGNORED: dict[type, frozenset[str]] = {
    Case: frozenset({"version", "last_activity_at", "sla_breached_at"}),
    Mention: frozenset({"hide_state", "hide_error"}),
    Escalation: frozenset({"reminder_count", "last_reminded_at", "ack_token_hash"}),
}
_TABLE = BrandChange.__table__  # type: ignore[attr-defined]

S = TypeVar("S", bound=Executable)


def declare(stmt: S, brand_ids: Iterable[int]) -> S:
    """The statement with the brands whose queue it changes (`()`: none)."""
    return stmt.execution_options(**{OPTION: tuple(brand_ids)})


def note(session: OrmSession, brand_id: int) -> None:
    """This transaction changed what the brand's queue shows (for writes the events miss)."""
    session.info.setdefault(CHANGED, set()).add(brand_id)


def counters(session: OrmSession, brand_ids: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """(brand id, counter) for each brand, in id order, 0 for one never bumped: one statement."""
    ids = sorted(set(brand_ids))
    if not ids:
        return ()
    stmt = select(_TABLE.c.brand_id, _TABLE.c.n).where(_TABLE.c.brand_id.in_(ids))
    found: dict[int, int] = {b: n for b, n in session.connection().execute(stmt)}
    return tuple((b, int(found.get(b, 0))) for b in ids)


def _brand_of(obj: Any) -> int | None:
    return obj.id if isinstance(obj, Brand) else getattr(obj, "brand_id", None)


def _changed(obj: Any) -> bool:
    ignored = IGNORED.get(type(obj), frozenset())
    return any(a.key not in ignored and a.history.has_changes() for a in inspect(obj).attrs)


@event.listens_for(OrmSession, "before_flush")
def _note_flushed(session: OrmSession, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, TRACKED) and (brand := _brand_of(obj)) is not None:
            note(session, brand)
    for obj in session.dirty:
        if isinstance(obj, TRACKED) and (brand := _brand_of(obj)) is not None and _changed(obj):
            note(session, brand)


@event.listens_for(OrmSession, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in TRACKED_TABLES:
        return
    declared = state.execution_options.get(OPTION)
    if declared is not None:
        for brand in declared:
            note(state.session, brand)
        return
    params: Any = state.parameters
    rows: list[Any] = params if isinstance(params, list) else [params] if params else []
    brands = {row.get("brand_id") for row in rows}
    if rows and None not in brands:
        for brand in brands:
            note(state.session, brand)  # type: ignore[arg-type]
    else:
        unscoped(state)


def unscoped(state: ORMExecuteState) -> None:
    """A tracked write that names no brand: every brand is bumped, so every brand's CMs re-read
    their rows. Every such fallback comes here, and only here: the tests' guard
    (tests/queue_change_guard.py) wraps it to fail any test whose app code reaches it."""
    note(state.session, EVERY)


@event.listens_for(OrmSession, "before_commit")
def _bump_at_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released (one a mention, on SQLite): the transaction's commit bumps
    if session.new or session.dirty or session.deleted:
        session.flush()  # its objects are noted by before_flush
    brands = session.info.pop(CHANGED, None)
    if brands:
        bump(session, brands)


@event.listens_for(OrmSession, "after_transaction_end")
def _forget(session: OrmSession, transaction: Any) -> None:
    # The outermost transaction's end only: `after_rollback` also fires for a savepoint rolled
    # back (a duplicate mention on SQLite), and forgot the brands the transaction's earlier
    # writes had noted, so their commit bumped nothing.
    if transaction.parent is None:
        session.info.pop(CHANGED, None)


def bump(
    session: OrmSession, brand_ids: Iterable[int], table: Any = _TABLE, first: int = 1
) -> None:
    """One more on each brand's counter (EVERY: all brands), in id order, in the session's
    transaction, in one statement; a brand without a row gets one, a brand deleted meanwhile
    none (its row would break the foreign key). `table`: another per-brand counter of the same
    shape (brand_id, n), canned_changes' one; `first`: a new row's value."""
    connection = session.connection()
    ids = set(brand_ids)
    every = EVERY in ids
    stmt = _bump_statement(connection.dialect.name, every, table)
    params: dict[str, Any] = {"first": first}
    if not every:
        params["ids"] = sorted(ids)
    connection.execute(stmt, params)


# Built once per dialect, table and kind (every brand, or those listed): every commit that
# changed a queue runs one, and building it anew (and its cache key) cost ~0.1 ms each time.
_BUMPS: dict[tuple[str, str, bool], Executable] = {}


def _bump_statement(dialect: str, every: bool, table: Any) -> Executable:
    stmt = _BUMPS.get((dialect, table.name, every))
    if stmt is None:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        brand_id: Any = Brand.id
        chosen = true() if every else brand_id.in_(bindparam("ids", expanding=True))
        rows = select(brand_id, bindparam("first", type_=BigInteger())).where(chosen)
        stmt = _BUMPS[(dialect, table.name, every)] = (
            insert(table)
            .from_select(["brand_id", "n"], rows.order_by(brand_id))
            .on_conflict_do_update(index_elements=["brand_id"], set_={"n": table.c.n + 1})
        )
    return stmt
