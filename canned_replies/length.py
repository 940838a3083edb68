"""Reply length per channel, counted the way each platform counts it."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import grapheme  # type: ignore[import-untyped]  # no stubs published

with warnings.catch_warnings():
    # twitter-text-parser imports pkg_resources, which newer setuptools flag as deprecated.
    warnings.simplefilter("ignore")
    from twitter_text import (  # type: ignore[import-untyped]  # no stubs published
        extract_urls_with_indices,
        parse_tweet,
    )

# Limits of the platforms' default servers; channels not listed here have no limit.
# Instagram comments stop at 2,200 characters, Facebook comments at 8,000, YouTube comments
# at 10,000; a Business Profile owner's reply to a review at 4,096. The Send API takes
# 2,000 characters of text on Messenger and 1,000 on Instagram direct.
CHANNEL_LIMITS: dict[str, int] = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "instagram": 2200,
    "facebook": 8000,
    "youtube": 10000,
    "google_business": 4096,
    "messenger": 2000,
    "instagram_dm": 1000,
}
_CHANNEL_ALIASES = {"twitter": "x", "bsky": "bluesky", "fb": "facebook", "ig": "instagram"}

# Mastodon replaces every link by a 23-character placeholder before counting.
MASTODON_URL_LENGTH = 23
# Mastodon counts a remote mention "@alice@example.social" as "@alice" only.
_REMOTE_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*)@[\w.-]+\w")


@dataclass(frozen=True)
class LengthCheck:
    """How long a reply is on a channel, its limit (None when unlimited) and whether it fits."""

    count: int
    limit: int | None
    ok: bool

    @property
    def remaining(self) -> int | None:
        """Characters left before the limit (negative when over), None when unlimited."""
        return None if self.limit is None else self.limit - self.count


def _channel_key(channel: str) -> str:
    key = channel.strip().lower()
    return _CHANNEL_ALIASES.get(key, key)


def channel_limit(channel: str) -> int | None:
    """Return the length limit of a channel, or None when the channel has none."""
    return CHANNEL_LIMITS.get(_channel_key(channel))


def _mastodon_length(text: str) -> int:
    text = _REMOTE_MENTION.sub(lambda m: "@" + m.group(1), text)
    # Mastodon extracts links with the twitter-text rules, scheme required.
    urls = extract_urls_with_indices(text, extract_urls_without_protocol=False)
    length, cursor = 0, 0
    for url in urls:
        start, end = url["indices"]
        length += grapheme.length(text[cursor:start]) + MASTODON_URL_LENGTH
        cursor = end
    return length + grapheme.length(text[cursor:])


def count_length(text: str, channel: str) -> int:
    """Count the length of a reply the way the channel does (X weighting, graphemes, URLs)."""
    key = _channel_key(channel)
    if key == "x":
        # X weighs CJK characters double, counts any URL as 23 and an emoji sequence as 2.
        return parse_tweet(text).weightedLength if text else 0
    if key == "mastodon":
        return _mastodon_length(text)
    return grapheme.length(text)


def check_length(text: str, channel: str) -> LengthCheck:
    """Tell whether a reply fits within the channel's limit."""
    count = count_length(text, channel)
    limit = channel_limit(channel)
    return LengthCheck(count=count, limit=limit, ok=limit is None or count <= limit)
