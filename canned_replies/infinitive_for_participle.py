"""An -er infinitive written where a noun's passive participle stands.

"Quel est le nom donner à ce service ?", "un contrat destiner à l'achat", "le procureur
charger d'enquêter" → "donné", "destiné", "chargé": a noun phrase, then the infinitive of a
verb that takes a direct object, then a preposition that opens the verb's second complement
(à, de, pour, sur, auprès…). The infinitive cannot follow a noun there: a clause would need a
conjugated verb, and an infinitive after a noun needs a verb of perception or causation before
it ("je regarde les enfants jouer à la balle", "laissez le client choisir de…"), which keeps
the infinitive. The participle agrees with the head noun.

verb_endings.rule_noun_infinitive_agent reads the same position before an agent ("par") or
a complement of place or time; this module adds the verb's indirect complements, the end of
the phrase ("une commande déjà expédier, …": punctuation, "et/mais/ou" after it), and an
infinitive after "et" coordinated with a compound tense's participle ("il a été livré et
déposer dans la boîte" → "déposé"; not after a subordinate clause, an infinitive or a
preposition taking one).

Written from French grammar on Grammalecte's morphology and verb flags, tested on sentences
written for tests/canned_replies/test_lists_and_participles.py; precision read on the tuning
part's clean sentences (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, Token, _gender_number
from canned_replies.french_words import AUXILIARIES, run_rules
from canned_replies.noun_phrases import phrases_followed, plain
from canned_replies.verb_endings import (
    _PERCEPTION_CAUSATION,
    _infinitive_er,
    _participles,
    participle_after,
)

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


# Adverbs between a noun and its participle ("une commande déjà expédiée").
_BEFORE_PARTICIPLE = {"déjà", "bien", "mal", "pas", "jamais", "encore", "toujours", "tout"}
_SUBORDINATORS = {"comme", "que", "qu'", "qui", "quand", "si", "où", "dont", "lorsque",
                  "lorsqu'", "puisque", "puisqu'", "parce", "quoi"}  # fmt: skip
# After the word: the phrase ends (an infinitive after a noun would need its own verb).
_PHRASE_ENDS = {",", ".", "!", "?", ";", ":", ")", "…", "et", "mais", "ou"}


def rule_noun_infinitive_end(sentence: list[Token]) -> Iterator[Finding]:
    """ "une commande déjà expédier, …", "les photos du colis endommager." → the participle:
    a noun phrase, maybe an adverb, then a direct-object verb's infinitive ending the phrase.
    The participle agrees with the noun next to it."""
    for i, phrase in phrases_followed(sentence, 1):
        k = phrase.end
        while k < len(sentence) - 1 and sentence[k].low in _BEFORE_PARTICIPLE:
            k += 1
        word = sentence[k]
        after = sentence[k + 1].low if k + 1 < len(sentence) else "."
        if after not in _PHRASE_ENDS or not _infinitive_er(word) or word.has(r":[NA]"):
            continue
        if not word.has(r":V1_.t") or word.has(r":V.*:(?:Ip|Iq|Is|If|K|Sp|Sq|E|Q)"):
            continue
        if any(t.has(_PERCEPTION_CAUSATION) or t.has(_ALSO_CAUSATIVE) for t in sentence[:i]):
            continue
        if i > 0 and sentence[i - 1].low in {"à", "de", "d'", "pour", "sans"}:
            continue  # "de la viande à manger", "pour le client appeler": not read
        _, genders, numbers = phrase.nouns[-1]
        yield from participle_after(
            word, phrase.nouns[-1][0].text, genders, numbers, "participe_infinitif_fin_groupe"
        )


def rule_coordinated_infinitive(sentence: list[Token]) -> Iterator[Finding]:
    """ "il a été livré hier et déposer dans la boîte" → "déposé": an -er infinitive after
    "et" coordinated with the participle of a compound tense, nothing between them that
    could take an infinitive (a preposition, a verb, another infinitive)."""
    for k, token in enumerate(sentence[1:-1], start=1):
        word = sentence[k + 1]
        if token.low != "et" or not _infinitive_er(word) or word.has(r":[NA]"):
            continue
        if word.has(r":V.*:(?:Ip|Iq|Is|If|K|Sp|Sq|E|Q)"):
            continue
        participle = None
        for j in range(k - 1, 0, -1):
            t = sentence[j]
            if t.kind == "punct" and t.low != ",":
                break
            if t.kind == "word" and t.has(r":V.*:Y"):
                break  # "… de venir et manger": infinitives coordinated
            if plain(t) and t.has(r":V.*:Q") and sentence[j - 1].low in AUXILIARIES | {"a"}:
                participle = t
                break
            if t.kind == "word" and t.has(_CONJUGATED.pattern) and not t.has(r":[NAQ]"):
                break  # another clause's verb
        if participle is None or any(
            t.low in _SUBORDINATORS or (t.kind == "word" and t.has(r":V.*:Y"))
            for t in sentence[: sentence.index(participle)]
        ):
            continue  # "on va faire comme tu as dit et tenter…": "et" may join the infinitive
        genders, numbers = _gender_number(participle, r":Q")
        fixes = _participles(word.text, genders, numbers)
        if fixes:
            yield Finding(
                word.start,
                word.end,
                f"Participe passé attendu, coordonné à « {participle.text} » : « {fixes[0]} ».",
                fixes,
                "vigie.participe_infinitif_coordonne",
            )


RULES = [rule_noun_infinitive_complement, rule_noun_infinitive_end, rule_coordinated_infinitive]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
