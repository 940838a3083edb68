"""YouTube: finding a new reply on an old thread, beyond the pages a poll reads.

`commentThreads.list(allThreadsRelatedToChannelId, order=time)` orders threads by their
top-level comment's date, not by their last reply: a reply today on a thread started a month
ago sits pages back, where a poll (which stops at the first page older than its cursor) never
looks. So, besides the first pages, each poll reads `sweep_pages` (default 1) more pages of the
published threads, going further back at every poll from where the last one stopped, and
starts again from the top once the end of the list is reached (or its page token went stale):
a round of the sweep visits every thread.

What counts as new in a swept thread: a reply dated after the start of the previous round
(minus the overlap). Every thread the previous round visited was visited after that moment,
so a reply older than it was already seen then; storage dedupes what is seen twice.

Quota: one unit per swept page. A thread embeds a few replies only; `comments.list(parentId)`
(one unit a page) is asked for only when the thread's `totalReplyCount` changed since the
sweep or a poll last saw it (`counts`, the busiest `MAX_COUNTS` threads kept in the cursor),
so a quiet busy thread costs nothing. Everything goes through the quota ledger like the other
reads (they stop at `daily_quota - write_reserve`): with a poll a minute, the sweep costs about
1,440 units a day plus the threads that really changed.

Limits, said plainly: a round over N pages of threads takes N polls (a channel with 2,000
threads and a poll a minute: about 20 minutes before an old thread's new reply shows); a reply
deleted and another added between two visits leave the count unchanged and the new one is
seen only when embedded; replies held for review on old threads are not swept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.base import FetchedMention, PermanentError

log = logging.getLogger(__name__)

#: Busy threads whose reply count is remembered between polls (the cursor stays small).
MAX_COUNTS = 2_000
DEFAULT_SWEEP_PAGES = 1


@dataclass
class SweepState:
    """The sweep's place, kept in the connector's cursor (`sweep` key)."""

    token: str | None = None  # the next page to sweep (None: continue after the poll's pages)
    started: int = 0  # Unix seconds when the current round started
    floor: int = 0  # replies dated before this were seen by an earlier round
    counts: dict[str, int] = field(default_factory=dict)  # thread id -> totalReplyCount

    @classmethod
    def read(cls, raw: Any, now: datetime, overlap: timedelta) -> SweepState:
        start = int(now.timestamp())
        first = cls(started=start, floor=int((now - overlap).timestamp()))
        if not isinstance(raw, dict):
            return first  # the first poll: nothing older than now is news
        counts = raw.get("counts")
        try:
            return cls(
                token=str(raw["token"]) if raw.get("token") else None,
                started=int(raw.get("started") or start),
                floor=int(raw.get("floor") or first.floor),
                counts={str(k): int(v) for k, v in (counts or {}).items()},
            )
        except (TypeError, ValueError, AttributeError):
            log.warning("YouTube: unreadable sweep state, starting a new round")
            return first

    def dump(self) -> dict[str, Any]:
        busiest = sorted(self.counts.items(), key=lambda kv: -kv[1])[:MAX_COUNTS]
        return {
            "token": self.token,
            "started": self.started,
            "floor": self.floor,
            "counts": dict(busiest),
        }

    def new_round(self, now: datetime, overlap: timedelta) -> None:
        """The end of the list: the next round starts again from the top."""
        self.floor = int((datetime.fromtimestamp(self.started, UTC) - overlap).timestamp())
        self.started = int(now.timestamp())
        self.token = None

    @property
    def floor_at(self) -> datetime:
        return datetime.fromtimestamp(self.floor, UTC)


ListPage = Callable[[str | None], dict[str, Any]]
ThreadMentions = Callable[[dict[str, Any], datetime, bool], Iterator[FetchedMention]]


def sweep(
    state: SweepState,
    *,
    start_token: str | None,
    pages: int,
    list_page: ListPage,
    thread_mentions: ThreadMentions,
    now: datetime,
    overlap: timedelta,
) -> Iterator[FetchedMention]:
    """Read up to `pages` further pages of threads, yielding the replies that are new.

    `start_token`: where the poll's own pages stopped (a new round starts there: the poll
    just read the pages before). `thread_mentions(thread, floor, list_all)` yields a thread's
    fresh mentions, listing all its replies when `list_all`.
    """
    token = state.token or start_token
    if token is None:
        state.new_round(now, overlap)  # the poll read the whole list: nothing further back
        return
    for _ in range(pages):
        try:
            body = list_page(token)
        except PermanentError as exc:
            if exc.status != 404:
                raise
            log.info("youtube: sweep page token stale, starting a new round")
            state.new_round(now, overlap)
            return
        for thread in body.get("items") or []:
            if not isinstance(thread, dict):
                continue
            thread_id = str(thread.get("id") or "")
            raw_snippet = thread.get("snippet")
            snippet: dict[str, Any] = raw_snippet if isinstance(raw_snippet, dict) else {}
            total = int(snippet.get("totalReplyCount") or 0)
            changed = state.counts.get(thread_id) != total
            yield from thread_mentions(thread, state.floor_at, changed)
            remember(state, thread_id, total)
        token = body.get("nextPageToken") or None
        if token is None:
            state.new_round(now, overlap)
            return
    state.token = token


def remember(state: SweepState, thread_id: str, total: int) -> None:
    """Keep a thread's reply count (threads without replies need none)."""
    if total:
        state.counts[thread_id] = total
    else:
        state.counts.pop(thread_id, None)
