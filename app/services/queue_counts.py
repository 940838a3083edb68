"""The queue count, cached a few seconds per brand set and filters.

Every open queue polls every 10 s and the count was a `count(*)` over every open case of the
user's brands each time: with 50 CMs on the same brands, 5 counts a second of the same answer.
The count is cached per (brand set, filters, user when the filter is "mine") for a few seconds
(VIGIE_QUEUE_COUNT_TTL, default 5; 0 turns it off), and forgotten at once when this process
writes a case, so the CM who just closed one sees the count go down. Another process's writes
show within the TTL. The cache lives on the Flask app (one per process and app), bounded.

Opening a case claims it (every case view writes the case): a write that only moves the claim
forgets the counts that depend on who holds a case ("mine", "team", "nobody", a CM's), not the
others, or the busiest console would never read a count from the cache.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Case
from app.services.queue import QueueFilters, queue_count

DEFAULT_TTL_SECONDS = 5.0
MAX_ENTRIES = 2048
CASES_TABLE = "cases"

# Columns a claim writes (claims.claim, release, routing's assignment, the lock's version).
CLAIM_COLUMNS = frozenset(
    {"assignee_id", "claimed_at", "claim_expires_at", "last_activity_at", "version"}
)

_generation = 0  # bumped whenever this process writes a case
_claim_generation = 0  # bumped whenever this process writes a case's claim


def generation() -> tuple[int, int]:
    """This process's case writes so far: (all of them, those that moved a claim too)."""
    return _generation, _claim_generation


def _bump(claim_only: bool = False) -> None:
    global _generation, _claim_generation
    # A lost increment under a race only costs one stale read within the TTL.
    _claim_generation += 1
    if not claim_only:
        _generation += 1


def _changed_columns(case: Case) -> set[str]:
    state = inspect(case)
    return {a.key for a in state.attrs if a.history.has_changes()}


@event.listens_for(OrmSession, "before_flush")
def _before_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    # Before the flush: afterwards the changes are no longer pending (after_flush reads none).
    if any(isinstance(o, Case) for o in (*session.new, *session.deleted)):
        _bump()
        return
    dirty = [o for o in session.dirty if isinstance(o, Case)]
    if dirty:
        changed = set().union(*(_changed_columns(c) for c in dirty))
        if changed:
            _bump(claim_only=changed <= CLAIM_COLUMNS)


@event.listens_for(OrmSession, "do_orm_execute")
def _after_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) == CASES_TABLE:
            values = getattr(state.statement, "_values", None) if state.is_update else None
            names = {getattr(k, "key", k) for k in (values or {})}
            _bump(claim_only=bool(names) and names <= CLAIM_COLUMNS)


class QueueCountCache:
    """Counts by key for `ttl` seconds; thread-safe; forgets everything when full."""

    def __init__(self, ttl: float = DEFAULT_TTL_SECONDS) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[tuple[Any, ...], tuple[float, tuple[int, int], int]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...], claims: bool = True) -> int | None:
        """The fresh count for the key; `claims`: whether it depends on who holds a case."""
        with self._lock:
            entry = self._entries.get(key)
            if entry and _fresh(entry[1], claims) and time.monotonic() < entry[0]:
                self.hits += 1
                return entry[2]
            self.misses += 1
            return None

    def put(self, key: tuple[Any, ...], count: int, generation: tuple[int, int]) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + self.ttl, generation, count)


def _fresh(generation: tuple[int, int], claims: bool) -> bool:
    return generation[0] == _generation and (not claims or generation[1] == _claim_generation)


def _claims_matter(filters: QueueFilters) -> bool:
    return filters.assignee != "anyone" or filters.cm is not None


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
    found = cache.get(key, claims=_claims_matter(filters))
    if found is not None:
        return found
    # Read before counting: a write during the count invalidates it.
    generation = (_generation, _claim_generation)
    count = queue_count(session=session, base=base, filters=filters, user_id=user_id)
    cache.put(key, count, generation)
    return count
