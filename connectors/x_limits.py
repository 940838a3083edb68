"""X's rate windows and usage caps: the `x-rate-limit-*` and 24-hour headers read into the
contract's RateLimitState, when an exhausted window reopens, when the monthly cap resets, and
the poll interval a window allows."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.base import (
    RateLimitState,
)
from connectors.http_support import parse_epoch, parse_int

DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=15)  # X windows are 15 minutes
WINDOW = timedelta(minutes=15)
RATE_HEADERS = (
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "x-user-limit-24hour-limit",
    "x-user-limit-24hour-remaining",
    "x-user-limit-24hour-reset",
    "x-app-limit-24hour-limit",
    "x-app-limit-24hour-remaining",
    "x-app-limit-24hour-reset",
)


DAILY_PREFIXES = ("x-user-limit-24hour", "x-app-limit-24hour")


def x_rate_limit(headers: Any, prefix: str = "x-rate-limit") -> RateLimitState:
    """Read one family of rate headers (the reset is absolute Unix seconds); garbage → None."""
    return RateLimitState(
        limit=parse_int(headers.get(f"{prefix}-limit")),
        remaining=parse_int(headers.get(f"{prefix}-remaining")),
        reset_at=parse_epoch(headers.get(f"{prefix}-reset")),
    )


def _exhausted(state: RateLimitState | None, now: datetime) -> datetime | None:
    """When a window with nothing left reopens (None: requests may go)."""
    if state is None or state.remaining is None or state.remaining > 0:
        return None
    if state.reset_at is None:
        return None  # no reset announced: X will tell with a 429 if it must
    return state.reset_at if state.reset_at > now else None


def next_cap_reset(now: datetime, day: int = 1) -> datetime:
    """The next start of a monthly usage period beginning on `day` (1-28), midnight UTC."""
    day = min(max(day, 1), 28)
    candidate = now.astimezone(UTC).replace(day=day, hour=0, minute=0, second=0, microsecond=0)
    if candidate > now:
        return candidate
    year, month = (
        (candidate.year + 1, 1) if candidate.month == 12 else (candidate.year, candidate.month + 1)
    )
    return candidate.replace(year=year, month=month)


def poll_interval_for(limit: int | None) -> int | None:
    """Seconds between polls that one 15-minute mentions window of `limit` requests sustains
    (one request a pass, a quarter kept for catching up and checks); at least a minute."""
    if not limit or limit <= 0:
        return None
    return max(60, math.ceil(WINDOW.total_seconds() / max(limit * 0.75, 1)))
