"""Each brand's canned-replies counter, and the brand's replies kept per process under it.

The case page (its suggestions, its holding update) and the reply editor read the brand's
canned replies on every request; they change a few times a day. Each process keeps a brand's
replies (plain snapshots) under the brand's counter (`canned_reply_change.n`), read first: one
small statement instead of the replies and their ORM objects.

The counter is bumped in the writing transaction itself, at commit, once per brand, from the
session's events (brand_counters.BrandCounter), not by each writer (create, edit, approve,
library and sector installs, a reply promoted to a canned one: all go through them, and so will
the next one):
- CannedReply objects flushed (new, deleted, or with a column changed besides usage_count);
- INSERT/UPDATE/DELETE statements on `canned_reply` run through a session, by the `brand_id`
  of their parameters or the brands declared (`declare(stmt, ...)`), else every brand;
- raw SQL (`text()`, a bare connection) is not seen: the app has none, and a test whose app code
  commits a write of `canned_reply` without a bump fails (tests/canned_change_guard.py).
The upsert is atomic on both databases: two writers never lose a bump.

A reader reads the counter before the replies: replies kept under a counter are never older than
a commit that counter saw, whichever process made it. A transaction that has itself changed the
brand's replies, not committed yet, reads them from the database and keeps nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Executable, bindparam, select
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import col

from app.models import CannedReply, CannedReplyChange
from app.services.brand_counters import EVERY, BrandCounter

S = TypeVar("S", bound=Executable)


def _unscoped(state: ORMExecuteState) -> None:
    note(state.session, EVERY)  # names no brand: every brand's replies are read again


# A brand's first row starts anywhere: a brand deleted, its id reused (SQLite), never finds the
# replies another kept under the same counter.
COUNTER = BrandCounter(
    "canned",
    CannedReplyChange.__table__,  # type: ignore[attr-defined]
    (CannedReply,),
    unscoped=_unscoped,
    # Counted on every send that used the reply: no snapshot holds it, no reader needs it fresh.
    ignored={CannedReply: frozenset({"usage_count"})},
    first=lambda: 1 + secrets.randbelow(1 << 62),
)


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

# brand id → (counter, replies read after it): one entry a brand, the newest counter's.
_kept: dict[int, tuple[int, tuple[CannedSnapshot, ...]]] = {}


def declare(stmt: S, brand_ids: Iterable[int]) -> S:
    """The statement with the brands whose canned replies it changes (`()`: none)."""
    return COUNTER.declare(stmt, brand_ids)


def note(session: OrmSession, brand_id: int) -> None:
    """This transaction changed the brand's canned replies (for writes the events miss)."""
    COUNTER.note(session, brand_id)


def counter(session: OrmSession, brand_id: int) -> int:
    """The brand's counter, 0 for one never bumped."""
    return COUNTER.counter(session, brand_id)


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
    if COUNTER.noted(session, brand_id):
        return True
    return any(
        isinstance(obj, CannedReply) for obj in (*session.new, *session.dirty, *session.deleted)
    )
