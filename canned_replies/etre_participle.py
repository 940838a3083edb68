"""A participle after a plural form of "être" is plural, whatever the subject looks like.

"sont", "sommes", "étaient", "ont été"… are plural, so the participle or
adjective right after them (adverbs between) is plural: "(per protocole) sont présenté" →
"présentés", "Alain Madelin et François Hollande se sont prononcé" → "prononcés".
Grammalecte checks it against a subject it can read; here the verb alone decides the number
(the gender stays with the subject, so only the number is checked).

Quiet where the participle does not agree: a participle Grammalecte's lexicon marks
invariable ("se sont succédé", "se sont plu"); after "se", a verb whose "se" may be an
indirect object (the lexicon's "n" flag: "se sont parlé", "se sont demandé si", "se sont
rendu compte"), "fait" ("se sont fait avoir"), or an object after it ("se sont lavé les
mains"); "bien entendu"; a word that is also a noun before another word ("elles sont partie
prenante").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import DETERMINERS, Token, _finding, run_rules
from canned_replies.noun_phrases import agreed_forms, plain

# Third and first person plural ("vous êtes" may be one person: left).
_PLURAL_ETRE = {"sont", "étaient", "seront", "seraient", "soient", "furent", "fussent",
                "sommes", "étions", "serons", "serions", "soyons", "fûmes"}  # fmt: skip
_PLURAL_AVOIR = {"ont", "avaient", "auront", "auraient", "aient", "eurent", "avons", "avions",
                 "aurons", "aurions", "ayons"}  # fmt: skip
_ADVERBS = {"bien", "déjà", "pas", "plus", "jamais", "toujours", "encore", "également",
            "aussi", "très", "trop", "tous", "toutes", "souvent", "ensuite", "enfin",
            "vraiment", "désormais", "rapidement", "automatiquement", "immédiatement",
            "entièrement", "finalement", "effectivement", "généralement", "ne", "n'"}  # fmt: skip
# What may follow the participle and shows nothing else is its object or its noun.
_PREPOSITIONS = {"à", "au", "aux", "de", "du", "des", "d'", "en", "dans", "par", "pour", "sur",
                 "avec", "sans", "chez", "contre", "depuis", "après", "avant", "vers",
                 "entre", "sous", "selon", "lors", "dès", "jusqu'", "jusque"}  # fmt: skip
# Grammalecte's verb flags after ":V1_": intransitive, transitive, indirect, pronominal.
_VERB_FLAGS_INDIRECT = re.compile(r":V[0-3]_..n")
_VERB_FLAGS_PRONOMINAL = re.compile(r":V[0-3]_...q")
_SINGULAR_ONLY = re.compile(r":[mfe]:s(?=[:/#;]|$)")


def _singular_participle(token: Token) -> bool:
    """A past participle whose every reading (as participle, adjective or noun) is singular,
    or an adjective that is only that, masculine or feminine ("contente", "prêt"; an epicene
    one may be a loanword used invariable: "top", "cool")."""
    if not plain(token):
        return False
    if not token.has(r":V[0-3][^/]*:Q") and not (
        token.only(r":A") and token.only(r":A[^/]*:[mf]:s(?=[:/#;]|$)")
    ):
        return False
    readings = [m for m in token.morphs if re.search(r":[QAN]", m)]
    return bool(readings) and all(_SINGULAR_ONLY.search(m) for m in readings)


def _nothing_after(sentence: list[Token], k: int, token: Token) -> bool:
    """Punctuation, the end, a preposition or a plain adverb after the participle: no object,
    no noun it could be part of."""
    if k >= len(sentence):
        return True
    after = sentence[k]
    if after.kind == "punct" or after.low in _PREPOSITIONS:
        return True
    return after.has(r":W") and not after.has(r":[NAV]") and not token.has(r":N")


def rule_plural_etre_participle(sentence: list[Token]) -> Iterator[Finding]:
    """ "… sont présenté dans les tables" → "présentés"."""
    for i, token in enumerate(sentence):
        low = token.low
        if low == "été" and i > 0 and sentence[i - 1].low in _PLURAL_AVOIR:
            pass
        elif low not in _PLURAL_ETRE:
            continue
        reflexive = i > 0 and sentence[i - 1].low in {"se", "s'", "nous"}
        k = i + 1
        while k < len(sentence) and sentence[k].low in _ADVERBS:
            k += 1
        if k >= len(sentence):
            continue
        word = sentence[k]
        if not _singular_participle(word):
            continue
        if reflexive and not _nothing_after(sentence, k + 1, word):
            continue  # "ils se sont lavé les mains": the object follows
        after = sentence[k + 1] if k + 1 < len(sentence) else None
        if (
            word.has(r":N")
            and after is not None
            and after.kind == "word"
            and after.low not in _PREPOSITIONS | DETERMINERS
        ):
            continue  # "elles sont partie prenante": a noun with its own words
        if k > 0 and sentence[k - 1].low == "bien" and word.low == "entendu":
            continue
        if reflexive and (word.low == "fait" or _VERB_FLAGS_INDIRECT.search("".join(word.morphs))):
            continue
        if reflexive and not _VERB_FLAGS_PRONOMINAL.search("".join(word.morphs)):
            continue
        genders = {"f"} if word.has(r":Q[^/]*:f:s") and not word.has(r":Q[^/]*:m:s") else {"m"}
        fixes = agreed_forms(word, genders, {"p"})
        if fixes:
            yield _finding(
                word,
                f"Accord : après « {token.text} » (pluriel), le participe se met au pluriel.",
                fixes,
                "accord_participe_etre_pluriel",
            )


RULES = [rule_plural_etre_participle]


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, RULES)
