"""Meta's usage headers: the one place that reads them and decides when to stop calling.

Meta sends percentages, not counts: `X-App-Usage` (the app), `X-Page-Usage` (a Page token),
`X-Business-Use-Case-Usage` (per business object and use case, with the minutes until access
comes back, `estimated_time_to_regain_access`). Every Graph call — a poll's reads as much as a
reply, a private reply, a Send API message, a hide or a delete — goes through `UsageGate`:

- `observe(headers)` after each answer keeps the highest percentage; at or above the
  threshold (`usage_backoff_percent`, default 90) the account is throttled until Meta's
  estimated time, or `DEFAULT_WAIT` when Meta gives none;
- `refused(headers)` when Meta answers a rate-limit code (4, 17, 32, 613, 80001…): usage is
  taken as 100 % until the time Meta gives;
- `check(action)` before each call raises `RateLimited` (nothing sent) while throttled.

The state travels with the account (`ConnectorAccount.rate_limit_remaining` = 100 − usage,
`rate_limit_reset_at` = the end of the throttle): `restore` seeds a fresh connector from it, so a
worker that never polled still waits, and `app/services/platform_usage.py` lets the worker skip a
throttled account's queued writes without building a connector at all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from connectors.base import RateLimited, RateLimitState, utcnow

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 90
#: How long to wait when usage is past the threshold and Meta says nothing of when it drops.
DEFAULT_WAIT = timedelta(minutes=15)
#: Graph error codes that mean "too many calls" (app, user, page, BUC, Instagram BUC).
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 80005, 80006, 80008})
USAGE_KEYS = ("call_count", "total_cputime", "total_time", "acc_id_util_pct")


def usage_percent(headers: Mapping[str, str]) -> tuple[int | None, int | None]:
    """The highest usage percentage in Meta's usage headers, and the minutes Meta says
    access will be back in (`estimated_time_to_regain_access`), each None when absent."""
    highest: int | None = None
    regain: int | None = None

    def take(entry: Any) -> None:
        nonlocal highest, regain
        if not isinstance(entry, dict):
            return
        for key in USAGE_KEYS:
            value = entry.get(key)
            if isinstance(value, int | float):
                highest = max(highest or 0, int(value))
        wait = entry.get("estimated_time_to_regain_access")
        if isinstance(wait, int | float) and wait > 0:
            regain = max(regain or 0, int(wait))

    for name in ("X-App-Usage", "X-Page-Usage"):
        if name in headers:
            try:
                take(json.loads(headers[name]))
            except ValueError:
                log.debug("Meta: unreadable %s header", name)
    if "X-Business-Use-Case-Usage" in headers:
        try:
            buc = json.loads(headers["X-Business-Use-Case-Usage"])
        except ValueError:
            buc = {}
        for entries in buc.values() if isinstance(buc, dict) else []:
            for entry in entries if isinstance(entries, list) else [entries]:
                take(entry)
    return highest, regain


def throttled_until(
    remaining: int | None,
    reset_at: datetime | None,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    now: datetime | None = None,
) -> datetime | None:
    """When calls may resume for an account in this state (None: they may go now)."""
    now = now or utcnow()
    if remaining is None or reset_at is None or reset_at <= now:
        return None
    return reset_at if 100 - remaining >= threshold else None


class UsageGate:
    """One account's Meta usage as last reported, and whether the next call must wait."""

    def __init__(self, platform: str, threshold: int = DEFAULT_THRESHOLD) -> None:
        self.platform = platform
        self.threshold = threshold
        self.percent: int | None = None
        self.state = RateLimitState()

    def restore(self, remaining: int | None, reset_at: datetime | None) -> None:
        """Seed from what the account stored (another process's last answer from Meta)."""
        if throttled_until(remaining, reset_at, threshold=self.threshold) and remaining is not None:
            self.percent = 100 - remaining
            self.state = RateLimitState(limit=100, remaining=remaining, reset_at=reset_at)

    def observe(self, headers: Mapping[str, str]) -> None:
        percent, regain = usage_percent(headers)
        if percent is None:
            return
        self.percent = percent
        reset = utcnow() + timedelta(minutes=regain) if regain else None
        if reset is None and percent >= self.threshold:
            reset = utcnow() + DEFAULT_WAIT
        self.state = RateLimitState(limit=100, remaining=max(100 - percent, 0), reset_at=reset)

    def refused(self, headers: Mapping[str, str]) -> datetime:
        """Meta refused a call for its rate limit: throttled until the time it gives."""
        _, regain = usage_percent(headers)
        retry_at = utcnow() + (timedelta(minutes=regain) if regain else DEFAULT_WAIT)
        self.percent = 100
        self.state = RateLimitState(limit=100, remaining=0, reset_at=retry_at)
        return retry_at

    def check(self, action: str) -> None:
        """Raise RateLimited (nothing is sent) while the account is throttled."""
        until = throttled_until(self.state.remaining, self.state.reset_at, threshold=self.threshold)
        if until is not None:
            raise RateLimited(
                f"{self.platform}: {action} deferred, API usage at {self.percent}% "
                f"(calls stop at {self.threshold}%)",
                retry_at=until,
                default_wait=DEFAULT_WAIT,
            )
