""" "où" written for "ou" offering an alternative in a question (issue 19, homophones;
homophone_ou and homophones_by_verb read the other contexts):

- after a comma, before a subject pronoun, when nothing before the comma can be the place or
  time a relative "où" refers to — a verb, an infinitive, a pronoun, a number: "Tu l'as payée
  pour ça, où tu lui plais ?", "Je vais voir, où tu as un nom en tête ?" ("On va à Lyon, où
  tu as grandi ?" and "au moment, où…" are left);
- after a noun, before a preposition, when no verb follows until the clause ends: "Tu voyages
  pour ton travail où en touriste ?" (a relative clause needs its verb; "Tu vas où en
  vacances ?" asks where, after a verb, and is left).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, DETERMINERS, Token, _finding
from canned_replies.french_words import PLACE_TIME_NOUNS
from canned_replies.homophones import sentences_with_questions

_SUBJECTS = {"je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"}
_OPENERS = {"en", "pour", "avec", "par", "à", "au", "aux", "dans", "sur", "chez", "sans", "le",
            "la", "les", "un", "une", "des", "du", "mon", "ma", "mes", "ton", "ta", "tes", "son",
            "sa", "ses", "notre", "votre", "nos", "vos", "leurs", "ce", "cet", "cette",
            "ces"}  # fmt: skip
_PLACES = {"là", "ici", "partout", "là-bas", "ailleurs", "d'", "par", "jusqu'", "importe"}
_MESSAGE = "Confusion : la conjonction « ou » (une alternative), pas le relatif « où »."


def _no_place(token: Token) -> bool:
    """A word that no relative "où" can refer to: a verb, a pronoun, a number, not a noun nor
    a name ("pour ça", "aller voir", "à deux")."""
    if token.text.isdigit():
        return True
    if token.kind != "word" or not token.text.islower() or token.low in _PLACES:
        return False
    return not token.has(r":N")


# After these a word that is also a noun is the noun ("sous forme", "la forme").
_NOUN_BEFORE = DETERMINERS | {"de", "à", "en", "sous", "sur", "par", "pour", "avec", "sans",
                             "dans", "chez"}  # fmt: skip


def _verb_follows(sentence: list[Token], k: int) -> bool:
    """A verb, finite or infinitive (or an unknown word that may be one), before the clause
    ends; a quotation or a bracket ends nothing; a word that is also a noun after a
    determiner or a preposition is the noun ("… votre infirmière sous forme d'une…")."""
    for j in range(k, len(sentence)):
        token = sentence[j]
        if token.kind == "punct" and token.text[:1] in ",;:":
            return False
        if token.kind != "word":
            continue
        before = sentence[j - 1].low if j > 0 else ""
        # after "le"/"la"/"les", a pronoun, an infinitive is the verb: "où le dire"
        pronoun = before in {"le", "la", "les", "l'", "leur"} and token.has(r":Y")
        if token.has(r":N") and before in _NOUN_BEFORE and not pronoun:
            continue
        if token.has(_CONJUGATED.pattern) or token.has(r":V[^/]*:Y") or not token.morphs:
            return True  # ("je ne sais pas où le trouver": an infinitive asks where)
    return False


def _number_or_more(sentence: list[Token], i: int) -> bool:
    """ "2 semaines où plus après", "5 mg où moins": a quantity, then "plus"/"moins" ending
    the phrase ("un monde où plus rien ne…" is a relative)."""
    if i + 1 >= len(sentence) or sentence[i + 1].low not in {"plus", "moins"}:
        return False
    after = sentence[i + 2] if i + 2 < len(sentence) else None
    ends = after is None or after.kind == "punct" or after.low in _AFTER_MORE
    return ends and any(t.text[:1].isdigit() for t in sentence[max(0, i - 3) : i])


_AFTER_MORE = {"après", "avant", "tard", "tôt", "selon", "par", "pendant", "dans", "si"}


def _alternative(sentence: list[Token], i: int, question: bool) -> bool:
    """The "où" at i offers an alternative: after a comma in a question, before a subject
    with nothing a place could be before the comma; or after a noun, before a phrase with no
    verb until the clause ends."""
    prev, nxt = sentence[i - 1], sentence[i + 1]
    if prev.text == ",":
        return question and nxt.low in _SUBJECTS and _no_place(sentence[i - 2])
    return not (
        (nxt.low not in _OPENERS and nxt.kind != "elided")
        or nxt.low in {"qu'", "s'", "n'"}
        or (nxt.low == "d'" and i + 2 < len(sentence) and sentence[i + 2].low == "autre")
        or prev.kind != "word"
        or not prev.text.islower()
        or not prev.has(r":[NA]")
        or prev.has(r":V|:W")
        or prev.low in _PLACES | PLACE_TIME_NOUNS
        or _verb_follows(sentence, i + 1)
    )


def rule_ou_alternative(sentence: list[Token], question: bool) -> Iterator[Finding]:
    for i in range(2, len(sentence) - 1):
        token = sentence[i]
        if token.text == "où" and (
            _number_or_more(sentence, i) or _alternative(sentence, i, question)
        ):
            yield _finding(token, _MESSAGE, ["ou"], "ou_alternative")


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    found: list[Finding] = []
    for sentence, question in sentences_with_questions(text):
        found.extend(rule_ou_alternative(sentence, question))
    return found
