"""French verb-form rules: -er/-é/-ez after auxiliaries, modals and prepositions, the polite
conditional ("je voudrais"). They stay quiet whenever the reading is in doubt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import (
    _CONJUGATED,
    AUXILIARIES,
    CLITICS,
    GROUP_ADVERBS,
    INFINITIVE_AFTER_DE,
    INFINITIVE_OPENERS,
    MODAL_LEMMAS,
    Token,
    _finding,
    _first_group_infinitive,
    _first_group_participle,
    _lemmas,
    _same_case,
    _skip,
)
from canned_replies.grammalecte_engine import engine


def rule_infinitive_after_preposition(sentence: list[Token]) -> Iterator[Finding]:
    """After à/de/pour a verb is in the infinitive ("à nous envoyez" → "envoyer")."""
    for i, token in enumerate(sentence):
        if token.low not in {"à", "de", "d'", "pour", "sans", "afin"}:
            continue
        k = i + 1
        with_clitic = False
        while k < len(sentence) and sentence[k].low in CLITICS - {"la", "l'", "leur", "ne", "n'"}:
            k += 1
            with_clitic = True
        if k >= len(sentence) or sentence[k].kind != "word" or sentence[k].text[:1].isupper():
            continue
        verb = sentence[k]
        if verb.has(r":Y") or (verb.has(r":[NA]") and not with_clitic):
            continue
        second_plural = verb.low.endswith("ez") and verb.only(r":V.*(?::Ip|:E).*:2p")
        participle = (
            with_clitic
            and re.search(r"é(?:e|s|es)?$", verb.low) is not None
            and verb.only(r":V1.*:Q")
        )
        if second_plural or participle:
            infinitives = sorted(_lemmas(verb, r":V"))
            yield _finding(
                verb,
                "Après une préposition, le verbe se met à l’infinitif.",
                infinitives,
                "infinitif_apres_preposition",
            )


def rule_participle_after_auxiliary(sentence: list[Token]) -> Iterator[Finding]:
    """After avoir/être, a past participle, not an infinitive ("n'est pas préciser")."""
    for i, token in enumerate(sentence):
        if token.low not in AUXILIARIES:
            continue
        prev = sentence[i - 1].low if i > 0 else ""
        # "c'est manger", "ce qui compte est gagner": an infinitive as the attribute.
        if prev in {"c'", "ce", "qui", "qu'"} or (i > 1 and sentence[i - 2].low in {"c'", "ce"}):
            continue
        k = _skip(sentence, i + 1, GROUP_ADVERBS)
        if k >= len(sentence) or not _first_group_infinitive(sentence[k]):
            continue
        verb = sentence[k]
        after = sentence[k + 1].low if k + 1 < len(sentence) else ""
        if verb.has(r":N") and after in {"de", "d'", "du", "des"}:
            continue  # "j'ai dîner de famille": a noun
        participle = engine().functions.suggVerbPpas(verb.text, ":m:s")
        if participle:
            yield _finding(
                verb,
                "Après « avoir » ou « être », le participe passé (-é), pas l’infinitif (-er).",
                [_same_case(verb.text, participle.split("|")[0])],
                "participe_apres_auxiliaire",
            )


def rule_infinitive_after_modal(sentence: list[Token]) -> Iterator[Finding]:
    """After "je vais", "vous pouvez", "pour", "merci de": an infinitive, not -é or -ez."""
    for i, token in enumerate(sentence):
        opener = token.low in INFINITIVE_OPENERS or (
            token.low in {"de", "d'"} and i > 0 and sentence[i - 1].low in INFINITIVE_AFTER_DE
        )
        modal = (
            token.kind == "word"
            and token.has(_CONJUGATED.pattern)
            and bool(_lemmas(token, _CONJUGATED.pattern) & MODAL_LEMMAS)
            and not token.has(r":N")
        )
        if not (opener or modal):
            continue
        if modal and token.has(r":Cc") and (i == 0 or sentence[i - 1].low not in {"je", "j'"}):
            continue  # "construit au XVe siècle puis remanié": the conjunction, not "je puis"
        k = _skip(sentence, i + 1, GROUP_ADVERBS | (CLITICS - {"le", "la", "l'", "leur"}))
        if k >= len(sentence):
            continue
        verb = sentence[k]
        second_plural = verb.low.endswith("ez") and verb.only(r":V1.*(?::Ip|:E).*:2p") and k > i + 1
        if not (_first_group_participle(verb) or second_plural):
            continue
        if modal and token.low in {"fait", "faits", "laissé"}:
            continue
        infinitives = sorted(_lemmas(verb, r":V1"))
        if infinitives:
            yield _finding(
                verb,
                "Après ce verbe ou cette préposition, le verbe se met à l’infinitif (-er).",
                [_same_case(verb.text, infinitives[0])],
                "infinitif_apres_verbe",
            )


POLITE_CONDITIONALS = {"voudrai", "aimerai", "souhaiterai", "préférerai"}
# Futures that, with an object, ask for it ("j'aimerai un café" may be a future: not here).
_ASKING_VERBS = {"voudrai", "souhaiterai"}
_OBJECT_DETERMINERS = {"un", "une", "des", "du", "de", "d'", "le", "la", "les", "l'", "plus"}


def rule_polite_conditional(sentence: list[Token]) -> Iterator[Finding]:
    """ "je voudrais", "je prendrais bien": a wish is in the conditional (-rais), not the future."""
    for i, token in enumerate(sentence[:-1]):
        if token.low not in {"je", "j'"}:
            continue
        k = _skip(sentence, i + 1, {"ne", "n'", "en", "y", "vous", "te", "t'", "lui", "le", "la"})
        if k + 1 >= len(sentence):
            continue
        verb, after = sentence[k], sentence[k + 1]
        if not verb.low.endswith("rai") or not verb.has(r":If:1s"):
            continue
        wish = verb.low in POLITE_CONDITIONALS and (after.has(r":Y") or after.low == "bien")
        # "je voudrai un café", "je souhaiterai des informations": an object asked for
        wish |= verb.low in _ASKING_VERBS and after.low in _OBJECT_DETERMINERS
        if wish or (
            after.low == "bien"
            and k + 2 < len(sentence)
            and sentence[k + 2].low
            in {
                "un",
                "une",
                "des",
                "du",
                "de",
                "le",
                "la",
                "les",
                "volontiers",
            }
        ):
            yield _finding(
                verb,
                "Souhait poli : le conditionnel (« -rais »), pas le futur.",
                [verb.text + "s"],
                "conditionnel_souhait",
            )
