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
Before step 1, a word cut off by a platform's truncation ("nous con…", "c'est vraiment n…":
a word of three letters or fewer glued to the one-character ellipsis "…" that precedes a link,
or ends a text of 100 characters or more, as a shared post's preview is cut; not a unit after
a number, "50 min…") is blanked, offsets unchanged: it is the start of an unknown word, not
the word it spells ("con" may be "contrôleurs"). A longer word keeps its reading ("quel
connard…" still counts), and so does a short message that trails off ("t'es con...", "t'es
con…"): people write insults so, platforms cut long posts.
Terms are normalised by the same function, so both sides always agree.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from playbooks.text_shifts import CollapseShift, Shift, rewrite

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
# A post cut off mid-word by its platform: a short last word glued to "…", before links or at
# the end of a long text (a unit after a number, "2h…", "50 min…", is whole).
_TRUNCATED_RE = re.compile(
    r"(?<!\w)(?<!\d\s)[^\W\d_]{1,3}(?=\u2026\s*(?:(?:https?://|www\.)\S*\s*)*$)"
)
_TRUNCATED_BEFORE_LINK_RE = re.compile(r"\u2026\s*(?:https?://|www\.)")
TRUNCATED_TEXT_LENGTH = 100
# A sentence's end inside a span: a full stop and the space after it both inside ("3.5",
# "c.o.n", a URL and a final "adieu." hold none). Not an ellipsis, a question or exclamation
# mark: in chats they pause one utterance ("t'es mort ? réponds", "je sais pas... bref"), and
# exceptions are written across them. An aside opened right after the stop glosses the
# sentence before ("je me tire une balle. (dans le pied …)"): no end there either.
_SENTENCE_END = re.compile(r"(?<![.\u2026])\.\s+(?![\s(])")
_FIRST_GROUP = operator.methodcaller("group", 1)  # r"\1" without re's template step per match


@dataclass(slots=True)
class NormalizedText:
    """The folded text used for matching and the way back to the original offsets."""

    original: str
    text: str
    shifts: list[Shift | CollapseShift]
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

    def original_spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`original_span` of each of these spans, each shift walked once for all of them."""
        for shift in reversed(self.shifts):
            spans = shift.spans(spans)
        original = self.original
        n = len(original)
        out: list[tuple[int, int]] = []
        for s, e in spans:
            s = 0 if s < 0 else n if s > n else s
            e = s if e < s else n if e > n else e
            if s < e and original[s].isspace():
                while s < e and not original[s].strip():
                    s += 1
            if e > s and original[e - 1].isspace():
                while e > s and not original[e - 1].strip():
                    e -= 1
            out.append((s, e))
        return out

    def spans_sentences(self, start: int, end: int) -> bool:
        """Whether a [start, end) span of `text` runs over a sentence's end as written (a full
        stop followed by a space or a line break; see `_SENTENCE_END`): normalisation turns it
        into a space, and a lexicon exception must not jump it (wave 31)."""
        s, e = self.original_span(start, end)
        return _SENTENCE_END.search(self.original, s, e) is not None

    def words(self) -> list[str]:
        """The normalised words (computed once)."""
        if self._words is None:
            self._words = self.text.split()
        return self._words


def _slow_fold(text: str) -> tuple[str, Shift | None]:
    edits = ((m.start(), m.end(), _fold_char(m.group())) for m in _SLOW_RE.finditer(text))
    return rewrite(text, edits)


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
        last_end = end
        if token.isascii() and token.lower() == token.upper():
            continue  # no letter ("!", "!!!", "2026"): nothing to read as leetspeak
        if "*" in token or "#" in token or "+" in token:  # masks are word boundaries here
            new = "".join(_deleet_token(p) for p in _MASK_SPLIT_RE.split(token))
        else:
            new = _deleet_token(token)
        if new != token:
            edits.append((start, end, new))
    return rewrite(t, edits)[0]  # same length: no shift to record


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


def _unmask(t: str, unmask: Callable[[str], str | None]) -> tuple[str, Shift | None]:
    edits = []
    for m in _MASKED_RE.finditer(t):
        word = unmask(m.group())
        if word is not None:
            edits.append((m.start(), m.end(), word))
    new, shift = rewrite(t, edits)
    if (
        shift is not None and len(new) == len(t) and all(e - s == len(w) for s, e, w in edits)
    ):  # one letter per mask: no offset moves
        shift = None
    return new, shift


def normalize(text: str, unmask: Callable[[str], str | None] | None = None) -> NormalizedText:
    """Normalise a mention (or a lexicon term) for matching; see the module docstring."""
    t = text
    shifts: list[Shift | CollapseShift] = []
    if (
        "\u2026" in t
        and (m := _TRUNCATED_RE.search(t)) is not None
        and (len(t) >= TRUNCATED_TEXT_LENGTH or _TRUNCATED_BEFORE_LINK_RE.search(t, m.end()))
    ):
        t = t[: m.start()] + " " * (m.end() - m.start()) + t[m.end() :]  # same offsets
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
    shifts.append(CollapseShift(t, collapsed))
    t = collapsed
    if _SPACED_HINT.search(t):
        edits = _spaced_edits(NormalizedText(text, t, shifts))
        t, shift = rewrite(t, edits)
        if shift is not None:
            shifts.append(shift)
    if _ELONGATED_HINT.search(t):
        edits = ((m.start(), m.end(), m.group(1)) for m in _ELONGATED_RE.finditer(t))
        t, shift = rewrite(t, edits)
        if shift is not None:
            shifts.append(shift)
    # The words split above stay valid unless a rewrite changed the text since.
    return NormalizedText(text, t, shifts, words if t is collapsed else None)


def squeeze(term: str) -> str:
    """Collapse doubled letters ("connard" → "conard"), the form elongations reduce to."""
    return _DOUBLES_RE.sub(_FIRST_GROUP, term)


SmsExpander = Callable[[NormalizedText], NormalizedText]


def sms_expander(table: Mapping[str, str]) -> SmsExpander:
    """Build a function that expands SMS spellings (normalised keys → normalised expansions)."""
    if not table:
        return lambda nt: nt
    # The longest key first, grouped by first letter (the order within a letter kept: the same
    # matches), and the space before a key matched rather than looked behind: the compiler
    # makes it a literal prefix, so the keys are tried only after a space, one letter's at most.
    by_first: dict[str, list[str]] = {}
    for key in sorted(table, key=len, reverse=True):
        by_first.setdefault(key[0], []).append(re.escape(key[1:]))
    alternation = "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in by_first.items())
    pattern = re.compile(rf" ({alternation})(?= )")
    # A set test on the words is far cheaper than the regex: run it only when needed.
    first_words = frozenset(k.split()[0] for k in table)

    def expand(nt: NormalizedText) -> NormalizedText:
        if first_words.isdisjoint(nt.words()):
            return nt
        edits = ((m.start(1), m.end(), table[m.group(1)]) for m in pattern.finditer(nt.text))
        new, shift = rewrite(nt.text, edits)
        shifts = [*nt.shifts, shift] if shift else nt.shifts
        return NormalizedText(nt.original, new, shifts)

    return expand


def normalize_term(term: str, expand: SmsExpander | None = None) -> str:
    """Normalised form of a lexicon term or keyword, padded like mention text."""
    nt = normalize(term)
    if expand is not None:
        nt = expand(nt)
    return nt.text
