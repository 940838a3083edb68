"""Chat words and loanwords a French reply may hold that the dictionary lacks and that sit one
keystroke from a common word: "aprèm" (après-midi; "après" is one letter away), "devs"
("des"), "visio" ("vision"), "padel" ("panel"). The frequency rules of unknown_words cannot
tell them from slips: they are written about as often as common misspellings ("aprèm" 2.9,
"apparement" 3.5 on the Zipf scale) and the word next to them is common. So they are listed.

The list (`chat_words_fr.txt`, one word a line, written for this project under its licence)
was checked against wordfreq's French word list (data CC BY-SA 4.0, code Apache-2.0, shipped
offline in the package): its words from Zipf 2.9 up that Grammalecte's dictionary lacks and
that our spelling judgement blocked mid-sentence, and chat words written by hand and run
through the same judgement; of those that block, only chat clippings, spoken spellings and
loanwords in use in French (a sport: "padel") were kept. Left out: the misspellings of
common words among them ("meme" for "même", "reel" for "réel", "bein" for "bien", "comm"
for "comme", "pass" for "pas"), which stay slips.
A listed word is advice ("in_use"), never a block; each entry must be written in French text
(Zipf ≥ 1.5, tests/canned_replies/test_chat_words.py checks it), so the list cannot hold an
invented word. No sentence of the evaluation sets was read to make it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_PATH = Path(__file__).with_name("chat_words_fr.txt")


@cache
def words() -> frozenset[str]:
    """The listed words, lowercase ("#" starts a comment)."""
    lines = _PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.split("#", 1)[0].strip().lower() for line in lines if line.split("#", 1)[0].strip()
    )


def listed(word: str) -> bool:
    """True for a listed chat word or loanword or its plural, in any case ("Aprèm", "DEVS")."""
    lowered = word.lower()
    return lowered in words() or (lowered.endswith("s") and lowered[:-1] in words())


# "je" cut before a consonant, its apostrophe dropped too: "jvais", "jpeux", "jcrois", "jte".
# Standard French never elides "je" there, so the word cannot be a slip of the elided form;
# chat writes it as it is said. A vowel or "h" after the "j" ("jai", "jhabite") is the
# standard elision missing its apostrophe: a slip, left to the speller.
_JE_CUT = re.compile(r"j([bcdfgjklmnpqrstvwxzç][a-zàâäéèêëîïôöùûüç]+)")
_CLITICS = frozenset({"me", "te", "le", "la", "les", "lui", "leur", "ne", "y", "en"})


def elided_je(word: str) -> str | None:
    """The spoken "je" + verb a chat word writes in one ("jvais" → "je vais"), or None. The
    rest must be a first person singular form in the dictionary or an object pronoun."""
    match = _JE_CUT.fullmatch(word.lower())
    if match is None:
        return None
    rest = match.group(1)
    from canned_replies.grammalecte_engine import morphs  # French only; loaded by then

    if rest in _CLITICS or any(":V" in m and ":1s" in m for m in morphs(rest)):
        return f"je {rest}"
    return None
