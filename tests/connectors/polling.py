"""What the worker does with a connector, reduced to what the tests need to observe."""

from __future__ import annotations

import re

from connectors.base import Connector, FetchedMention, FetchResult


class MentionStore:
    """Stores mentions by external id, like the ingest service's idempotent upsert."""

    def __init__(self) -> None:
        self.mentions: dict[str, FetchedMention] = {}
        self.cursor: str | None = None

    def poll(self, connector: Connector) -> FetchResult:
        """Fetch once, store the mentions, then store the cursor (the commit order matters)."""
        result = connector.fetch(self.cursor)
        ids = [m.external_id for m in result.mentions]
        assert len(ids) == len(set(ids)), "a mention came twice in one pass"
        for mention in result.mentions:
            self.mentions.setdefault(mention.external_id, mention)
        self.cursor = result.cursor
        return result

    @property
    def texts(self) -> set[str]:
        """The stored texts without their leading @mentions."""
        return {re.sub(r"^(@\S+\s+)+", "", m.text) for m in self.mentions.values()}
