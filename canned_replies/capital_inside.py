"""A grammatical word written with a capital inside a sentence: "ou alors Comment est-ce
perçu ?" → "comment" (issue 19, case).

Names keep their capitals, so only words that are never a name are read: question words,
conjunctions, subject pronouns and a few adverbs (not determiners or prepositions, which open
titles and names: "Le Monde", "De Gaulle", "La Poste"). Quiet after anything that may open a
title or a quotation (quotes, brackets, dashes, a capitalised word before) and when the next
word is capitalised too ("Comment Ça Marche", a title).

Advice, like every capital (README): right on its one tuning case and silent on the tuning
part's clean sentences, but one case is no measure, and on the validation part it was one
more clean sentence blocked (read as a figure only).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import Token
from canned_replies.french_words import sentences, tokenize

_NEVER_NAMES = {
    "comment", "pourquoi", "quand", "combien", "mais", "donc", "alors", "car", "puis",
    "parce", "lorsque", "puisque", "quoique", "je", "tu", "il", "ils", "elle", "elles", "on",
    "cela", "ça", "quoi", "aussi", "pourtant", "cependant", "ensuite", "enfin", "peut-être",
    "vraiment", "toujours", "jamais", "déjà", "encore", "oui", "non",
}  # fmt: skip


def rule_capital_inside(text: str, sentence: list[Token]) -> Iterator[Finding]:
    """ "ou alors Comment est-ce perçu ?" → "comment"."""
    for i in range(1, len(sentence) - 1):
        token, before, after = sentence[i], sentence[i - 1], sentence[i + 1]
        if token.kind != "word" or token.low not in _NEVER_NAMES:
            continue
        if not (token.text[:1].isupper() and token.text[1:].islower()):
            continue
        if before.kind != "word" or not before.text.isalpha() or not before.text.islower():
            continue  # after a quote, a bracket, a dash, a comma, a name or a handle
        if text[before.end : token.start].strip() or (
            before.start > 0 and text[before.start - 1] in "@#/"
        ):
            continue  # "plus/Elle m'a…": lines of verse, a cut word ("occup- Mais")
        if after.kind == "word" and after.text[:1].isupper():
            continue  # "Comment Ça Marche": a title
        yield Finding(
            token.start,
            token.end,
            f"Majuscule : « {token.low} » au milieu de la phrase s’écrit en minuscule.",
            [token.low],
            "vigie.majuscule_interne",
            "grammar",
            blocking=False,
        )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    found: list[Finding] = []
    for sentence in sentences(tokenize(text)):
        found.extend(rule_capital_inside(text, sentence))
    return found
