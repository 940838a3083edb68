"""Text normalisation before matching: one folded, padded string plus a map back to the original.

Steps, in order (each is cheap when it has nothing to do):
1. fold: lower case, strip accents, Cyrillic/Greek look-alikes to Latin, punctuation to spaces
   (a one-to-one translate table); ligatures (œ→oe) and zero-width characters take a slower path;
2. mask URLs, e-mail addresses and @handles (replaced by spaces: they are not the author's words);
3. leetspeak inside words ("c0nn4rd", "s@lope", "b!te");
3b. with an `unmask` function (a playbook's, see `masks`), a text with `*#+` between two
   letters keeps them through step 1, and its censored words ("c*nnard") are rewritten to
   the hostile word they hide; the remaining `*#+@$|!` become spaces (as without `unmask`);
4. spacing tricks: runs of single letters are joined ("c o n", "c.o.n" → "con");
5. elongations: three or more identical letters become one ("nuuuul" → "nul");
6. whitespace runs collapse to one space; the result is padded with one space on each side,
   so every word, term and phrase is delimited by spaces (this gives word boundaries for free);
7. per-language SMS spellings are expanded (`expand_sms`), after language detection.
Terms are normalised by the same function, so both sides always agree.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x",
}  # fmt: skip
# Deleted outright: zero-width characters are used to split a word invisibly.
_DELETED = "\u00ad\u200b\u200c\u2060\ufeff"
# Emoji modifiers (skin tones, variation selector, joiner) carry no meaning for matching.
_EMOJI_MODIFIERS = "\ufe0f\ufe0e\u200d" + "".join(chr(c) for c in range(0x1F3FB, 0x1F400))
_KEEP = set("@$€|!")  # folded as-is: may be leetspeak, decided in step 3


_LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ﬁ": "fi", "ﬂ": "fl"}


def _fold_char(ch: str) -> str:
    if ch in _LIGATURES:
        return _LIGATURES[ch]
    if ch.lower() in _HOMOGLYPHS:
        return _HOMOGLYPHS[ch.lower()]
    if ch in _KEEP:
        return ch
    if ch in _DELETED:
        return ""
    if ch in _EMOJI_MODIFIERS:
        return " "
    low = ch.lower()
    decomposed = unicodedata.normalize("NFKD", low)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if not base:
        return "" if unicodedata.combining(ch) else " "
    if len(base) == 1 and not (base.isalnum() or base == " "):
        cat = unicodedata.category(base)
        # Punctuation, symbols and separators are word boundaries; emoji stay themselves.
        if cat[0] in "PZC" or (cat[0] == "S" and ord(base) < 0x2600):
            return " "
    return base


def _build_tables() -> tuple[dict[int, str], str]:
    one_to_one: dict[int, str] = {}
    other: list[str] = []
    for cp in list(range(0x0000, 0x3000)) + [ord(c) for c in _EMOJI_MODIFIERS + "\ufeff"]:
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        folded = _fold_char(ch)
        if len(folded) == 1:
            if folded != ch:
                one_to_one[cp] = folded
        else:
            other.append(ch)
    return one_to_one, "".join(other)


_FOLD, _SLOW_CHARS = _build_tables()
_SLOW_RE = re.compile("[" + re.escape(_SLOW_CHARS) + "]")
# str.translate is only fast on ASCII text: accented letters go through a regex first.
_ASCII_FOLD = str.maketrans({k: v for k, v in _FOLD.items() if k < 128})
# On pure ASCII, bytes.translate with a 256-byte table is ten times faster still.
_ASCII_FOLD_BYTES = bytes(ord(_FOLD.get(b, chr(b))) if b < 128 else b for b in range(256))
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# Masks ("c*nnard") survive folding only in a text that has one between two letters and is
# read with a playbook's `unmask`: other texts keep the tables above (the fast path).
_MASKS = "*#+"
_ASCII_FOLD_KEEP = str.maketrans(
    {k: v for k, v in _FOLD.items() if k < 128 and chr(k) not in _MASKS}
)
_ASCII_FOLD_BYTES_KEEP = bytes(b if chr(b) in _MASKS else _ASCII_FOLD_BYTES[b] for b in range(256))
_MASK_HINT_RE = re.compile(r"[^\W\d_][*#+]+[^\W\d_]")


def _fold_non_ascii(m: re.Match[str]) -> str:
    ch = m.group()
    return _FOLD.get(ord(ch), ch)


_MASK_RE = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.[a-z]{2,}"
    r"|^(?:\s*@\w+)+"  # the reply prefix "@a @b ..."
    r"|(?<![\w@])@\w*(?:[_0-9]|[A-Z])\w*",  # later handles: with digits, underscores or capitals
)
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
         "€": "e", "|": "i", "!": "i"}  # fmt: skip
_LEET_TABLE = str.maketrans(_LEET)
_LEET_CHARS_RE = re.compile(r"[0-9@$€|!]")  # rare characters: a plain class scans fastest
# Times, ordinals and units ("8h12", "3eme", "2e", "10km") are not leetspeak.
_NOT_LEET_RE = re.compile(r"\d+(?:h\d*|e|er|ere|eme|nd|nde|min|km|kg|eur|ans?|mn|s|x)?\d*")
_STRAY_RE = re.compile(r"[@$€|!*#+]")
# Masks between the letters of one word ("c*nnard", "gue#le", "pu+e"), not at its edges.
_MASK_SPLIT_RE = re.compile(r"([*#+]+)")
_MASKED_RE = re.compile(r"(?<!\S)[a-z]+(?:[*#+]+[a-z]+)+(?=[\s!]|$)")
_SPACED_HINT = re.compile(r" [a-z] [a-z] [a-z] ")
_SPACED_RE = re.compile(r"(?<= )[a-z](?: [a-z]){2,}(?= )")
_ELONGATED_HINT = re.compile(r"(.)\1\1")
_ELONGATED_RE = re.compile(r"([a-z])\1{2,}")
_SPACES_RE = re.compile(r"  +")
_DOUBLES_RE = re.compile(r"([a-z])\1+")


@dataclass(slots=True)
class _Shift:
    """Replaced segments of one rewrite step: (new start, new end, old start, old end)."""

    new_starts: list[int] = field(default_factory=list)
    segments: list[tuple[int, int, int, int]] = field(default_factory=list)

    def back(self, pos: int, *, end: bool) -> int:
        k = bisect_right(self.new_starts, pos if not end else pos - 1) - 1
        if k < 0:
            return pos
        ns, ne, os_, oe = self.segments[k]
        if not end and pos < ne:
            return os_
        if end and pos <= ne:
            return oe if pos > ns else os_
        return oe + (pos - ne)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """`back` of both ends of a span at once (one call per shift: the hot path)."""
        new_starts, segments = self.new_starts, self.segments
        k = bisect_right(new_starts, start) - 1
        if k >= 0:
            _, ne, os_, oe = segments[k]
            start = os_ if start < ne else oe + (start - ne)
        k = bisect_right(new_starts, end - 1) - 1
        if k >= 0:
            ns, ne, os_, oe = segments[k]
            end = (oe if end > ns else os_) if end <= ne else oe + (end - ne)
        return start, end


def _rewrite(text: str, edits: Iterable[tuple[int, int, str]]) -> tuple[str, _Shift | None]:
    """Apply sorted, non-overlapping (start, end, replacement) edits, recording the shift."""
    parts: list[str] = []
    shift = _Shift()
    last = 0
    delta = 0
    for start, end, repl in edits:
        parts.append(text[last:start])
        parts.append(repl)
        ns = start + delta
        ne = ns + len(repl)
        shift.new_starts.append(ns)
        shift.segments.append((ns, ne, start, end))
        delta += len(repl) - (end - start)
        last = end
    if not shift.segments:
        return text, None
    parts.append(text[last:])
    return "".join(parts), shift


_LONG_SPACE_RE = re.compile(r"\s\s+")
# Folding turned every other ASCII blank into a space: on ASCII text a run is only spaces,
# which this finds twice as fast as the `\s` class.
_SPACE_RUN_RE = re.compile(r"  +")


class _CollapseShift:
    """Way back from " w0 w1 ... " (single spaces, padded) to the text it was split from.

    A word of the collapsed text is found by searching its spaces (in C); its start in the
    text before is the same less the padding, plus the leading blanks and the extra blanks of
    the longer runs before it. Those runs are few (punctuation folded next to a space): they
    are listed on first use, and most mentions never need them.
    """

    __slots__ = ("_cum", "_lead", "_runs", "collapsed", "pre")

    def __init__(self, pre: str, collapsed: str) -> None:
        self.pre = pre
        self.collapsed = collapsed
        self._runs: list[int] | None = None  # collapsed position of each longer run's space
        self._cum: list[int] = []  # extra blanks up to and including each run
        self._lead = 0

    def _index(self) -> list[int]:
        if self._runs is None:
            pre = self.pre
            lead = self._lead = len(pre) - len(pre.lstrip())
            runs: list[int] = []
            extra = 0
            runs_re = _SPACE_RUN_RE if pre.isascii() else _LONG_SPACE_RE
            for m in runs_re.finditer(pre, lead):
                a, b = m.span()
                if b == len(pre):
                    break  # trailing blanks: after the last word
                runs.append(a - lead - extra + 1)
                extra += b - a - 1
                self._cum.append(extra)
            self._runs = runs
        return self._runs

    def _start(self, cstart: int) -> int:
        """Start in `pre` of the word starting at `cstart` in the collapsed text."""
        runs = self._index()
        k = bisect_right(runs, cstart - 1)  # runs whose space lies before the word
        return cstart - 1 + self._lead + (self._cum[k - 1] if k else 0)

    def back(self, pos: int, *, end: bool) -> int:
        c = self.collapsed
        last = len(c) - 1
        if last <= 1:  # no words
            return 0
        q = pos - 1 if end else pos
        if q < 1:  # before the first word
            return 0 if end else self._start(1)
        space = c.rfind(" ", 0, min(q, last))  # the space before the word at or before q
        cstart = space + 1
        size = c.find(" ", cstart) - cstart
        offset = q - cstart
        start = self._start(cstart)
        if offset < size:  # inside the word
            return start + offset + (1 if end else 0)
        if end:  # the space after the word
            return start + size
        following = cstart + size + 1
        return self._start(following) if following < last else len(self.pre)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """`back(start, end=False), back(end, end=True)` in one call, the word lookups inlined
        (every located word of the evidence comes through here)."""
        c = self.collapsed
        last = len(c) - 1
        if last <= 1:  # no words
            return 0, 0
        runs = self._runs if self._runs is not None else self._index()
        lead, cum = self._lead - 1, self._cum
        # the start: inside a word, else the next word's start
        if start < 1:
            cstart = 1
            k = bisect_right(runs, 0) if runs else 0
            start = cstart + lead + (cum[k - 1] if k else 0)
        else:
            cstart = c.rfind(" ", 0, min(start, last)) + 1
            size = c.find(" ", cstart) - cstart
            offset = start - cstart
            if offset >= size:
                cstart += size + 1
                offset = 0
            if cstart < last:
                k = bisect_right(runs, cstart - 1) if runs else 0
                start = cstart + lead + (cum[k - 1] if k else 0) + offset
            else:
                start = len(self.pre)
        # the end: inside a word (one past it), else the end of the word before
        q = end - 1
        if q < 1:
            return start, 0
        cstart = c.rfind(" ", 0, min(q, last)) + 1
        size = c.find(" ", cstart) - cstart
        k = bisect_right(runs, cstart - 1) if runs else 0
        base = cstart + lead + (cum[k - 1] if k else 0)
        offset = q - cstart
        return start, base + offset + 1 if offset < size else base + size


@dataclass(slots=True)
class NormalizedText:
    """The folded text used for matching and the way back to the original offsets."""

    original: str
    text: str
    shifts: list[_Shift | _CollapseShift]
    _words: list[str] | None = None  # split once, shared by language vote and SMS expansion

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `text` to the original string."""
        s, e = start, end
        for shift in reversed(self.shifts):
            s, e = shift.span(s, e)
        original = self.original
        n = len(original)
        # s = min(max(s, 0), n), e = min(max(e, s), n): comparisons cost less than calls
        s = 0 if s < 0 else n if s > n else s
        e = s if e < s else n if e > n else e
        # Trim the spaces that stand for word boundaries (a word's own ends: nothing to trim).
        if s < e and original[s].isspace():
            while s < e and not original[s].strip():
                s += 1
        if e > s and original[e - 1].isspace():
            while e > s and not original[e - 1].strip():
                e -= 1
        return s, e

    def words(self) -> list[str]:
        """The normalised words (computed once)."""
        if self._words is None:
            self._words = self.text.split()
        return self._words


def _slow_fold(text: str) -> tuple[str, _Shift | None]:
    edits = ((m.start(), m.end(), _fold_char(m.group())) for m in _SLOW_RE.finditer(text))
    return _rewrite(text, edits)


def _deleet_token(token: str) -> str:
    if _NOT_LEET_RE.fullmatch(token):
        return token
    core = token.strip("!|")
    letters = sum(c.isalpha() for c in core)
    leets = sum(c in _LEET for c in core)
    if not leets or letters < 2 or letters < leets:
        return token
    i = token.index(core) if core else 0
    return token[:i] + core.translate(_LEET_TABLE) + token[i + len(core) :]


def _deleet(t: str) -> str:
    # After folding, words are delimited by spaces: expand each hint to its word.
    edits: list[tuple[int, int, str]] = []
    last_end = -1
    for m in _LEET_CHARS_RE.finditer(t):
        if m.start() < last_end:
            continue
        start = t.rfind(" ", 0, m.start()) + 1
        end = t.find(" ", m.end())
        end = len(t) if end < 0 else end
        token = t[start:end]
        if "*" in token or "#" in token or "+" in token:  # masks are word boundaries here
            new = "".join(_deleet_token(p) for p in _MASK_SPLIT_RE.split(token))
        else:
            new = _deleet_token(token)
        if new != token:
            edits.append((start, end, new))
        last_end = end
    return _rewrite(t, edits)[0]  # same length: no shift to record


def _spaced_edits(nt: NormalizedText) -> Iterable[tuple[int, int, str]]:
    """Join runs of single letters; an elided letter ("f e m m e s n'ont") stays apart."""
    elided = "'" in nt.original or "\u2019" in nt.original
    for m in _SPACED_RE.finditer(nt.text):
        start, end = m.span()
        if elided:
            s, _ = nt.original_span(end - 1, end)
            if nt.original[s + 1 : s + 2] in ("'", "\u2019"):
                end -= 2  # the run ends before the elided letter
                if end - start < 5:  # fewer than three letters left
                    continue
        yield start, end, nt.text[start:end].replace(" ", "")


def _unmask(t: str, unmask: Callable[[str], str | None]) -> tuple[str, _Shift | None]:
    edits = []
    for m in _MASKED_RE.finditer(t):
        word = unmask(m.group())
        if word is not None:
            edits.append((m.start(), m.end(), word))
    new, shift = _rewrite(t, edits)
    if (
        shift is not None and len(new) == len(t) and all(e - s == len(w) for s, e, w in edits)
    ):  # one letter per mask: no offset moves
        shift = None
    return new, shift


def normalize(text: str, unmask: Callable[[str], str | None] | None = None) -> NormalizedText:
    """Normalise a mention (or a lexicon term) for matching; see the module docstring."""
    t = text
    shifts: list[_Shift | _CollapseShift] = []
    if _SLOW_RE.search(t):
        t, shift = _slow_fold(t)
        if shift is not None:
            shifts.append(shift)
    if "@" in t or "http" in t or "www." in t:
        t = _MASK_RE.sub(lambda m: " " * len(m.group()), t)
    masked = (
        unmask is not None
        and ("*" in t or "#" in t or "+" in t)
        and _MASK_HINT_RE.search(t) is not None
    )
    if not t.isascii():
        t = _NON_ASCII_RE.sub(_fold_non_ascii, t)
    if t.isascii():
        table = _ASCII_FOLD_BYTES_KEEP if masked else _ASCII_FOLD_BYTES
        t = t.encode("ascii").translate(table).decode("ascii")
    else:  # emoji and scripts beyond the fold table remain
        t = t.lower().translate(_ASCII_FOLD_KEEP if masked else _ASCII_FOLD)
    if _LEET_CHARS_RE.search(t):
        t = _deleet(t)
    if masked and unmask is not None:
        t, shift = _unmask(t, unmask)
        if shift is not None:
            shifts.append(shift)
    if _STRAY_RE.search(t):
        t = _STRAY_RE.sub(" ", t)
    words = t.split()
    collapsed = " " + " ".join(words) + " "
    shifts.append(_CollapseShift(t, collapsed))
    t = collapsed
    if _SPACED_HINT.search(t):
        edits = _spaced_edits(NormalizedText(text, t, shifts))
        t, shift = _rewrite(t, edits)
        if shift is not None:
            shifts.append(shift)
    if _ELONGATED_HINT.search(t):
        edits = ((m.start(), m.end(), m.group(1)) for m in _ELONGATED_RE.finditer(t))
        t, shift = _rewrite(t, edits)
        if shift is not None:
            shifts.append(shift)
    # The words split above stay valid unless a rewrite changed the text since.
    return NormalizedText(text, t, shifts, words if t is collapsed else None)


def squeeze(term: str) -> str:
    """Collapse doubled letters ("connard" → "conard"), the form elongations reduce to."""
    return _DOUBLES_RE.sub(r"\1", term)


SmsExpander = Callable[[NormalizedText], NormalizedText]


def sms_expander(table: Mapping[str, str]) -> SmsExpander:
    """Build a function that expands SMS spellings (normalised keys → normalised expansions)."""
    if not table:
        return lambda nt: nt
    alternation = "|".join(sorted((re.escape(k) for k in table), key=len, reverse=True))
    pattern = re.compile(rf"(?<= )(?:{alternation})(?= )")
    # A set test on the words is far cheaper than the regex: run it only when needed.
    first_words = frozenset(k.split()[0] for k in table)

    def expand(nt: NormalizedText) -> NormalizedText:
        if first_words.isdisjoint(nt.words()):
            return nt
        edits = ((m.start(), m.end(), table[m.group()]) for m in pattern.finditer(nt.text))
        new, shift = _rewrite(nt.text, edits)
        shifts = [*nt.shifts, shift] if shift else nt.shifts
        return NormalizedText(nt.original, new, shifts)

    return expand


def normalize_term(term: str, expand: SmsExpander | None = None) -> str:
    """Normalised form of a lexicon term or keyword, padded like mention text."""
    nt = normalize(term)
    if expand is not None:
        nt = expand(nt)
    return nt.text
