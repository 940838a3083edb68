"""The queue count, kept per brand set, filters and the brands' change counters.

Every open queue polls every 10 s and the count was a `count(*)` over every open case of the
user's brands each time: with 50 CMs on the same brands, 5 counts a second of the same answer.
The count is kept under a key that holds the brands' change counters (app/services/
queue_changes.py: bumped by every committed write that changes what a queue shows, whichever
process made it), so a kept count is exact until the next such write, and counted again only
then. Filters that move with the clock (a claim expiring under "mine", "team", "nobody" or a
CM's; "due soon"/"late"; "relance due") keep theirs VIGIE_QUEUE_COUNT_TTL seconds at most
(default 5; 0 turns the cache off). The cache lives on the Flask app (one per process), bounded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Case
from app.services.queue import QueueFilters, queue_count

DEFAULT_TTL_SECONDS = 5.0
MAX_ENTRIES = 2048
# How long a count of clock-free filters is kept while the counters stay: a bound for writes
# made outside the application (an operator's SQL), which no counter sees.
STEADY_SECONDS = 60.0
Changes = tuple[tuple[int, int], ...]  # queue_changes.counters: (brand id, counter), in order


class QueueCountCache:
    """Counts by key (its brands' counters included); thread-safe; forgets all when full."""

    def __init__(self, ttl: float = DEFAULT_TTL_SECONDS) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[tuple[Any, ...], tuple[float, int]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> int | None:
        """The kept count for the key, unless its clock ran out."""
        with self._lock:
            entry = self._entries.get(key)
            if entry and time.monotonic() < entry[0]:
                self.hits += 1
                return entry[1]
            self.misses += 1
            return None

    def put(self, key: tuple[Any, ...], count: int, ttl: float) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + ttl, count)


def clock_matters(filters: QueueFilters) -> bool:
    """Whether the filters' cases change with the clock alone (claims expire, deadlines pass)."""
    return (
        filters.assignee != "anyone"
        or filters.cm is not None
        or filters.due is not None
        or filters.holding_due
    )


def cached_queue_count(
    cache: QueueCountCache | None,
    *,
    session: Session,
    base: SelectOfScalar[Case],
    brand_ids: Iterable[int],
    filters: QueueFilters,
    user_id: int | None,
    changes: Changes | None = None,
) -> int:
    """queue_count, from the cache when counted already since the brands' last change.

    `base` must be the scope's SELECT of the cases of exactly `brand_ids`; `changes` their
    counters read before this count (None: counted now, not kept).
    """
    if cache is None or cache.ttl <= 0 or changes is None:
        return queue_count(session=session, base=base, filters=filters, user_id=user_id)
    mine = filters.assignee == "me"
    key = (tuple(sorted(set(brand_ids))), filters, user_id if mine else None, changes)
    found = cache.get(key)
    if found is not None:
        return found
    count = queue_count(session=session, base=base, filters=filters, user_id=user_id)
    # Unchanged counters say that no write changed it; only the clock can, for some filters.
    cache.put(key, count, cache.ttl if clock_matters(filters) else STEADY_SECONDS)
    return count
