"""mais/mes/ma/mon: "mais parents sont partis" → "mes", "mais mère me bat" → "ma".

A common noun cannot be a subject without its determiner; after the conjunction "mais", a bare
noun followed by its verb means the writer meant the possessive ("mes" sounds like "mais",
"ma"/"mon" are one slip away). Quiet for nouns used as interjections or forms of address
("mais merci", "mais maman dit", "mais attention faut…"), names and words that are also
adjectives, adverbs or pronouns ("mais bon", "mais rien ne…", "mais personne ne…").
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import (
    _CONJUGATED,
    Token,
    _finding,
    _same_case,
    sentences,
    tokenize,
)
from canned_replies.noun_phrases import plain

# Nouns said on their own as an interjection ("Mais attention, …", "mais bravo").
INTERJECTION_NOUNS = {
    "merci", "attention", "dommage", "bravo", "courage", "pardon", "patience", "silence",
    "chapeau", "respect", "question", "stop", "ciao", "salut", "bonjour", "bonsoir", "zut",
    "mince", "félicitations", "bienvenue", "allez", "vivement", "gare", "honte", "coucou",
}  # fmt: skip
_BEFORE_VERB = {"ne", "n'", "me", "m'", "te", "t'", "se", "s'", "lui", "y", "en"}


def rule_mais_possessive(sentence: list[Token]) -> Iterator[Finding]:
    """ "mais" + a bare common noun + its verb → the possessive determiner."""
    for i, token in enumerate(sentence[:-2]):
        if token.low != "mais":
            continue
        noun = sentence[i + 1]
        if not plain(noun) or noun.low in INTERJECTION_NOUNS or not noun.has(r":N"):
            continue
        plural = noun.has(r":N[^/]*:p(?:/|$)")
        verb_form = noun.has(r":V[^/]*:3p") if plural else noun.has(r":V")  # "mais pense"
        if verb_form or noun.has(r":[GWRTJBXM]|:N:[^/]*:i") or (noun.has(r":A") and not plural):
            continue  # "mais bon", "mais rien", "mais maman", an invariable noun
        k = i + 2
        while k < len(sentence) and sentence[k].low in _BEFORE_VERB:
            k += 1
        if k >= len(sentence):
            continue
        verb = sentence[k]
        auxiliary = verb.low in {"est", "sont", "a", "ont", "était", "étaient", "va", "vont"}
        verb_only = plain(verb) and verb.has(_CONJUGATED.pattern) and not verb.has(r":[NAQGRW]")
        if not (auxiliary or verb_only):
            continue
        if plural and verb.has(r":3p"):
            fix = "mes"
        elif not plural and verb.has(r":3s") and not verb.has(r":E"):
            # (not an imperative: "mais putain respecte ton chat" is an interjection first)
            feminine = noun.has(r":N[^/]*:f:s") and not noun.has(r":N[^/]*:[me]:s")
            fix = "ma" if feminine and noun.low[:1] not in "aeiouéèêhâîô" else "mon"
        else:
            continue
        yield _finding(
            token,
            f"Confusion : le déterminant possessif « {fix} » devant « {noun.text} ».",
            [_same_case(token.text, fix)],
            "mais_possessif",
        )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    found: list[Finding] = []
    for sentence in sentences(tokenize(text)):
        found.extend(rule_mais_possessive(sentence))
    return found
