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
from canned_replies.inversion_hyphen import INVERTED_ENDINGS
from canned_replies.noun_phrases import agrees, plain

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
        # adverbs before the participle ("Comment et aussi appelé…"): words that are only one
        j = i + 2
        while j + 1 < len(sentence) and j < i + 4 and plain(nxt) and nxt.only(r":W"):
            j += 1
            nxt = sentence[j]
        if j > i + 2 and not (plain(nxt) and nxt.has(r":V[0-3].*:Q")):
            continue
        if nxt.low in DETERMINERS - {"de", "d'", "du", "des", "au", "aux"} or _attribute(nxt):
            yield _finding(
                et,
                "Confusion : le verbe être, « est », après le mot interrogatif.",
                [_same_case(et.text, "est")],
                "est_apres_interrogatif",
            )


_QUEL = {"quel": ({"m"}, {"s"}), "quelle": ({"f"}, {"s"}), "quels": ({"m"}, {"p"}),
         "quelles": ({"f"}, {"p"})}  # fmt: skip
# What opens the participle's complement ("utilisé dans", "connue sous le nom").
_COMPLEMENT_OPENERS = {"à", "au", "aux", "en", "dans", "pour", "avec", "sur", "sous", "par",
                       "chez", "vers", "depuis", "pendant", "après", "avant", "entre", "lors",
                       "comme", "de", "d'", "du", "des"}  # fmt: skip


def _finite(token: Token) -> bool:
    """A lowercase word that can only be read as a finite verb here (no noun or adjective),
    or an inversion ("préférez-vous", "a-t-il")."""
    if token.kind != "word" or token.text[:1].isupper():
        return False
    if "-" in token.text:
        return token.low.endswith((*INVERTED_ENDINGS, "-ce"))
    return plain(token) and token.has(_CONJUGATED.pattern) and not token.has(r":[NAQWGM]")


def rule_quel_phrase_et(sentence: list[Token], question: bool) -> Iterator[Finding]:
    """ "Quel type de polymère et utilisé dans les vestes ?", "Quelle rivière aux États-Unis
    et connue sous le nom de… ?" → "est": a question opened by "quel" and its noun, with no
    finite verb anywhere, then "et" and a participle agreeing with "quel" that opens its
    complement. The question needs a verb, and two things joined by "et" would not leave
    "quel…" without one; a participle after an adjective ("Quels fruits frais et séchés ?")
    ends the question, so only one opening a complement is read."""
    if not question:
        return
    q = 1 if len(sentence) > 1 and sentence[0].low in _BEFORE_QUOI else 0
    if len(sentence) < q + 5 or sentence[q].low not in _QUEL:
        return
    genders, numbers = _QUEL[sentence[q].low]
    if any(_finite(t) for t in sentence):
        return
    for k in range(q + 2, len(sentence) - 2):
        token = sentence[k]
        if token.low in {"entre", "ou", "ni", ","}:
            return  # "Quel lien entre X et Y", lists
        if token.text != "et":
            continue
        j = k + 1
        while j < len(sentence) - 1 and j < k + 3 and plain(sentence[j]):
            if not sentence[j].only(r":W"):
                break
            j += 1
        word, after = sentence[j], sentence[j + 1].low
        if not (plain(word) or word.only(r":V.*:Q")) or not word.has(r":V[0-3].*:Q"):
            return
        if after not in _COMPLEMENT_OPENERS or not agrees(word, genders, numbers):
            return
        if word.has(r":[GRDYBCO]|:V.*:P"):
            return
        yield _finding(
            token,
            f"Confusion : le verbe être, « est » (« {sentence[q].text} … {word.text} »).",
            [_same_case(token.text, "est")],
            "est_apres_interrogatif",
        )
        return


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    found: list[Finding] = []
    for sentence, question in sentences_with_questions(text):
        for rule in (rule_question_word_et, rule_quel_phrase_et):
            found.extend(f for f in rule(sentence, question) if not heading(text, f))
    return found
