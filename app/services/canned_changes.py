"""Each brand's canned-replies counter, and the brand's replies kept per process under it.

The case page (its suggestions, its holding update) and the reply editor read the brand's
canned replies on every request; they change a few times a day. Each process keeps a brand's
replies (plain snapshots) under the brand's counter (`canned_reply_change.n`), read first: one
small statement instead of the replies and their ORM objects.

The counter is bumped in the writing transaction itself, at commit, once per brand, from the
session's events, not by each writer (create, edit, approve, library and sector installs, a
reply promoted to a canned one: all go through them, and so will the next one):
- CannedReply objects flushed (new, deleted, or with a column changed besides IGNORED);
- INSERT/UPDATE/DELETE statements on `canned_reply` run through a session, by the `brand_id`
  of their parameters or the brands declared (`declare(stmt, ...)`), else every brand;
- raw SQL (`text()`, a bare connection) is not seen: the app has none, and a test whose app code
  commits a write of `canned_reply` without a bump fails (tests/canned_change_guard.py).
The upsert (queue_changes.bump) is atomic on both databases: two writers never lose a bump.

A reader reads the counter before the replies: replies kept under a counter are never older than
a commit that counter saw, whichever process made it. A transaction that has itself changed the
brand's replies, not committed yet, reads them from the database and keeps nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Executable, bindparam, event, inspect, select
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import col

from app.models import CannedReply, CannedReplyChange
from app.services import queue_changes

CHANGED = "vigie_canned_changed"  # session.info: brand ids to bump at commit (EVERY: all)
OPTION = "vigie_canned_brands"  # a statement's execution option: the brands it changes
EVERY = queue_changes.EVERY
# Counted on every send that used the reply: no snapshot holds it, no reader needs it fresh.
IGNORED = frozenset({"usage_count"})
_TABLE: Any = CannedReplyChange.__table__  # type: ignore[attr-defined]
_TABLE_NAME = CannedReply.__tablename__

S = TypeVar("S", bound=Executable)


@dataclass(frozen=True, slots=True)
class CannedSnapshot:
    """A canned reply as its readers show it (the case page, the editor): no usage count."""

    id: int
    brand_id: int
    key: str
    language: str
    title: str
    body: str
    scenarios: tuple[str, ...]
    channels: tuple[str, ...]
    status: str
    version: int


_COLUMNS: Any = (
    CannedReply.id,
    CannedReply.brand_id,
    CannedReply.key,
    CannedReply.language,
    CannedReply.title,
    CannedReply.body,
    CannedReply.scenarios,
    CannedReply.channels,
    CannedReply.status,
    CannedReply.version,
)
# Built once: building a statement cost about as much as running it.
_REPLIES = (
    select(*_COLUMNS)
    .where(col(CannedReply.brand_id) == bindparam("brand_id"))
    .order_by(_COLUMNS[0])
)
_COUNTER = select(_TABLE.c.n).where(_TABLE.c.brand_id == bindparam("brand_id"))

# brand id → (counter, replies read after it): one entry a brand, the newest counter's.
_kept: dict[int, tuple[int, tuple[CannedSnapshot, ...]]] = {}


def declare(stmt: S, brand_ids: Iterable[int]) -> S:
    """The statement with the brands whose canned replies it changes (`()`: none)."""
    return stmt.execution_options(**{OPTION: tuple(brand_ids)})


def note(session: OrmSession, brand_id: int) -> None:
    """This transaction changed the brand's canned replies (for writes the events miss)."""
    session.info.setdefault(CHANGED, set()).add(brand_id)


def counter(session: OrmSession, brand_id: int) -> int:
    """The brand's counter, 0 for one never bumped."""
    found = session.connection().execute(_COUNTER, {"brand_id": brand_id}).scalar()
    return int(found or 0)


def brand_replies(session: OrmSession, brand_id: int) -> tuple[CannedSnapshot, ...]:
    """The brand's canned replies (every language, by id): kept ones when the brand's counter
    has not moved since they were read, else read now and kept."""
    if _pending(session, brand_id):
        return _read(session, brand_id)
    n = counter(session, brand_id)
    found = _kept.get(brand_id)
    if found is not None and found[0] == n:
        return found[1]
    replies = _read(session, brand_id)
    # Kept whatever was kept before: replies kept under an older counter than another thread's
    # only cost that thread's next reader a read (a counter is never kept with older replies).
    _kept[brand_id] = (n, replies)
    return replies


def forget() -> None:
    """Drop every kept reply (tests: a fresh database reuses brand ids and counters)."""
    _kept.clear()


def _read(session: OrmSession, brand_id: int) -> tuple[CannedSnapshot, ...]:
    rows = session.connection().execute(_REPLIES, {"brand_id": brand_id})
    return tuple(
        CannedSnapshot(
            id=r.id,
            brand_id=r.brand_id,
            key=r.key,
            language=r.language,
            title=r.title,
            body=r.body,
            scenarios=tuple(r.scenarios or ()),
            channels=tuple(r.channels or ()),
            status=r.status,
            version=r.version,
        )
        for r in rows
    )


def _pending(session: OrmSession, brand_id: int) -> bool:
    """Whether this transaction changed the brand's replies and has not committed them."""
    noted = session.info.get(CHANGED)
    if noted and (brand_id in noted or EVERY in noted):
        return True
    return any(
        isinstance(obj, CannedReply) for obj in (*session.new, *session.dirty, *session.deleted)
    )


def _changed(obj: Any) -> bool:
    return any(a.key not in IGNORED and a.history.has_changes() for a in inspect(obj).attrs)


@event.listens_for(OrmSession, "before_flush")
def _note_flushed(session: OrmSession, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, CannedReply):
            note(session, obj.brand_id)
    for obj in session.dirty:
        if isinstance(obj, CannedReply) and _changed(obj):
            note(session, obj.brand_id)


@event.listens_for(OrmSession, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if getattr(getattr(state.statement, "table", None), "name", None) != _TABLE_NAME:
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
        note(state.session, EVERY)  # names no brand: every brand's replies are read again


@event.listens_for(OrmSession, "before_commit")
def _bump_at_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the transaction's commit bumps
    if session.new or session.dirty or session.deleted:
        session.flush()  # its objects are noted by before_flush
    brands = session.info.pop(CHANGED, None)
    if brands:
        # A brand's first row starts anywhere: a brand deleted, its id reused (SQLite), never
        # finds the replies the other kept under the same counter.
        queue_changes.bump(session, brands, table=_TABLE, first=1 + secrets.randbelow(1 << 62))


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_rolled_back(session: OrmSession, transaction: Any) -> None:
    # Only the outermost transaction's end forgets: a savepoint rolled back keeps the brands the
    # transaction noted before it (a bump too many costs one read; one too few, stale replies).
    if transaction.parent is None:
        session.info.pop(CHANGED, None)
