"""Whether an account's platform writes must wait, from the usage the platform last reported.

Meta reports usage percentages in headers (`connectors/meta_usage.py` reads them, the worker
stores them on the account: `rate_limit_remaining` = 100 − usage, `rate_limit_reset_at` = when
calls may resume). The worker asks here before carrying out a queued hide or moderation action,
so nothing is even attempted while the account is throttled; the connector's own gate covers
every other call (replies, messages, polls) with the same rule.
"""

from __future__ import annotations

from datetime import datetime

from app.models import ConnectorAccount, utcnow
from connectors import meta_usage

#: Platforms whose usage is read from Meta's headers.
USAGE_PLATFORMS = frozenset({"facebook", "instagram"})


def threshold(account: ConnectorAccount) -> int:
    """The usage percentage at which calls stop (the account's `usage_backoff_percent`)."""
    raw = (account.options or {}).get("usage_backoff_percent", meta_usage.DEFAULT_THRESHOLD)
    try:
        return int(raw)
    except (TypeError, ValueError):
        return meta_usage.DEFAULT_THRESHOLD


def deferred_until(account: ConnectorAccount, now: datetime | None = None) -> datetime | None:
    """When the account's writes may go again (None: now)."""
    if account.platform not in USAGE_PLATFORMS:
        return None
    return meta_usage.throttled_until(
        account.rate_limit_remaining,
        account.rate_limit_reset_at,
        threshold=threshold(account),
        now=now or utcnow(),
    )


def usage_percent(account: ConnectorAccount) -> int | None:
    """The last usage percentage Meta reported for the account (None: not known yet)."""
    if account.platform not in USAGE_PLATFORMS or account.rate_limit_remaining is None:
        return None
    return 100 - account.rate_limit_remaining
