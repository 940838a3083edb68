"""Protect the parts of a reply that are not French or English prose before proofreading.

Handles, URLs, e-mail addresses, hashtags, references with digits, censored words, template
variables and brand-dictionary terms are replaced by same-length placeholders so the checkers
never flag them and the offsets of every finding stay valid in the original text.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from functools import lru_cache

import emoji

with warnings.catch_warnings():
    # twitter-text-parser imports pkg_resources, which newer setuptools flag as deprecated.
    warnings.simplefilter("ignore")
    from twitter_text import extract_urls_with_indices  # type: ignore[import-untyped]

# "_" is ignored by Grammalecte's speller and does not break sentences; emoji become spaces
# so "Bonjour Léa 😊 votre commande" still reads as one clause.
PLACEHOLDER = "_"

_PATTERNS = [
    # Any explicit web address, IP hosts and unknown TLDs included (twitter-text skips those).
    re.compile(r"\bhttps?://[^\s<>\"]+"),
    re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S),  # template syntax in a body
    re.compile(r"\[\[[^\]]*\]\]"),  # marker of a missing variable
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail address
    re.compile(r"(?<![\w@])@\w[\w.-]*(?:@[\w-]+(?:\.[\w-]+)+)?"),  # X, Bluesky, Mastodon handle
    re.compile(r"(?<![\w#])#\w+"),  # hashtag
    re.compile(r"\b(?=[\w-]*\d)(?=[\w-]*[^\W\d_])[\w-]+"),  # reference, code, time: CMD-482, 14h30
    # A word censored with asterisks, as replies quote what they moderate ("p*tain", "f**tre",
    # "m****"): its pieces are not words to spell or agree. A lone trailing "*" (a footnote,
    # "*important*" emphasis) is left alone.
    re.compile(r"(?<![\w*])[^\W\d_]+(?:\*+[^\W\d_]+)+\*?|(?<![\w*])[^\W\d_]+\*{2,}"),
]


@lru_cache(maxsize=64)
def _dictionary_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<![\w@#])(?:{alternatives})(?!\w)", re.IGNORECASE)


def protected_spans(text: str, dictionary: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Return the sorted spans of text that proofreading must leave alone."""
    spans: list[tuple[int, int]] = []
    for url in extract_urls_with_indices(text):
        spans.append((url["indices"][0], url["indices"][1]))
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            end = match.end()
            # A handle or address at the end of a sentence does not own the final period.
            while end > match.start() + 1 and text[end - 1] in ".-":
                end -= 1
            spans.append((match.start(), end))
    dictionary_pattern = _dictionary_pattern(tuple(dictionary))
    if dictionary_pattern is not None:
        spans.extend(m.span() for m in dictionary_pattern.finditer(text))
    return sorted(spans)


def emoji_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of emoji (including ZWJ sequences and skin tones)."""
    return [(e["match_start"], e["match_end"]) for e in emoji.emoji_list(text)]


def mask(text: str, dictionary: Iterable[str] = ()) -> tuple[str, list[tuple[int, int]]]:
    """Return the text with protected parts replaced (same length) and the protected spans."""
    chars = list(text)
    spans = protected_spans(text, dictionary)
    for start, end in spans:
        chars[start:end] = PLACEHOLDER * (end - start)
    for start, end in emoji_spans(text):
        chars[start:end] = " " * (end - start)
        spans.append((start, end))
    return "".join(chars), sorted(spans)


def overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Tell whether [start, end) touches any of the spans."""
    return any(start < s_end and s_start < end for s_start, s_end in spans)
