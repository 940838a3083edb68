"""-er/-é/-ez decided by "vous": a form in -ez needs "vous" as its subject, "vous" as a subject
needs one.

- "vous" opening a clause, object pronouns, then an -er infinitive → -ez ("si vous me donner
  un emploi" → "donnez"; verb_endings reads "vous" right before the infinitive; here "me",
  "le", "en"… stand between);
- a form of "avoir" then a form in -ez → the participle ("Qui a tuez", "ils ont envoyez",
  "quelle somme a dépensez"): after "avoir" only a participle; "a" must have a subject right
  before it (a pronoun, "qui", an object pronoun, a noun phrase opened by "quel"), else it may
  be "à" + an infinitive ("une machine a laver");
- a determiner that is never a pronoun, then a form in -ez → the noun or participle of the
  same sound, the most written first ("un nommez Dupont" → "nommé", "plusieurs allez" →
  "aller");
- a noun phrase, an adverb, then a form in -ez with no "vous" before → the participle ("un
  espace bien confinez" → "confiné"; verb_endings reads the form right after the noun).

Written from French grammar on Grammalecte's morphology, tested on sentences written for
tests/canned_replies/test_lists_and_participles.py; precision read on the tuning part's clean
sentences (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies import unknown_words
from canned_replies.findings import Finding
from canned_replies.french_rules import Token, _finding
from canned_replies.french_words import AVOIR_FORMS, run_rules
from canned_replies.grammalecte_engine import morphs
from canned_replies.noun_phrases import phrases_followed, plain
from canned_replies.verb_endings import (
    _FRONTED,
    _ONLY_DETERMINERS,
    _infinitive_er,
    _participles,
    _subject_vous,
    vous_ez,
)

_OBJECTS = {"me", "m'", "te", "t'", "nous", "le", "la", "les", "l'", "lui", "leur", "en", "y",
            "ne", "n'"}  # fmt: skip
# What stands right before "a" when it is the verb: its subject or an object pronoun.
_BEFORE_AVOIR_A = {"il", "elle", "on", "qui", "ça", "cela", "ceci", "n'", "l'", "y", "en",
                   "lui", "leur", "m'", "t'", "nous", "vous"}  # fmt: skip
_QUEL = {"quel", "quelle", "quels", "quelles"}
_ADVERBS = {"bien", "mal", "très", "déjà", "récemment", "entièrement", "correctement",
            "partiellement", "mieux", "toujours", "souvent", "jamais", "trop", "plus"}  # fmt: skip


def _ez_verb(token: Token, allez: bool = False) -> bool:
    """A form in -ez that is only a verb of "vous" ("tuez", "envoyez"; not "nez", "chez";
    "allez" only where no interjection can stand: after a determiner)."""
    return (
        plain(token)
        and token.low.endswith("ez")
        and token.low not in ({"avez"} if allez else {"allez", "avez"})
        and token.only(r":V[0-3].*:(?:Ip|E|Iq|If|K|Sp|Sq|Is):2p")
    )


def rule_vous_objects_infinitive(sentence: list[Token]) -> Iterator[Finding]:
    """ "si vous me donner" → "donnez": "vous", object pronouns, then an infinitive."""
    for i, token in enumerate(sentence[:-2]):
        if token.low != "vous" or not _subject_vous(sentence, i):
            continue
        k = i + 1
        while k < len(sentence) and k <= i + 3 and sentence[k].low in _OBJECTS:
            k += 1
        if k == i + 1 or k >= len(sentence):
            continue  # no pronoun between: verb_endings.rule_vous_infinitive
        word = sentence[k]
        if not _infinitive_er(word) or word.has(r":V.*:(?:Ip|E):2p|:[NA]"):
            continue
        yield from vous_ez(word, "vous_pronoms_infinitif")


def _avoir_with_subject(sentence: list[Token], k: int) -> bool:
    """The token at k is a form of "avoir" whose subject or object pronoun is right there."""
    token = sentence[k]
    if token.low not in AVOIR_FORMS | {"a"} or token.text[:1].isupper():
        return False
    if token.text != "a":
        return True
    if k == 0:
        return False
    prev = sentence[k - 1]
    if prev.low in _BEFORE_AVOIR_A:
        return True
    # "Quelle somme a dépensé…": a noun phrase opened by "quel" at the start
    return k >= 2 and sentence[k - 2].low in _QUEL and k - 2 == 0 and prev.has(r":N")


def rule_avoir_ez(sentence: list[Token]) -> Iterator[Finding]:
    """ "Qui a tuez", "ils ont envoyez" → "tué", "envoyé": after "avoir", the participle."""
    for i, token in enumerate(sentence[1:], start=1):
        if not _ez_verb(token):
            continue
        k = i - 1
        while k > 0 and sentence[k].low in {"bien", "déjà", "pas", "jamais", "tout", "plus"}:
            k -= 1
        if not _avoir_with_subject(sentence, k):
            continue
        fixes = _participles(token.text, {"m"}, {"s"})
        if fixes:
            yield _finding(
                token,
                f"Après « {sentence[k].text} », le participe passé : « {fixes[0]} ».",
                fixes,
                "avoir_participe_ez",
            )


def rule_determiner_ez(sentence: list[Token]) -> Iterator[Finding]:
    """ "un nommez Dupont" → "nommé": a determiner is followed by a noun, never by -ez."""
    for i, token in enumerate(sentence[1:], start=1):
        if not _ez_verb(token, allez=True) or sentence[i - 1].low not in _ONLY_DETERMINERS | {
            "plusieurs"
        }:
            continue
        stem = token.text[:-2]
        fixes = [
            form
            for form in (stem + "é", stem + "er")
            if any(":N" in m or ":A" in m for m in morphs(form))
        ]
        fixes.sort(key=lambda form: -unknown_words.zipf(form.lower()))
        if fixes:
            yield _finding(
                token,
                f"Après un déterminant, un nom ou un participe : « {fixes[0]} ».",
                fixes,
                "determinant_ez",
            )


def rule_noun_adverb_ez(sentence: list[Token]) -> Iterator[Finding]:
    """ "un espace bien confinez" → "confiné": a noun phrase, an adverb, then -ez with no
    "vous" before."""
    for i, phrase in phrases_followed(sentence, 2):
        k = phrase.end  # the phrase may have read "bien" as an adjective already
        while k < len(sentence) and sentence[k].low in _ADVERBS:
            k += 1
        if k >= len(sentence) or sentence[k - 1].low not in _ADVERBS or not _ez_verb(sentence[k]):
            continue
        if any(t.low in {"vous", "vous-même"} for t in sentence[:k]):
            continue
        if sentence[0].low in _FRONTED and i <= 2:
            continue  # "Pour le retour bien emballez le colis": an imperative
        _, genders, numbers = phrase.nouns[-1]
        fixes = _participles(sentence[k].text, genders, numbers)
        if fixes:
            yield _finding(
                sentence[k],
                f"Participe passé attendu après « {phrase.nouns[-1][0].text} » : « {fixes[0]} ».",
                fixes,
                "participe_adverbe_ez",
            )


RULES = [rule_vous_objects_infinitive, rule_avoir_ez, rule_determiner_ez, rule_noun_adverb_ez]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
