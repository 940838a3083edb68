"""Censored words ("f**tre", "c*nnard", "gue#le", "pu+e", "enc***é") read as the lexicon
word they hide.

The normaliser keeps `*`, `#` and `+` when they stand between letters of one word; an
`Unmasker` (one per fuzzy vocabulary, see `fuzzy`) then reads each mask character as one
unknown letter, or a run of k ≥ 2 as one to k + 2 letters when no word has the exact length
and three letters at least are known. The word is rewritten only when every term word that
fits is a one-word term of the hostile (fuzzy) lexicons, and only one fits when each mask is
one letter; when none fits, the words of their phrases are tried the same way ("gue*le" of
"ta gueule"). Otherwise the mask characters stay word boundaries, as before.
Guards: at least two known letters and no more masked than known ones, four characters at
least; masks at a word's edge ("note*", "*Attention*", "C*", "5*") are never candidates,
handles, e-mails and URLs are masked before this step.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

MASK_CHARS = "*#+"
_MIN_LENGTH = 4
_CACHE_LIMIT = 50_000
_MISS = object()
_RUN_RE = re.compile(r"[*#+]+")


def _pattern(token: str, *, exact: bool) -> re.Pattern[str]:
    parts: list[str] = []
    last = 0
    for m in _RUN_RE.finditer(token):
        parts.append(re.escape(token[last : m.start()]))
        size = m.end() - m.start()
        parts.append(f"[a-z]{{{size}}}" if exact or size == 1 else f"[a-z]{{1,{size + 2}}}")
        last = m.end()
    parts.append(re.escape(token[last:]))
    return re.compile("".join(parts))


class Unmasker:
    """The hostile word a masked token stands for, among a playbook's term words."""

    def __init__(
        self, hostile: Iterable[str], phrases: Iterable[str], others: Iterable[str]
    ) -> None:
        """`hostile`: the one-word terms of the fuzzy lexicons (insults, profanity, slurs);
        `phrases`: the other words of their terms ("gueule" of "ta gueule"), tried only when
        no word of the first kind fits; `others`: the words of the other terms, which compete
        ("tr*in" fits "train" as well, so it is no insult)."""
        words = {w for w in others if w.isalpha() and len(w) >= 3}
        self._tiers: list[tuple[frozenset[str], dict[str, list[str]]]] = []
        for accepted in (hostile, phrases):
            kept = frozenset(w for w in accepted if w.isalpha() and len(w) >= _MIN_LENGTH)
            by_first: dict[str, list[str]] = {}
            for w in sorted(kept | words):
                by_first.setdefault(w[0], []).append(w)
            self._tiers.append((kept, by_first))
        self._cache: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def resolve(self, token: str) -> str | None:
        """The one hostile word `token` ("c*nnard", masks between letters) hides, or None."""
        found = self._cache.get(token, _MISS)
        if found is _MISS:
            found = self._resolve(token)
            with self._lock:
                if len(self._cache) >= _CACHE_LIMIT:
                    self._cache.clear()
                self._cache[token] = found
        return found  # type: ignore[return-value]

    def _resolve(self, token: str) -> str | None:
        known = sum(c.isalpha() for c in token)
        if len(token) < _MIN_LENGTH or known < 2 or known < len(token) - known:
            return None
        for accepted, by_first in self._tiers:
            pool = by_first.get(token[0], ())
            for exact in (True, False) if known >= 3 else (True,):
                pattern = _pattern(token, exact=exact)
                fits = [w for w in pool if pattern.fullmatch(w)]
                if not fits:
                    continue
                if not accepted.issuperset(fits):
                    return None
                if exact:
                    return fits[0] if len(fits) == 1 else None
                return min(fits, key=len)  # forms of one insult ("encule", "enculee")
        return None
