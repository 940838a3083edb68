"""An accent slip that makes another word: after a determiner, a word that cannot agree with it
and whose accented form can ("le marche de Noël" → "marché", "au cote de" → "côté").

Grammalecte sees the disagreement ("le" + a feminine noun) but offers no correction, or a
change of the determiner; the likeliest slip is the accent the writer left out. The finding
replaces Grammalecte's on the same word (french.PREFERRED_RULES) only when exactly that one
accented form, a noun or an adjective agreeing with the determiner, is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import Token, _finding
from canned_replies.grammalecte_engine import morphs
from canned_replies.homophones import run_rules

_ACCENTED = {"a": "àâ", "e": "éèê", "i": "îï", "o": "ô", "u": "ûù"}
# determiner → the gender and number it asks for
_DETERMINERS = {
    "le": "m:s", "un": "m:s", "au": "m:s", "du": "m:s", "ce": "m:s", "cet": "m:s",
    "mon": "m:s", "ton": "m:s", "son": "m:s",
    "la": "f:s", "une": "f:s", "cette": "f:s", "ma": "f:s", "ta": "f:s", "sa": "f:s",
}  # fmt: skip


def _agrees(word: str, wanted: str) -> bool:
    gender, number = wanted.split(":")
    pattern = rf"/:N(?::A)?:(?:{gender}|e):(?:{number}|i)(?:[:/;]|$)"
    return any(re.search(pattern, m) for m in morphs(word))


def accent_variants(word: str) -> set[str]:
    """The word with one unaccented vowel accented ("marche" → "marché", "màrche"…)."""
    out = set()
    for k, letter in enumerate(word):
        for accented in _ACCENTED.get(letter, ""):
            out.add(word[:k] + accented + word[k + 1 :])
    return out


def rule_accent_after_determiner(sentence: list[Token]) -> Iterator[Finding]:
    """ "le marche" → "marché": the determiner's gender and number decide."""
    for i, token in enumerate(sentence[:-1]):
        wanted = _DETERMINERS.get(token.low)
        word = sentence[i + 1]
        if wanted is None or word.kind != "word" or not word.text.islower():
            continue
        if not word.morphs or word.has(r"/:[GW]") or _agrees(word.text, wanted):
            continue
        if not word.has(r"/:N"):
            continue  # "le marche" (a noun of the other gender); "la mange": not an accent
        fixes = [v for v in accent_variants(word.text) if _agrees(v, wanted)]
        if len(fixes) != 1:
            continue
        yield _finding(
            word,
            f"« {token.text} {word.text} » : le mot accentué « {fixes[0]} » s’accorde avec "
            f"« {token.text} ».",
            fixes,
            "accent_accord",
        )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, [rule_accent_after_determiner])
