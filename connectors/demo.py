"""Demo connector: replays a bundled synthetic French stream so the console is alive at once.

Options: `brand` ("demo-rail" — Ferlis, a fictitious rail operator — or "demo-shop" —
Cabasso, a fictitious online retailer), `pace` (mentions per minute on average, default 6;
0 = the whole stream at once, dated over the last hour or so, without looping),
`max_batch` (default 500), `reply_log` (optional path: replies are appended as JSON lines).

Facebook and Instagram: the bundled streams predate the Meta connector, so two thirds of the
Bluesky lines are replayed as Facebook comments and Instagram comments (`meta_channel`),
which keeps the streams (and their labels) as they are. YouTube: a third of the Mastodon
lines that start a conversation are replayed as comments under the brand's videos
(`youtube_channel`), cross-channel people excepted. Private messages: a quarter of the X
conversations (whole threads, so a follow-up stays in its conversation) are replayed as
Messenger and Instagram direct messages (`dm_channel`), in French and English like the rest.

Cursor: "start_epoch:index" — when the replay started and how many mentions were handed out.
Mention n is due at start + its stream offset scaled to the pace; the stream loops, each loop
with fresh external ids and timestamps. No network: replies and hides are recorded locally.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import grapheme
from twitter_text import parse_tweet

from connectors.base import (
    AuthorInfo,
    Connector,
    FetchedMention,
    FetchResult,
    OutgoingReply,
    PermanentError,
    PostResult,
)

DEMO_BRANDS: dict[str, dict[str, str]] = {
    "demo-rail": {"name": "Ferlis", "handle": "Ferlis_Info"},
    "demo-shop": {"name": "Cabasso", "handle": "Cabasso_fr"},
}
NOMINAL_PACE = 6.0  # mentions per minute unless the account's options say otherwise
LOOP_GAP = 10.0  # seconds between the last mention of a loop and the first of the next


@lru_cache(maxsize=8)
def load_stream(brand: str) -> tuple[dict[str, Any], ...]:
    """Return the bundled stream of `brand`, in order of offset."""
    if brand not in DEMO_BRANDS:
        raise ValueError(f"unknown demo brand {brand!r} (known: {', '.join(DEMO_BRANDS)})")
    text = resources.files("connectors.demo_stream").joinpath(f"{brand}.jsonl").read_text("utf-8")
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    return tuple(sorted(lines, key=lambda line: line["offset"]))


def meta_channel(line: dict[str, Any]) -> dict[str, Any]:
    """The line as Facebook or Instagram shows it, for two Bluesky lines out of three."""
    if line["channel"] != "bluesky":
        return line
    number = int("".join(c for c in str(line["id"]) if c.isdigit()) or 0)
    channel = {1: "facebook", 2: "instagram"}.get(number % 3)
    if channel is None:
        return line
    author = dict(line["author"])
    local = str(author["handle"]).removesuffix(".bsky.social").lstrip("@")
    # Facebook shows names, not handles; Instagram handles use dots, not hyphens.
    author["handle"] = (
        author.get("name") or local if channel == "facebook" else local.replace("-", ".")
    )
    author["id"] = str(author["id"]).replace("bluesky:", f"{channel}:", 1)
    # A comment under the brand's post does not need to name the brand.
    text = re.sub(r"^@\S+\s+", "", str(line["text"])) if channel == "facebook" else line["text"]
    return {**line, "channel": channel, "author": author, "text": text}


def youtube_channel(line: dict[str, Any]) -> dict[str, Any]:
    """The line as a YouTube comment, for one Mastodon line out of three that opens a thread."""
    if line["channel"] != "mastodon" or line.get("in_reply_to"):
        return line
    if (line.get("label") or {}).get("cross_channel"):
        return line  # the same person on X and Mastodon stays so
    number = int("".join(c for c in str(line["id"]) if c.isdigit()) or 0)
    if number % 3 != 1:
        return line
    author = dict(line["author"])
    local = str(author["handle"]).lstrip("@").split("@")[0]
    author["handle"] = f"@{local}"
    author["id"] = str(author["id"]).replace("mastodon:", "youtube:", 1)
    # A comment under the brand's video does not need to name the brand.
    text = re.sub(r"^(@\S+\s+)+", "", str(line["text"]))
    return {**line, "channel": "youtube", "author": author, "text": text}


def _number(value: Any) -> int:
    return int("".join(c for c in str(value) if c.isdigit()) or 0)


def dm_channel(line: dict[str, Any]) -> dict[str, Any]:
    """The line as a Messenger or Instagram direct message, for one X thread out of four
    (every line of the thread, so the conversation stays one), cross-channel people excepted."""
    if line["channel"] != "x" or (line.get("label") or {}).get("cross_channel"):
        return line
    thread = _number(line.get("thread") or line["id"])
    if thread % 4 != 1:
        return line
    channel = "messenger" if (thread // 4) % 2 == 0 else "instagram_dm"
    author = dict(line["author"])
    local = str(author["handle"]).lstrip("@")
    # Messenger shows the person's name; Instagram their username.
    author["handle"] = author.get("name") or local if channel == "messenger" else local.lower()
    platform = "facebook" if channel == "messenger" else "instagram"
    author["id"] = str(author["id"]).replace("x:", f"{platform}:", 1)
    # A private message does not name the brand it is written to.
    text = re.sub(r"^(@\S+\s+)+", "", str(line["text"]))
    return {**line, "channel": channel, "author": author, "text": text, "kind": "message"}


def replayed(line: dict[str, Any]) -> dict[str, Any]:
    """The stream's line on the channel the demo shows it on."""
    return dm_channel(youtube_channel(meta_channel(line)))


def reply_too_long(channel: str, text: str) -> str | None:
    """Explain why `text` exceeds the limit of `channel`, as the real platform would refuse it."""
    if channel == "x" and not parse_tweet(text).valid:
        return "longer than 280 weighted characters (X)"
    if channel == "bluesky" and grapheme.length(text) > 300:
        return "longer than 300 characters (Bluesky)"
    if channel == "mastodon" and len(text) > 500:
        return "longer than 500 characters (Mastodon)"
    if channel == "instagram" and grapheme.length(text) > 2200:
        return "longer than 2,200 characters (Instagram)"
    if channel == "messenger" and len(text) > 2000:
        return "longer than 2,000 characters (Messenger)"
    if channel == "instagram_dm" and len(text) > 1000:
        return "longer than 1,000 characters (Instagram direct)"
    return None


class DemoConnector(Connector):
    """Replays the demo stream of one demo brand at a chosen pace."""

    platform: ClassVar[str] = "demo"
    supports_hide: ClassVar[bool] = True
    supports_history: ClassVar[bool] = True  # connectors.history: the stream, spread over days
    option_fields: ClassVar[tuple[str, ...]] = ("brand", "pace", "max_batch", "reply_log")

    def __init__(self, *, clock: Callable[[], float] = time.time, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.brand = str(self.options.get("brand") or "demo-rail")
        self.stream = load_stream(self.brand)
        self.pace = float(self.options.get("pace", NOMINAL_PACE))
        self.max_batch = max(int(self.options.get("max_batch", 500)), 1)
        self.clock = clock
        self.sent: list[dict[str, Any]] = []
        self.hidden: dict[str, bool] = {}

    @property
    def _period(self) -> float:
        return self.stream[-1]["offset"] + LOOP_GAP

    def _due(self, start: int, n: int) -> float:
        """When mention n of the replay is due (Unix seconds)."""
        cycle, line = divmod(n, len(self.stream))
        if self.pace <= 0:
            # Everything at once, dated as if it happened at nominal pace until `start`.
            return start - (self.stream[-1]["offset"] - self.stream[line]["offset"])
        # Scale the stream's own timeline so that the average rate is exactly `pace`.
        scale = (60.0 / self.pace) / (self._period / len(self.stream))
        return start + (cycle * self._period + self.stream[line]["offset"]) * scale

    def fetch(self, cursor: str | None) -> FetchResult:
        """Return the mentions whose time has come since `cursor`."""
        now = self.clock()
        start, index = int(now), 0
        if cursor:
            try:
                first, _, second = cursor.partition(":")
                start, index = int(first), int(second)
            except ValueError:
                start, index = int(now), 0
        mentions: list[FetchedMention] = []
        end = len(self.stream) if self.pace <= 0 else None
        while (end is None or index < end) and len(mentions) < self.max_batch:
            due = self._due(start, index)
            if due > now:
                break
            mentions.append(self._mention(start, index, due))
            index += 1
        more = (end is None or index < end) and self._due(start, index) <= now
        return FetchResult(
            mentions,
            f"{start}:{index}",
            complete=not more,
            error="batch limit reached; more are due" if more else None,
        )

    def fetch_history(self, since: datetime, cursor: str | None) -> FetchResult:
        """The whole stream once, spread evenly between `since` and now, a page at a time (as
        a platform's search would give an account's older mentions)."""
        page = min(self.max_batch, 200)
        index = int(cursor) if cursor and cursor.isdigit() else 0
        now = self.clock()
        first = max(since.timestamp(), now - 90 * 86400)
        step = (now - first) / (len(self.stream) + 1)
        mentions = []
        for n in range(index, min(index + page, len(self.stream))):
            found = self._mention(0, n, first + step * (n + 1))
            mentions.append(replace(found, external_id=f"history:{found.external_id}"))
        index += len(mentions)
        return FetchResult(mentions, str(index) if index < len(self.stream) else None)

    def _mention(self, start: int, n: int, due: float) -> FetchedMention:
        cycle, position = divmod(n, len(self.stream))
        line = replayed(self.stream[position])

        def ref(stream_id: str | None) -> str | None:
            return f"demo:{start}:{cycle}:{stream_id}" if stream_id else None

        author = line["author"]
        channel = line["channel"]
        return FetchedMention(
            external_id=ref(line["id"]) or "",
            text=line["text"],
            author=AuthorInfo(
                external_id=author["id"],
                handle=author["handle"],
                name=author.get("name"),
                followers=author.get("followers"),
                verified=bool(author.get("verified")),
                url=None,
            ),
            posted_at=datetime.fromtimestamp(due, UTC),
            url=None,
            lang=line.get("lang"),
            channel=channel,
            thread_id=ref(line.get("thread")),
            in_reply_to=ref(line.get("in_reply_to")),
            visibility="public"
            if channel == "mastodon"
            else "direct"
            if channel in ("messenger", "instagram_dm")
            else None,
            raw={**line, "demo": True, "cycle": cycle},
        )

    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """Record the reply locally and return a synthetic id (the same for the same key)."""
        channel = str((reply.in_reply_to_raw or {}).get("channel") or "x")
        problem = reply_too_long(channel, reply.text)
        if problem:
            raise PermanentError(f"post reply: text {problem}")
        digest = hashlib.sha256(reply.idempotency_key.encode()).hexdigest()[:16]
        record = {
            "id": f"demo-reply-{digest}",
            "in_reply_to": reply.in_reply_to_external_id,
            "text": reply.text,
            "idempotency_key": reply.idempotency_key,
            "at": datetime.now(UTC).isoformat(),
        }
        if not any(sent["id"] == record["id"] for sent in self.sent):
            self.sent.append(record)
            log_path = self.options.get("reply_log")
            if log_path:
                with Path(log_path).open("a", encoding="utf-8") as log:
                    log.write(json.dumps(record, ensure_ascii=False) + "\n")
        return PostResult(external_id=record["id"], url=None)

    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """Look for the reply in what this connector recorded (and in `reply_log`)."""
        digest = hashlib.sha256(reply.idempotency_key.encode()).hexdigest()[:16]
        wanted = f"demo-reply-{digest}"
        records = list(self.sent)
        log_path = self.options.get("reply_log")
        if log_path and Path(log_path).exists():
            lines = Path(log_path).read_text(encoding="utf-8").splitlines()
            records += [json.loads(line) for line in lines if line.strip()]
        if any(record.get("id") == wanted for record in records):
            return PostResult(external_id=wanted, url=None)
        return None

    def hide(self, mention_raw: dict[str, Any], hidden: bool = True) -> None:
        """Record that the mention is hidden (or shown again)."""
        self.hidden[str(mention_raw.get("id"))] = hidden

    def verify(self) -> str:
        """Return the demo brand's handle."""
        return DEMO_BRANDS[self.brand]["handle"]
