"""The queue count, cached a few seconds per brand set and filters.

Every open queue polls every 10 s and the count was a `count(*)` over every open case of the
user's brands each time: with 50 CMs on the same brands, 5 counts a second of the same answer.
The count is cached per (brand set, filters, user when the filter is "mine") for a few seconds
(VIGIE_QUEUE_COUNT_TTL, default 5; 0 turns it off), and forgotten at once when this process
writes a case, so the CM who just closed one sees the count go down. Another process's writes
show within the TTL. The cache lives on the Flask app (one per process and app), bounded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Case
from app.services.queue import QueueFilters, queue_count

DEFAULT_TTL_SECONDS = 5.0
MAX_ENTRIES = 2048
CASES_TABLE = "cases"

_generation = 0  # bumped whenever this process writes a case


def _bump() -> None:
    global _generation
    _generation += 1  # a lost increment under a race only costs one stale read within the TTL


@event.listens_for(OrmSession, "after_flush")
def _after_flush(session: OrmSession, _context: Any) -> None:
    if any(isinstance(o, Case) for o in (*session.new, *session.dirty, *session.deleted)):
        _bump()


@event.listens_for(OrmSession, "do_orm_execute")
def _after_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) == CASES_TABLE:
            _bump()


class QueueCountCache:
    """Counts by key for `ttl` seconds; thread-safe; forgets everything when full."""

    def __init__(self, ttl: float = DEFAULT_TTL_SECONDS) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[tuple[Any, ...], tuple[float, int, int]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> int | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[1] == _generation and time.monotonic() < entry[0]:
                self.hits += 1
                return entry[2]
            self.misses += 1
            return None

    def put(self, key: tuple[Any, ...], count: int, generation: int) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + self.ttl, generation, count)


def cached_queue_count(
    cache: QueueCountCache | None,
    *,
    session: Session,
    base: SelectOfScalar[Case],
    brand_ids: Iterable[int],
    filters: QueueFilters,
    user_id: int | None,
) -> int:
    """queue_count, from the cache when a fresh answer for the same question is there.

    `base` must be the scope's SELECT of the cases of exactly `brand_ids`.
    """
    if cache is None or cache.ttl <= 0:
        return queue_count(session=session, base=base, filters=filters, user_id=user_id)
    mine = filters.assignee == "me"
    key = (tuple(sorted(set(brand_ids))), filters, user_id if mine else None)
    found = cache.get(key)
    if found is not None:
        return found
    generation = _generation  # read before counting: a write during the count invalidates it
    count = queue_count(session=session, base=base, filters=filters, user_id=user_id)
    cache.put(key, count, generation)
    return count
