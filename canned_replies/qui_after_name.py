"""The verb after a relative "qui" that takes up a person's name (issue 19, agreement).

A first name of the lexicon, then up to two capitalised words, is one person: the verb of the
"qui" after it is singular ("François Martin, qui le désignent" → "désigne"; "le procureur
Paul Martin qui souhaitaient" → "souhaitait"), with or without a comma before "qui".
Quiet where the name may be one of several or another noun's complement: after "et", "ou", a
comma, "de", "les", "aux", "entre" or a plural noun ("les amis de Jean Martin qui…",
"Paul et Marie qui…"), after "à" without a comma (an indirect question: "demande à Paul qui
sont les gagnants"), and when a determiner or a name follows the verb after a comma, or
"être" after the name itself ("Paul, qui sont ces gens ?": a question, its subject after the
verb; "Paul Martin qui souhaitaient une peine" has its object there).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import (
    Token,
    _finding,
    _gender_number,
    determiner_or_name_at,
    verb_forms,
)
from canned_replies.relative_verb import verb_after_qui
from canned_replies.subject_verb import _FINITE

COORDINATORS = {"et", "ou", "ni", "&"}
# Before a person's name: what may make it part of a plural or another noun's complement.
_BEFORE_NAME_STOPS = COORDINATORS | {",", "de", "d'", "du", "des", "les", "aux", "entre"}
_MOST_NAME_WORDS = 3


def question_after(sentence: list[Token], verb: Token) -> bool:
    """A determiner or a name right after the verb: "qui" may ask a question whose subject
    follows ("Dans la Bible, qui sont les fils de Jacob ?")."""
    return determiner_or_name_at(sentence, sentence.index(verb) + 1)


def coordinated_before(sentence: list[Token], j: int) -> bool:
    """An "et"/"ou" earlier in the clause ending at index j: the antecedent of a "qui" after
    a comma may be both ("présidé par Paul Martin et dirigé par Luc Petit, qui seront…")."""
    k = j - 1
    while k >= 0 and sentence[k].kind != "punct":
        if sentence[k].low in COORDINATORS:
            return True
        k -= 1
    return False


def _plural_noun(token: Token) -> bool:
    _, numbers = _gender_number(token, r":N")
    return numbers == {"p"}


def after_named_person(sentence: list[Token], i: int) -> Iterator[Finding]:
    """The finding on the plural verb after the "qui" at i that takes up a person's name."""
    comma = sentence[i - 1].text == ","
    end = i - 1 if comma else i  # index after the name
    j = end
    while j > 0 and end - j < _MOST_NAME_WORDS and sentence[j - 1].text[:1].isupper():
        j -= 1
        if sentence[j].kind != "word":
            return
    if j == end or not sentence[j].has(r":M1"):
        return
    if j > 0:
        before = sentence[j - 1]
        if before.low in _BEFORE_NAME_STOPS or before.kind != "word" or _plural_noun(before):
            return
        if not comma and before.low == "à":
            return
    if coordinated_before(sentence, j):
        return
    verb = verb_after_qui(sentence, i + 1)
    if verb is None or not verb.has(_FINITE + "3p") or verb.has(_FINITE + "3s"):
        return
    if question_after(sentence, verb) and (comma or verb.has(r"^>être/")):
        return  # right after a name, only "être" asks ("Voici Paul qui sont ces gens ?")
    fixes = verb_forms(verb.text, ":3s")[:3]
    if fixes:
        yield _finding(
            verb,
            f"Accord : « qui » reprend « {sentence[j].text} », le verbe au singulier.",
            fixes,
            "accord_qui_antecedent",
        )
