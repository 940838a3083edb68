"""How many mentions an account may push a minute: counted per mention, keyed on the account,
shared by every web process through the rate-limit storage (Redis when configured)."""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from flask import current_app
from limits import RateLimitItem, RateLimitItemPerMinute, parse
from limits.strategies import SlidingWindowCounterRateLimiter

from app.extensions import limiter

log = logging.getLogger(__name__)

# An account without its own `rate_per_minute` option; VIGIE_WEBHOOK_RATE_LIMIT overrides it.
DEFAULT_RATE_PER_MINUTE = 600
# A big brand in a storm pushes thousands a minute; beyond this, ask us first.
MAX_RATE_PER_MINUTE = 100_000
OPTION = "rate_per_minute"


def configured_rate(options: dict[str, Any] | None) -> int | None:
    """The account's own limit (mentions a minute), if it has a valid one."""
    value = (options or {}).get(OPTION)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_RATE_PER_MINUTE:
        return value
    return None


def rate_for(options: dict[str, Any] | None) -> RateLimitItem:
    """The limit that applies to an account: its own, else the installation's default."""
    own = configured_rate(options)
    if own is not None:
        return RateLimitItemPerMinute(own)
    default = current_app.config.get("VIGIE_WEBHOOK_RATE_LIMIT")
    if default:
        return parse(str(default))
    return RateLimitItemPerMinute(DEFAULT_RATE_PER_MINUTE)


def describe(rate: RateLimitItem) -> str:
    """'600 per 1 minute' — for error messages."""
    return f"{rate.amount} per {rate.multiples} {rate.GRANULARITY.name}"


def spend(account_id: int, rate: RateLimitItem, cost: int) -> int | None:
    """Take `cost` mentions from the account's quota, all or nothing; None when granted, else
    the seconds to wait before the same request can pass."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    identifiers = (
        current_app.config.get("RATELIMIT_KEY_PREFIX", "") or "vigie",
        "webhook-account",
        str(account_id),
    )
    strategy = SlidingWindowCounterRateLimiter(limiter.storage)
    try:
        if strategy.hit(rate, *identifiers, cost=cost):
            return None
        stats = strategy.get_window_stats(rate, *identifiers)
    except Exception:  # the storage is down: ingest matters more than the limit
        log.exception("webhook rate-limit storage unavailable; request let through")
        return None
    return max(1, math.ceil(stats.reset_time - time.time()))
