"""Poll no faster than the platform's limits allow for the account's API tier.

A connector may advise the shortest interval its rate window sustains (`FetchResult.
min_interval`; X derives it from the mentions window, which depends on the tier). The advice
and the window's size are kept in the account's options for its health page, and a shorter
configured interval is stretched to it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.models import ConnectorAccount
from connectors import FetchResult


def apply(account: ConnectorAccount, result: FetchResult, now: datetime) -> None:
    """Remember the advice and push the next poll out to it; no commit."""
    hint = result.min_interval
    if not hint:
        return
    options = dict(account.options or {})
    pacing = {"min_interval": hint, "window_limit": result.rate_limit.limit}
    if options.get("pacing") != pacing:
        account.options = {**options, "pacing": pacing}
    if result.complete and account.interval_seconds < hint:
        earliest = now + timedelta(seconds=hint)
        account.next_poll_at = max(account.next_poll_at or earliest, earliest)


def effective_interval(account: ConnectorAccount) -> int:
    """Seconds between polls in practice: the configured interval or the tier's, if longer."""
    hint = ((account.options or {}).get("pacing") or {}).get("min_interval")
    return (
        max(account.interval_seconds, int(hint))
        if isinstance(hint, int)
        else (account.interval_seconds)
    )
