"""A first-group participle in -é written for the infinitive in -er it sounds like (issue 19,
-er/-é/-ez), where only an infinitive fits (Grammalecte reads it after a finite "faut",
"peux", "veut"…, infinitive_after_verb after a few more):

- after "pour", "sans", and before the infinitive's object ("pour passé un bon moment",
  "sans oublié vos clés") → "passer";
- after "de", "d'", before its object, when the word is no noun ("ça risque de gâché la
  soirée"; "un verre de rosé la veille" is the noun);
- after a modal in the infinitive, not after a determiner ("il va falloir terminé les
  verrines", "pouvoir envoyé", "le pouvoir donné aux élus" is the noun) and after "censé"
  ("censée toujours poussé") whatever follows.

The object is a determiner or an object pronoun before a verb ("pour lui donné" is left: "lui"
may end a phrase). The suggestion is the participle's own infinitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import DETERMINERS, Token, _finding
from canned_replies.french_words import run_rules
from canned_replies.noun_phrases import plain

_BEFORE_OBJECT = {"pour", "sans"}
_MODAL_INFINITIVES = {"falloir", "pouvoir", "vouloir", "devoir", "aller", "savoir"}
_CENSE = {"censé", "censée", "censés", "censées"}
_ADVERBS = {"pas", "plus", "jamais", "toujours", "bien", "vraiment", "encore", "déjà", "vite",
            "tout", "rien", "trop", "mieux", "aussi", "d'abord", "absolument"}  # fmt: skip
_MESSAGE = "Après « {word} », un infinitif : « {fix} » (et non le participe)."


def _infinitive_of(token: Token) -> str | None:
    """The infinitive of a first-group masculine singular participle in -é ("passé" →
    "passer"), None for anything else."""
    if not plain(token) or not token.low.endswith("é"):
        return None
    for m in token.morphs:
        found = re.match(r">(\w+er)/:V1[^/]*:Q", m)
        if found and found.group(1)[:-2] + "é" == token.low:
            return found.group(1)
    return None


def _object_follows(sentence: list[Token], k: int) -> bool:
    return k < len(sentence) and sentence[k].low in DETERMINERS - {"leur"}


def rule_infinitive_for_e(sentence: list[Token]) -> Iterator[Finding]:
    for i, token in enumerate(sentence[1:], start=1):
        fix = _infinitive_of(token)
        if fix is None:
            continue
        k = i - 1
        while k > 0 and sentence[k].low in _ADVERBS:
            k -= 1
        before = sentence[k]
        if before.low in _BEFORE_OBJECT and k == i - 1:
            if not _object_follows(sentence, i + 1):
                continue
        elif before.low in {"de", "d'"} and k == i - 1:
            if token.has(r":N") or not _object_follows(sentence, i + 1):
                continue
        elif before.low in _MODAL_INFINITIVES:
            if k > 0 and (sentence[k - 1].low in DETERMINERS or sentence[k - 1].kind == "elided"):
                continue  # "le pouvoir donné", "l'aller passé…": the noun
        elif before.low not in _CENSE:
            continue
        yield _finding(token, _MESSAGE.format(word=before.text, fix=fix), [fix], "infinitif_e")


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, [rule_infinitive_for_e])
