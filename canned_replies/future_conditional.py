"""The conditional written for the future after "je" ("demain je finirais tôt" → "finirai",
"je validerais le devis dès que j'aurai l'accord" → "validerai"): the two first persons sound
alike, and the sentence says which is meant.

The rule fires only when the sentence sets the action in the future (a future-tense verb,
"demain", "prochain(e)", "bientôt") and nothing in it makes the conditional right: a condition
("si", "sinon", "au cas où", "à ta place"), politeness or wish ("je voudrais", "j'aimerais",
"je serais ravi", "je prendrais bien…", "volontiers"), or a report in the past ("il m'a dit que
je serais…", "je pensais que"), which keeps the conditional as the future of the past.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.auxiliary_forms import (
    AVOIR_IMPERFECT,
    AVOIR_PRESENT,
    ETRE_IMPERFECT,
    ETRE_PRESENT,
)
from canned_replies.findings import Finding
from canned_replies.french_rules import Token, _finding
from canned_replies.french_words import run_rules
from canned_replies.grammalecte_engine import morphs

_FUTURE_WORDS = {"demain", "après-demain", "prochain", "prochaine", "prochains", "prochaines",
                 "bientôt"}  # fmt: skip
_CONDITION_WORDS = {"si", "s'", "sinon", "cas", "place", "volontiers", "bien", "peut-être",
                    "idéalement", "franchement", "honnêtement", "aurais", "aurait", "pourvu",
                    "condition", "même", "sans"}  # fmt: skip
# Verbs whose conditional is politeness, wish or opinion ("je voudrais", "je dirais").
_POLITE_LEMMAS = {"vouloir", "aimer", "pouvoir", "devoir", "préférer", "souhaiter", "falloir",
                  "adorer", "dire", "penser", "croire", "valoir", "plaire", "savoir", "être",
                  "avoir", "conseiller", "suggérer", "proposer", "recommander", "parier",
                  "jurer", "tuer", "mourir", "rêver", "envier", "oser"}  # fmt: skip
# A compound past ("a dit", "était parti"), not a future perfect ("aurai relu").
_PAST_AUXILIARIES = AVOIR_PRESENT | AVOIR_IMPERFECT | ETRE_PRESENT | ETRE_IMPERFECT
_CLITICS = {"me", "m'", "te", "t'", "le", "la", "l'", "les", "lui", "leur", "y", "en", "vous",
            "nous", "ne", "n'", "se", "s'"}  # fmt: skip


def _reads(word: str, *tags: str) -> bool:
    return any(tag in m for m in morphs(word) for tag in tags)


def _future_set(sentence: list[Token], verb: Token) -> bool:
    for token in sentence:
        if token is verb or token.kind != "word":
            continue
        if token.low in _FUTURE_WORDS:
            return True
        if token.text.islower() and _reads(token.low, ":If") and not _reads(token.low, ":N"):
            return True
    return False


def _past_or_condition(sentence: list[Token]) -> bool:
    for k, token in enumerate(sentence):
        if token.low in _CONDITION_WORDS:
            return True
        past = token.kind == "word" and _reads(token.low, ":Iq", ":Is")
        if past and not _reads(token.low, ":N", ":A"):
            return True  # "je pensais que…", "il fallait…": the future of the past
        auxiliary = token.low in _PAST_AUXILIARIES and k + 1 < len(sentence)
        if auxiliary and _reads(sentence[k + 1].low, ":Q"):
            return True  # "il m'a dit que je serais…"
    return False


def rule_conditional_for_future(sentence: list[Token]) -> Iterator[Finding]:
    """ "demain je finirais plus tôt" → "finirai"."""
    for i, token in enumerate(sentence[:-1]):
        if token.low not in {"je", "j'"}:
            continue
        k = i + 1
        while k < len(sentence) - 1 and sentence[k].low in _CLITICS:
            k += 1
        verb = sentence[k]
        if verb.kind != "word" or not verb.text.islower() or not verb.low.endswith("rais"):
            continue
        readings = morphs(verb.low)
        if not readings or not all(":K" in m and ":1s" in m for m in readings):
            continue
        if {m.split("/")[0][1:] for m in readings} & _POLITE_LEMMAS:
            continue
        if not _future_set(sentence, verb) or _past_or_condition(sentence):
            continue
        future = verb.text[:-1]
        if not any(":If" in m and ":1s" in m for m in morphs(future)):
            continue
        yield _finding(
            verb,
            f"Conjugaison : l’action est à venir, le futur « {future} » (le conditionnel "
            "suppose une condition).",
            [future],
            "futur_conditionnel",
        )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, [rule_conditional_for_future])
