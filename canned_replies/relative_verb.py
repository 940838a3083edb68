"""The verb of a relative "qui" clause, and the agreement two of its words vote for.

- after "qui" (past "ne" and object pronouns) a form that is also a noun, an adjective or a
  participle is the verb: neither can follow "qui" alone ("les nuages qui produit");
- "qui" + "être" + a participle or adjective: when the noun before "qui" and the attribute
  agree in number and the verb alone does not, the verb is the slip ("mon neveu qui étaient
  né" → "était", "aux semi-conducteurs, qui est produits" → "sont"). Grammalecte reads only
  the verb and its attribute and offers the attribute in the verb's number: the wrong word
  (french.py drops that finding beside this one). Two words against one, so it holds where
  the antecedent alone is not trusted (after "à", after a comma).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import (
    ADVERBS_IN_VERB_GROUP,
    DETERMINERS,
    Token,
    _finding,
    _gender_number,
    run_rules,
    verb_forms,
)
from canned_replies.noun_phrases import plain
from canned_replies.subject_verb import _BEFORE_VERB, _FINITE

# Forms of "être" by the number they need, as the verb after "qui" ("qui est né").
_ETRE = {
    "s": {"est", "était", "sera", "serait", "fut", "soit"},
    "p": {"sont", "étaient", "seront", "seraient", "furent", "soient"},
}
# Determiners that also hold a preposition ("aux semi-conducteurs", "du colis").
_DETERMINERS = DETERMINERS | {"aux", "des", "du", "au"}


def verb_after_qui(sentence: list[Token], k: int) -> Token | None:
    """The finite verb right after a relative "qui" at k - 1, or None."""
    while k < len(sentence) and sentence[k].low in _BEFORE_VERB:
        k += 1
    if k >= len(sentence) or not plain(sentence[k]):
        return None
    verb = sentence[k]
    if not verb.has(_FINITE) or verb.has(r":[WGR]"):
        return None
    return verb


def _number(token: Token, pattern: str) -> str | None:
    """The one number ("s" or "p") the word has for morphologies matching pattern."""
    _, numbers = _gender_number(token, pattern)
    return next(iter(numbers)) if len(numbers) == 1 else None


def _antecedent_number(sentence: list[Token], i: int) -> str | None:
    """The number of the noun right before "qui" at i (or before its comma), when a
    determiner of the same number opens it: "mon neveu", "aux semi-conducteurs"."""
    j = i - 2 if sentence[i - 1].text == "," else i - 1
    noun = sentence[j]
    if j < 1 or "_" in noun.text or noun.text[:1].isupper() or not noun.has(r":N"):
        return None  # a compound with its hyphen is a noun too ("semi-conducteurs")
    if noun.has(r":[VGWR]"):
        return None  # "le client sort qui…": a verb form may end the phrase
    number = _number(noun, r":N")
    determiner = sentence[j - 1]
    if number is None or determiner.low not in _DETERMINERS - {"d'", "de"}:
        return None  # after "de" the phrase may go on before it ("le prix de billets qui")
    return number if _number(determiner, r":D") in (None, number) else None


def rule_etre_votes(sentence: list[Token]) -> Iterator[Finding]:
    """ "mon neveu qui étaient né prématuré" → "était": antecedent and attribute agree, the
    form of "être" between them is the slip."""
    for i, token in enumerate(sentence):
        if token.low != "qui" or i < 2:
            continue
        number = _antecedent_number(sentence, i)
        verb = verb_after_qui(sentence, i + 1)
        if number is None or verb is None or verb.low not in _ETRE["p" if number == "s" else "s"]:
            continue
        k = sentence.index(verb, i) + 1
        while k < len(sentence) and (
            sentence[k].low in ADVERBS_IN_VERB_GROUP
            or (sentence[k].has(r":W") and not sentence[k].has(r":[NAVQ]"))
        ):
            k += 1  # "qui est presque exclusivement produits"
        if k >= len(sentence) or not plain(sentence[k]):
            continue
        attribute = sentence[k]
        if attribute.has(r":[GWRN]") and not attribute.has(r":Q"):
            continue  # a noun attribute has its own number ("qui sont un problème")
        if _number(attribute, r":[AQ]") != number:
            continue
        fixes = [f for f in verb_forms(verb.text, ":3" + number) if f.lower() in _ETRE[number]]
        if fixes:
            yield _finding(
                verb,
                "Accord : « qui » et l'attribut qui suit désignent le même nombre ; "
                "le verbe s'accorde avec eux.",
                fixes,
                "accord_qui_etre_attribut",
            )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, [rule_etre_votes])
