"""How a French word sounds, roughly: writers misspell by ear ("occasioné", "éronée",
"rapeller"), so a correction that sounds like the typo is the likely one, even when a word
one keystroke away ("occasion", "érodée") is more frequent."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Word endings heard as "é" (participle, infinitive, 2nd person plural) against a mute "e".
# "èe" is no French ending: an "ée" with the wrong accent ("demandèe"); nor is a final "ê",
# "ês" or "êe" ("traitê", "âgês", "indiquêe": the circumflex key pressed for "é", step 43).
# A final "ès" is an open "è" ("mès" for "mais"), not one of these.
_CLOSED_E_END = re.compile(r"(?:é|ée|és|ées|er|ez|èe|èes|ê|ês|êe|êes)$")
# What a written "é" ending marks beyond its sound: the feminine "e" and the plural "s" a
# writer typed are meant ("modérrées" is "modérées", not "modéré", though both sound "é").
_ENDING_MARKS = {
    "é": "", "er": "", "ez": "", "ée": "f", "és": "p", "ées": "fp", "èe": "f", "èes": "fp",
    "ê": "", "ês": "p", "êe": "f", "êes": "fp",
}  # fmt: skip
# Letters before which "c" is soft, accented or not ("marcé" sounds "marsé", not "marqué").
_SOFTENING = "eiyéèêëîï"
_SPELLINGS = [
    (re.compile(r"ç"), "s"),
    (re.compile(r"eau|au"), "o"),
    (re.compile(r"ph"), "f"),
    (re.compile(rf"qu|ck|c(?![{_SOFTENING}h])"), "k"),
    (re.compile(rf"c(?=[{_SOFTENING}])"), "s"),
    (re.compile(r"(?<![cps])h"), ""),
    (re.compile(r"y"), "i"),
    (re.compile(r"[aeé]i(?![aeiouy])|[èêë]"), "e"),
    (re.compile(r"(?<=[aeiouy])s(?=[aeiouy])"), "z"),
    (re.compile(r"[ae]([nm])(?![aeiouynm])"), r"a\1"),  # "dens" / "dans", "temps" / "tamps"
    (re.compile(r"([^\W\d_])\1+"), r"\1"),
]

# A final "d" after a vowel, "r" or "n" is as silent as a "t" ("froid"/"froit", "bavard"/
# "bavart", "grand"/"grant"): one sound, whichever was typed.
_SILENT_FINAL_D = re.compile(r"(?<=[aeiouyéèêrn])d(s?)$")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def sound(word: str) -> str:
    """A rough phonetic key: doubled letters and accents inside the word dropped, spellings
    of one sound merged ("erronée", "éronée" → "eronE"). Mute endings are kept: they carry
    number and gender ("indésirable" is not "indésirables", "modérées" is not "modéré")."""
    low = word.lower().replace("œ", "e").replace("æ", "e")
    closed = _CLOSED_E_END.search(low)
    if closed is None:
        low = _SILENT_FINAL_D.sub(r"t\1", low)
    else:
        low = low[: closed.start()]
        if low.endswith("c"):
            low = low[:-1] + "ç"  # "marcé", "lancer": the ending softens it
    for pattern, replacement in _SPELLINGS:
        low = pattern.sub(replacement, low)
    return _plain(low) + ("E" + _ENDING_MARKS[closed.group()] if closed is not None else "")


def sounds_alike_first(
    word: str,
    suggestions: list[str],
    closeness: Callable[[str, str], int],
    frequency: Callable[[str], float],
    fits: Callable[[str], bool] | None = None,
    floor: float = 2.0,
) -> list[str]:
    """Put first the correction within two edits that sounds like the typo, is in use
    (Zipf ≥ floor) and fits the word before; the nearest, then most frequent, if several."""
    key = sound(word)
    alike = [
        s
        for s in suggestions
        if " " not in s
        and closeness(word, s) <= 2
        and sound(s) == key
        and frequency(s.lower()) >= floor
        and (fits is None or fits(s) or not any(fits(o) for o in suggestions))
    ]
    if not alike:
        return suggestions
    best = min(
        alike,
        key=lambda s: (
            closeness(word, s),
            s[:1].isupper() and not word[:1].isupper(),
            -frequency(s.lower()),
        ),
    )
    return [best, *[s for s in suggestions if s != best]]
