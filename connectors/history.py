"""Older mentions on demand: what a connector offers when a brand is onboarded from its history.

A connector that can read an account's past mentions declares `supports_history = True` and
implements `fetch_history(since, cursor)`: one page of mentions posted after `since`, newest or
oldest first as the platform gives them, and the cursor of the next page (None at the end).
Most platforms' mention timelines do not reach 90 days back on ordinary API tiers: those
connectors do not offer it, and the onboarding wizard says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from connectors.base import FetchResult


@runtime_checkable
class FetchesHistory(Protocol):
    """A connector that reads an account's older mentions."""

    supports_history: bool

    def fetch_history(self, since: datetime, cursor: str | None) -> FetchResult:
        """One page of mentions posted after `since`; `cursor` None on the first call, and the
        result's cursor None after the last page."""
        ...


def offers_history(connector_class: type) -> bool:
    """Whether a connector class can read an account's older mentions."""
    return bool(getattr(connector_class, "supports_history", False))
