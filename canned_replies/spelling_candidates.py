"""Spelling candidates Grammalecte's suggester misses: every dictionary word one keystroke
away from an unknown word (a letter dropped, added or replaced, two letters swapped)."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from canned_replies.grammalecte_engine import is_valid_word, morphs, suggest_spelling
from canned_replies.typo_channel import HEARD_E, WEIGHT, slip_cost
from canned_replies.unknown_words import closeness, zipf

_LETTERS = "abcdefghijklmnopqrstuvwxyzéèêàâîôûç"


def deletions(word: str) -> list[str]:
    """Words one letter shorter or longer that the dictionary knows ("dession" → "dessin",
    "maldie" → "maladie"): a key pressed by mistake or missed, which Grammalecte's
    suggestions sometimes lack."""
    if len(word) < 4 or not word.isalpha() or not word.islower():
        return []
    found = {word[:i] + word[i + 1 :] for i in range(len(word))}
    found |= {word[:i] + c + word[i:] for i in range(1, len(word) + 1) for c in _LETTERS}
    return sorted(w for w in found if is_valid_word(w))


def replacements(word: str) -> list[str]:
    """Words one wrong key ("granfe" → "grande", "commin" → "commun") or two swapped letters
    ("réopnse" → "réponse") away: Grammalecte's suggester often misses these (injected slips
    in common words: benchmarks/bench_proofread_synthetic.py --kinds typo)."""
    if len(word) < 4 or not word.isalpha() or not word.islower():
        return []
    found = {word[:i] + c + word[i + 1 :] for i in range(1, len(word)) for c in _LETTERS}
    found |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    found.discard(word)
    return sorted(w for w in found if is_valid_word(w))


# Spellings of one sound, as a writer by ear swaps them: (written, meant).
_BY_EAR = (
    ("è", "ai"), ("é", "ai"), ("ê", "ai"), ("ai", "è"), ("ai", "é"), ("ai", "ê"), ("è", "ê"),
    ("ê", "è"), ("é", "è"), ("è", "é"), ("o", "au"), ("o", "eau"), ("o", "ô"), ("au", "o"),
    ("au", "eau"), ("f", "ph"), ("k", "qu"), ("k", "c"), ("c", "qu"), ("qu", "c"), ("s", "c"),
    ("c", "ç"), ("s", "ç"), ("an", "en"), ("en", "an"), ("am", "em"), ("em", "am"),
    ("in", "ain"), ("in", "ein"), ("ain", "in"), ("i", "y"), ("y", "i"), ("sion", "tion"),
    ("tion", "sion"), ("c", "ch"), ("t", "th"), ("r", "rh"), ("a", "â"), ("i", "î"), ("u", "û"),
)  # fmt: skip


def by_ear(word: str) -> list[str]:
    """Dictionary words spelled with another spelling of one of the word's sounds ("fèts" →
    "faits", "riskes" → "risques", "cez" → "chez"): one slip for a writer who spells by ear,
    but two or more edits, so neither Grammalecte nor the keystroke candidates find them."""
    if len(word) < 3 or not word.isalpha() or not word.islower():
        return []
    found = set()
    for written, meant in _BY_EAR:
        start = word.find(written)
        while start >= 0:
            found.add(word[:start] + meant + word[start + len(written) :])
            start = word.find(written, start + 1)
    found.discard(word)
    return sorted(w for w in found if is_valid_word(w))


_E_FORMS = ("e", "é", "è", "ê")
_OTHER_ACCENTS = {"a": "àâ", "i": "îï", "o": "ô", "u": "ûù", "c": "ç"}


def accented(word: str) -> list[str]:
    """Dictionary words with the same letters and accents added ("remunere" → "rémunéré",
    "designee" → "désignée"): a writer who types no accent, which Grammalecte's suggester
    misses once two or three letters need one."""
    if not word.isascii() or not word.isalpha() or not word.islower() or len(word) < 3:
        return []
    es = [i for i, c in enumerate(word) if c == "e"]
    if not es or len(es) > 4:
        return []
    found = set()
    for forms in product(_E_FORMS, repeat=len(es)):
        letters = list(word)
        for i, form in zip(es, forms, strict=True):
            letters[i] = form
        found.add("".join(letters))
        for i, c in enumerate(word):  # and one other letter with its accent ("flanerie")
            for accent in _OTHER_ACCENTS.get(c, ""):
                found.add("".join(letters[:i]) + accent + "".join(letters[i + 1 :]))
    found.discard(word)
    return sorted(w for w in found if is_valid_word(w))


# Elided words and what may follow each: a verb after the subject or object pronoun and
# "ne" ("jai" → "j'ai", "sappelle" → "s'appelle"), a form of "être" after "c'"; a noun, an
# adjective, a verb or a name after "l'"; anything after "d'" and "qu'".
ELISIONS = (
    ("qu", r""), ("j", r":V|^>(?:y|en)/"), ("n", r":V|^>(?:y|en)/"), ("m", r":V"),
    ("t", r":V"), ("s", r":V"), ("c", r"^>être/"), ("l", r":[NAVM]"), ("d", r""),
)  # fmt: skip
ELIDED_MARGIN = 1.0
VOWEL_OR_H = re.compile(r"[aeiouyhéèêëàâîïôûœ]")


def elided(word: str) -> list[str]:
    """The elision written without its apostrophe ("lhoraire" → "l'horaire", "jai" → "j'ai",
    "dhabitude" → "d'habitude"), and a silent "h" left out at the start ("ésitez" →
    "hésitez", the word Grammalecte reads after "n'"): slips of the same sound that neither
    Grammalecte's suggester nor the keystroke candidates find."""
    if not word.isalpha() or not word.islower() or len(word) < 3:
        return []
    # Written ten times more than the word typed: a name or a brand in lowercase ("lego",
    # "danone") is not "l'ego", "d'anone"; "jai", "jaime" are slips for "j'ai", "j'aime".
    floor = zipf(word) + ELIDED_MARGIN
    found = []
    for prefix, asks in ELISIONS:
        rest = word[len(prefix) :]
        if not word.startswith(prefix) or len(rest) < 2 or not VOWEL_OR_H.match(rest):
            continue
        if is_valid_word(rest) and any(re.search(asks, m) for m in morphs(rest)):
            found.append(f"{prefix}'{rest}")
    if VOWEL_OR_H.match(word) and word[0] not in "hy" and is_valid_word("h" + word):
        found.append("h" + word)
    return [c for c in found if zipf(c) >= floor]


# A keystroke candidate one edit away whose slip, weighed against how often it is written
# (typo_channel: WEIGHT × cost − Zipf), scores this low is what the writer meant whatever
# Grammalecte's suggester adds: a doubled letter missed in a word of Zipf ≥ 2.25, a
# neighbouring key at ≥ 2.9, any letter at ≥ 3.5 (measured: see _confident).
CONFIDENT_SCORE = -1.0
CONFIDENT_MIN_LENGTH = 6


def _confident(word: str, near: list[str]) -> bool:
    """Whether a keystroke candidate is common and one likely slip away ("disposotion" →
    "disposition": a neighbouring key; "rapellera" → "rappellera"), so no candidate
    Grammalecte's suggester could add would rank before it. That suggester explores every
    two-edit path through the dictionary: 5 ms for a short word, up to 60 ms for a long one
    ("socciaux")."""
    return len(word) >= CONFIDENT_MIN_LENGTH and any(
        closeness(word, c) == 1 and WEIGHT * slip_cost(word, c) - zipf(c.lower()) <= CONFIDENT_SCORE
        for c in near
    )


def candidates(word: str) -> list[str]:
    """Spelling candidates: every word one keystroke away, spelled by ear or with accents
    added (about 2 ms of lookups), and Grammalecte's unless one of those is confidently the
    word meant. Grammalecte's list often holds a rare word one edit away but not the common
    one ("duex": "due", not "deux"; "notd": "note", not "nord"); frequency then ranks.
    Injected slips on the tuning part: first suggestion right 85.9 → see the README."""
    near = [*_keystrokes(word), *by_ear(word), *accented(word), *elided(word)]
    if _confident(word, near):
        return near
    return [*suggest_spelling(word), *near]


# The console proofreads a reply as it is typed: the same unknown word comes back on every
# check until it is fixed, and the words one keystroke away (hundreds of dictionary lookups,
# the most of this module's time) depend on the word alone. ~1 kB a word. (Not elided():
# it reads morphologies, whose cache must see the same calls to give the same answers.)
@lru_cache(maxsize=2_000)
def _keystrokes(word: str) -> tuple[str, ...]:
    return (*deletions(word), *replacements(word))


# Spellings of a sound the candidates above do not try, for ORDERING a blocking typo's
# suggestions only (more_candidates): "gu" before e/i ("gerre" → "guerre"), "ss" for "ç" or
# a single "s" between vowels ("paçée" → "passée"), "s" for "z" ("caractérizant"), "g" for
# "j" before e ("chanjes" → "changes").
_BY_EAR_MORE = (
    (r"g(?=[eiéèê])", "gu"), (r"ç", "ss"), (r"(?<=[aeiouéèê])s(?=[aeiouéèê])", "ss"),
    (r"z", "s"), (r"j(?=[eéèê])", "g"),
)  # fmt: skip
# The endings heard as "é" or "è" (typo_channel.HEARD_E), each written for the others.
_E_ENDINGS = ("é", "ée", "és", "ées", "er", "ez", "ai", "ais", "ait", "aient", "et")


def more_candidates(word: str) -> list[str]:
    """Dictionary words for ordering a typo already judged blocking, never for judging it:
    a three-letter word's keystroke neighbours, a letter missed inside, two swapped or another
    key past the first ("ets" → "est", "dse" → "des", "cur" → "cour"; Grammalecte's suggester
    gives the shorter words and most final letters; as candidates they made codes and foreign
    words block, step 23), the other
    spellings of an ending heard as "é" ("avet" → "avait", "pourré" → "pourrait") and the
    sound spellings above."""
    if not word.isalpha() or not word.islower():
        return []
    found: set[str] = set()
    if len(word) == 3:
        found |= {word[:i] + c + word[i:] for i in range(1, 3) for c in _LETTERS}
        found |= {word[:i] + c + word[i + 1 :] for i in range(1, 3) for c in _LETTERS}
        found |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(2)}
    ending = HEARD_E.search(word)
    if ending is not None and ending.start() >= 2:
        found |= {word[: ending.start()] + e for e in _E_ENDINGS}
    for pattern, meant in _BY_EAR_MORE:
        for m in re.finditer(pattern, word):
            found.add(word[: m.start()] + meant + word[m.end() :])
    found.discard(word)
    return sorted(w for w in found if len(w) > 1 and is_valid_word(w))
