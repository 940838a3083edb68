"""Words a reply mentions rather than uses: inside quotation marks, or beside English words
(a term, a title, a foreign word). Their spelling and grammar are not the writer's own French,
so the French checker does not block on them."""

from __future__ import annotations

import re

from canned_replies import unknown_words
from canned_replies.grammalecte_engine import is_valid_word

_QUOTE_MARKS = re.compile(r"[\"«»“”]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def quoted(text: str, start: int, end: int) -> bool:
    """True when a word sits inside quotation marks ("hazmat", « tyvek »): a word mentioned or
    quoted (a term, a title, a foreign word), not one the writer meant to spell in French."""
    line_start = text.rfind("\n", 0, start) + 1
    before = _QUOTE_MARKS.findall(text, line_start, start)
    if not before:
        return False
    opened = before.count('"') % 2 == 1 or before[-1] in "«“"
    line_end = text.find("\n", end)
    after = _QUOTE_MARKS.search(text, end, len(text) if line_end < 0 else line_end)
    return opened and after is not None


def english_around(text: str, start: int, end: int) -> bool:
    """True when a neighbouring word is English and not French ("The disinformation
    campaign", "no more precise date"): a quotation or a title in English."""
    before = _WORD.findall(text[max(0, start - 40) : start])[-2:]
    after = _WORD.findall(text[end : end + 40])[:2]
    for word in (*before, *after):
        low = word.lower()
        if len(low) > 1 and unknown_words.zipf(low, "en") >= 4.5 > unknown_words.zipf(low) + 1:
            return True
    return False


def quoted_term(text: str, start: int, end: int) -> bool:
    """True inside a short quotation of a foreign term or title ("buffalo wings", "love"):
    mentioned, not the writer's own grammar. Measured on the tuning part: 2 blocked clean
    sentences, no annotated mistake."""
    if not quoted(text, start, end):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    opening = max(text.rfind(q, line_start, start) for q in '"«“')
    closing = _QUOTE_MARKS.search(text, end)
    if opening < 0 or closing is None:
        return False
    words = _WORD.findall(text[opening + 1 : closing.start()])
    # Only a foreign term or title: French words in quotes keep their grammar ("les
    # "négociation" menées": injected plural mistakes on the tuning part).
    return len(words) <= 3 and any(
        not is_valid_word(w) or unknown_words.zipf(w.lower(), "en") > unknown_words.zipf(w.lower())
        for w in words
    )
