"""How likely a writer typed one word for another: the cost of each slip by its kind.

A typo's likely correction is a frequent word reached by a likely slip. Slips are not equally
likely: an accent or a doubled letter missed ("anées" for "années"), a neighbouring key on an
AZERTY keyboard ("lieh" for "lieu") or two letters swapped are common; an unrelated letter
replaced or added is rarer; a spelling that sounds like the word ("fèts" for "faits") is
written by ear, one slip however many letters it changes. The suggestions are ordered by that
cost against the word's frequency (a noisy channel: how often the word is written, times how
often this slip is made).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from canned_replies.sounds import sound

# A French AZERTY keyboard: "é", "è", "ç" and "à" have their own keys on the number row and
# "ù" is next to "m" ("administreé" is "administrée" swapped, not "administrer" with a
# neighbouring key); circumflexes and diaereses are typed on the letter's own key.
_ROWS = ("&é\"'(-è_çà", "azertyuiop", "qsdfghjklmù", "wxcvbn")
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿ")
_KEY_AT = {key: (r, i) for r, row in enumerate(_ROWS) for i, key in enumerate(row)}
_OWN_KEY = frozenset("éèçàù")

# Costs in edits: a missed accent or doubled letter is about twice as likely as an unrelated
# letter; a neighbouring key or a swap in between.
ACCENT = 0.5
DOUBLED = 0.5
SPURIOUS_ACCENT = 0.75
NEIGHBOUR_KEY = 0.75
SWAP = 0.75
OTHER = 1.0
# An apostrophe left out keeps every letter and the sound ("lhoraire", "jai", "cest").
APOSTROPHE = 0.25
# A spelling of the same sound ("fèts", "riskes", "aprais") is one slip written by ear.
BY_EAR = 0.75
# One edit is worth this much frequency (Zipf: +1 = ten times more written): a correction two
# unrelated edits away must be written 10^(2 × WEIGHT) times more often to come first.
WEIGHT = 2.5
# What a name costs for a lowercase word ("éudes" → "études", not "Eudes"), and a word the
# context does not admit ("de taile": not an infinitive after all).
NAME = 3.0
# A word typed without any accent ("deroulee", "alles"): the same letters with accents are
# what was meant (the writer does not type accents), before any other fix.
ACCENTS_ONLY = 3.0
# Writers misspell by ear ("occasioné" for "occasionné", not "occasion"): a correction that
# sounds like the typo is worth ten times the frequency.
SOUNDS_ALIKE = 1.0
MISFIT = 2.5
# A form the grammar further back rules out (the subject's gender after "être", the person of
# a subject before object pronouns: suggestion_agreement) is a surer misfit than what the
# word before asks.
CONTEXT_MISFIT = 3.5


def _base(letter: str) -> str:
    decomposed = unicodedata.normalize("NFD", letter)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn") or letter


def _plain(word: str) -> str:
    return "".join(_base(c) for c in word)


def _key(letter: str) -> str:
    return letter if letter in _OWN_KEY else _base(letter)


def _neighbours(a: str, b: str) -> bool:
    pa, pb = _KEY_AT.get(_key(a)), _KEY_AT.get(_key(b))
    if pa is None or pb is None:
        return False
    return abs(pa[0] - pb[0]) <= 1 and abs(pa[1] - pb[1]) <= 1


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if _base(a) == _base(b):
        # An accent typed where the word has none is rarer than one missed or the wrong one
        # ("âgès": "âgés" before "âges").
        return SPURIOUS_ACCENT if b == _base(b) else ACCENT
    return NEIGHBOUR_KEY if _neighbours(a, b) else OTHER


def _indel(text: str, i: int) -> float:
    """Cost of the letter text[i] being missed or typed in excess: cheap when it doubles a
    neighbour ("taile"/"taille", "chuchotté"/"chuchoté")."""
    letter = text[i]
    if letter in "'’":
        return APOSTROPHE
    if letter in _VOWELS:
        return OTHER  # French doubles consonants; "ee" is "ée" without its accent
    doubled = (i > 0 and text[i - 1] == letter) or (i + 1 < len(text) and text[i + 1] == letter)
    return DOUBLED if doubled else OTHER


def slip_cost(typo: str, word: str) -> float:
    """Weighted Damerau-Levenshtein cost of typing `typo` for `word`, case-insensitive."""
    a, b = typo.lower(), word.lower()
    if a == b:
        return 0.0
    rows = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        rows[i][0] = rows[i - 1][0] + _indel(a, i - 1)
    for j in range(1, len(b) + 1):
        rows[0][j] = rows[0][j - 1] + _indel(b, j - 1)
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            best = min(
                rows[i - 1][j] + _indel(a, i - 1),  # a letter typed in excess
                rows[i][j - 1] + _indel(b, j - 1),  # a letter missed
                rows[i - 1][j - 1] + _substitution(a[i - 1], b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, rows[i - 2][j - 2] + SWAP)
            rows[i][j] = best
    cost = rows[-1][-1]
    if cost > BY_EAR and (sound(a) == sound(b) or _silent(a, b)):
        return BY_EAR
    if cost > OTHER and _same_ending_heard(a, b):
        # a respelling of several letters; one letter changed keeps its keystroke cost (which
        # of "voudrais" and "voudrai" a "je voudrait" meant is not the channel's to tell)
        return BY_EAR
    return cost


def _silent(a: str, b: str) -> bool:
    """A final consonant not heard left out ("troi" for "trois", "souven" for "souvent",
    "pri" for "pris"): written by ear."""
    return len(a) >= 2 and b[:-1] == a and b[-1] in "stxdzp" and a[-1] in "aeiouéèêûônr"


# Verb and participle endings heard as "é" or "è", which writers by ear spell for one another
# ("pourré" for "pourrait", "avet" for "avait", "commencet" for "commencé"): one slip.
HEARD_E = re.compile(r"(?:aient|ais|ait|ai|ées|ée|és|é|er|ez|et|ès|è)$")


# What the respelt ending stands for: a verb's or participle's, not a noun's "-et" ("cliquée"
# is "cliqué", not "cliquet").
_MEANT_E = frozenset({"é", "ée", "és", "ées", "er", "ez", "ai", "ais", "ait", "aient"})


def _same_ending_heard(a: str, b: str) -> bool:
    """The same stem and two of these endings, both with a final "s" or neither: a plural
    or person mark typed is meant ("comparès" is "comparés", not "comparé")."""
    ea, eb = HEARD_E.search(a), HEARD_E.search(b)
    return (
        ea is not None
        and eb is not None
        and eb.group() in _MEANT_E
        and ea.start() >= 2
        and a[: ea.start()] == b[: eb.start()]
        and a.endswith("s") == b.endswith("s")
    )


# Two words side by side are written about as often as their frequencies multiplied, times
# ten for words that go together: Zipf(a b) ≈ Zipf(a) + Zipf(b) - 8 ("comme un" 5.6,
# "abolition site" 0.8; a frequency list gives a phrase its rarest word's frequency, 3.9).
_PHRASE = 8.0


def _written(candidate: str, frequency: Callable[[str], float]) -> float:
    words = candidate.split()
    if len(words) < 2:
        return frequency(candidate)
    return sum(frequency(w) for w in words) - _PHRASE * (len(words) - 1)


def _after_elision(candidate: str) -> str:
    """The word an elided candidate puts in the slot ("s'appelle" after "il": "appelle")."""
    head, apostrophe, rest = candidate.replace("’", "'").partition("'")
    return rest if apostrophe and rest and " " not in head else candidate


def by_likelihood(
    typo: str,
    suggestions: list[str],
    frequency: Callable[[str], float],
    fits: Callable[[str], bool] | None = None,
    misfit: float = MISFIT,
) -> list[str]:
    """Order corrections by how likely the writer meant each: frequent words reached by
    likely slips first, `misfit` added to those `fits` rules out. Multi-word suggestions
    ("peut être") keep their cost of one edit."""
    lowercase = not typo[:1].isupper()
    any_fits = fits is not None and any(fits(_after_elision(s)) for s in suggestions)
    heard = sound(typo)
    accentless = typo.isascii()

    def score(candidate: str) -> tuple[float, str]:
        cost = slip_cost(typo, candidate)
        if " " in candidate or "-" in candidate:
            cost = min(cost, OTHER)
        value = WEIGHT * min(cost, 3.0) - _written(candidate.lower(), frequency)
        if accentless and _plain(candidate.lower()) == typo.lower():
            # Which accents were meant, the sound of an unaccented word cannot tell.
            value -= ACCENTS_ONLY
        elif " " not in candidate and sound(candidate) == heard:
            value -= SOUNDS_ALIKE
        if lowercase and candidate[:1].isupper():
            value += NAME
        if any_fits and fits is not None and not fits(_after_elision(candidate)):
            value += misfit
        return (value, candidate)

    return sorted(dict.fromkeys(suggestions), key=score)
