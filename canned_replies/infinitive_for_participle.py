"""An -er infinitive written where a noun's passive participle stands.

"Quel est le nom donner à ce service ?", "un contrat destiner à l'achat", "le procureur
charger d'enquêter" → "donné", "destiné", "chargé": a noun phrase, then the infinitive of a
verb that takes a direct object, then a preposition that opens the verb's second complement
(à, de, pour, sur, auprès…). The infinitive cannot follow a noun there: a clause would need a
conjugated verb, and an infinitive after a noun needs a verb of perception or causation before
it ("je regarde les enfants jouer à la balle", "laissez le client choisir de…"), which keeps
the infinitive. The participle agrees with the head noun.

verb_endings.rule_noun_infinitive_agent reads the same position before an agent ("par") or
a complement of place or time; this module adds the verb's indirect complements.

Written from French grammar on Grammalecte's morphology and verb flags, tested on sentences
written for tests/canned_replies/test_lists_and_participles.py; precision read on the tuning
part's clean sentences (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import Token
from canned_replies.french_words import run_rules
from canned_replies.noun_phrases import phrases_followed
from canned_replies.verb_endings import _PERCEPTION_CAUSATION, _infinitive_er, participle_after

# Prepositions opening a direct-object verb's second complement ("donner à", "charger de",
# "utiliser pour", "fonder sur"), read after the infinitive.
_SECOND_COMPLEMENT = {"à", "au", "aux", "de", "d'", "pour", "sur", "auprès", "contre", "entre"}
# Before the noun phrase, words after which noun + infinitive is a valid construction:
# "à"/"de" + infinitive phrases ("de quoi", "rien à") are not noun phrases; "aider/apprendre
# le client à…" puts the "à" before the infinitive.
_ALSO_CAUSATIVE = r">(?:aider|apprendre|inviter|pousser|autoriser|obliger|forcer)/"


def rule_noun_infinitive_complement(sentence: list[Token]) -> Iterator[Finding]:
    """ "le nom donner à…" → "donné": a noun phrase, a direct-object verb's infinitive and
    its second complement."""
    for i, phrase in phrases_followed(sentence, 2):
        word, nxt = sentence[phrase.end], sentence[phrase.end + 1]
        if nxt.low not in _SECOND_COMPLEMENT or not _infinitive_er(word) or word.has(r":[NA]"):
            continue
        if not word.has(r":V1_.t") or word.has(r":V.*:(?:Ip|Iq|Is|If|K|Sp|Sq|E|Q)"):
            continue
        if any(t.has(_PERCEPTION_CAUSATION) or t.has(_ALSO_CAUSATIVE) for t in sentence[:i]):
            continue
        if i > 0 and sentence[i - 1].low in {"à", "de", "d'"} and i + 1 < len(sentence):
            # "de la viande manger à…" is no sentence, but "à la maison jouer de…" reads as
            # a fronted complement: only a phrase that is no complement itself
            continue
        _, genders, numbers = phrase.head
        yield from participle_after(
            word, phrase.head[0].text, genders, numbers, "participe_infinitif_complement"
        )


RULES = [rule_noun_infinitive_complement]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
