"""Daily API quotas counted in units (YouTube Data API: 10,000 units a day by default).

A connector spends units before each call it makes; the ledger keeps the day's total where
every process sees it (the app gives a database-backed ledger, `app/services/platform_quota`),
so the poller and the outbox worker share one budget. `MemoryLedger` is the default: enough for
one process and for tests.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

#: Google resets YouTube quotas at midnight Pacific Time.
PACIFIC = ZoneInfo("America/Los_Angeles")


class QuotaLedger(Protocol):
    """Units spent per day, shared by every process working on one account."""

    def spent(self, day: date) -> int:
        """Units spent on `day` so far."""
        ...

    def spend(self, day: date, units: int) -> int:
        """Add `units` to `day` and return the new total (atomic across processes)."""
        ...


class MemoryLedger:
    """A ledger in this process's memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._days: dict[date, int] = {}

    def spent(self, day: date) -> int:
        with self._lock:
            return self._days.get(day, 0)

    def spend(self, day: date, units: int) -> int:
        with self._lock:
            self._days[day] = self._days.get(day, 0) + units
            return self._days[day]


def quota_day(now: datetime) -> date:
    """The quota day `now` falls in (Pacific Time)."""
    return now.astimezone(PACIFIC).date()


def next_reset(now: datetime) -> datetime:
    """When the quota day after `now` starts (next midnight, Pacific Time), tz-aware."""
    tomorrow = quota_day(now) + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=PACIFIC)
