"""et/est right after a question word: "De quoi et fait ce produit ?", "Comment et le temps à
Lyon ?", "Quand et prévu le départ ?" → "est".

A question word opening a question is followed by its verb (or by another question word it
is coordinated with: "Où et quand ?", "Comment et pourquoi"). "et" there joins nothing: before
a participle that is nothing else, a determiner or an adjective that is no noun, the verb
"est" is meant. Coordinated question words and a preposition after "et" ("Pourquoi et pour
qui ?") are left.

Written from French grammar on Grammalecte's morphology, tested on sentences written for
tests/canned_replies/test_lists_and_participles.py; precision read on the tuning part's clean
sentences (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, DETERMINERS, Token, _finding, _same_case
from canned_replies.homophones import heading, sentences_with_questions
from canned_replies.noun_phrases import plain

_QUESTION_WORDS = {"où", "quand", "comment", "pourquoi", "quoi", "combien"}
_BEFORE_QUOI = {"de", "à", "en", "par", "pour", "avec", "sur", "dans"}


def _opens_question(sentence: list[Token], i: int) -> bool:
    """The question word at i opens the sentence (after "De" for "de quoi", "à quoi"…)."""
    return i == 0 or (i == 1 and sentence[0].low in _BEFORE_QUOI and sentence[1].low == "quoi")


def _attribute(token: Token) -> bool:
    """A participle ("fait", "né", "prévu": a question word is never coordinated with one),
    or an adjective that is no noun and no finite verb."""
    if not plain(token) or token.has(r":G|:W|:R"):
        return False
    return token.has(r":V[0-3].*:Q") or (
        token.has(r":A") and not token.has(r":N") and not token.has(_CONJUGATED.pattern)
    )


def rule_question_word_et(sentence: list[Token], question: bool) -> Iterator[Finding]:
    """ "De quoi et fait ce produit ?" → "est"."""
    if not question:
        return
    for i, token in enumerate(sentence[:-2]):
        if token.low not in _QUESTION_WORDS or not _opens_question(sentence, i):
            continue
        et, nxt = sentence[i + 1], sentence[i + 2]
        if et.text != "et" or nxt.low in _QUESTION_WORDS:
            continue
        if nxt.low in DETERMINERS - {"de", "d'", "du", "des", "au", "aux"} or _attribute(nxt):
            yield _finding(
                et,
                "Confusion : le verbe être, « est », après le mot interrogatif.",
                [_same_case(et.text, "est")],
                "est_apres_interrogatif",
            )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    found: list[Finding] = []
    for sentence, question in sentences_with_questions(text):
        found.extend(f for f in rule_question_word_et(sentence, question) if not heading(text, f))
    return found
