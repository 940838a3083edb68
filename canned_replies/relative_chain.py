"""The verb after "qui" when every noun of the phrase before it has one number (issue 19,
agreement).

"qui" takes up the noun before it or a noun further back in the same phrase ("le prix des
billets qui…": either "prix" or "billets"), so noun_phrase_agreement reads only a phrase with
one noun. But when every noun of the chain of complements before "qui" is singular, or every
one plural, the antecedent's number is known whichever noun it is: a verb that can only be of
the other number is the slip ("la hauteur de la tour qui mesurent" → "mesure", "les clients
des magasins qui attend" → "attendent").

The chain is read backwards from "qui": nouns, each after a determiner or "de", adjectives
after a noun, joined by "de", "d'", "du", "des", "au", "aux" or "de"/"à" + an article, back to
its first determiner. Quiet when a word of the chain has both numbers or none ("le prix",
"le gaz"), is a name, a number, a collective or a quantity ("une partie des colis qui",
"la plupart des gens qui"), when "et", "ou" or a comma joins the chain to what comes before
(the antecedent may be both), when a preposition or a noun stands before the chain (it is then
a complement of a noun further back: "les gens dans le train de nuit qui…"), after "aux" (an
indirect question: "demandez aux agents de la gare qui est de service"), and for a phrase of
one noun (noun_phrase_agreement's).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import (
    DETERMINERS,
    Token,
    _finding,
    _gender_number,
    run_rules,
    verb_forms,
)
from canned_replies.relative_verb import verb_after_qui
from canned_replies.subject_verb import _FINITE, QUANTITY_HEADS

# "des", "du", "au", "aux": a determiner opening the chain, or a link inside it.
_CONTRACTED = {"du", "des", "au", "aux"}
_LINKS = {"de", "d'"}
# Heads that may give their verb the other number, or that pick one out of several.
_PICKERS = QUANTITY_HEADS | {
    "plupart", "partie", "moitié", "majorité", "minorité", "ensemble", "reste", "totalité",
    "série", "foule", "groupe", "dizaine", "douzaine", "quinzaine", "vingtaine", "trentaine",
    "cinquantaine", "centaine", "un", "une", "aucun", "aucune", "chacun", "chacune", "celui",
    "celle", "ceux", "celles",
}  # fmt: skip
_MOST_NOUNS = 5


def _number(token: Token, pattern: str) -> str | None:
    _, numbers = _gender_number(token, pattern)
    return next(iter(numbers)) if len(numbers) == 1 else None


def _noun(token: Token) -> bool:
    """A common noun the rule can read: lowercase, known, not a number or a masked word."""
    return (
        token.kind == "word"
        and token.text[:1].islower()
        and "_" not in token.text
        and token.has(r":N")
        and token.low not in _PICKERS
    )


def _chain_numbers(sentence: list[Token], i: int) -> set[str] | None:
    """The numbers of the nouns and adjectives of the chain ending right before index i, or
    None when the chain cannot be read or holds one noun only."""
    numbers: set[str] = set()
    nouns = 0
    k = i - 1
    while nouns < _MOST_NOUNS:
        while k > 0 and sentence[k].has(r":A") and not sentence[k].has(r":N"):
            number = _number(sentence[k], r":A")
            if number is None:
                return None
            numbers.add(number)
            k -= 1  # "les patients âgés qui"
        if k < 1 or not _noun(sentence[k]):
            return None
        number = _number(sentence[k], r":N")
        if number is None:
            return None
        numbers.add(number)
        nouns += 1
        opener = sentence[k - 1]
        before = sentence[k - 2] if k >= 2 else None
        if opener.low in _LINKS:
            k -= 2  # "de caillots": a bare noun after "de" goes on the noun before
            continue
        if opener.low not in DETERMINERS:
            return None
        if opener.low in _CONTRACTED and before is not None and _noun(before):
            k -= 2  # "la formation des caillots"
            continue
        if (
            before is not None
            and before.low in _LINKS | {"à"}
            and k >= 3
            and (_noun(sentence[k - 3]) or sentence[k - 3].has(r":A"))
        ):
            k -= 3  # "la hauteur de la tour"
            continue
        # the chain's first determiner: what stands before it must not join another noun
        if before is not None and (
            before.low in {"et", "ou", "ni", "&"}
            or before.kind != "word"
            or opener.low in {"aux", "au"}
            or before.has(r":R")
            or (before.has(r":[NA]") and not before.has(r":V"))
        ):
            return None  # "les gens dans le train de nuit qui": a complement of "gens"
        return numbers if nouns > 1 else None
    return None


def rule_chain_number(sentence: list[Token]) -> Iterator[Finding]:
    """ "la hauteur de la tour qui mesurent" → "mesure"."""
    for i, token in enumerate(sentence):
        if token.low != "qui" or i < 4 or sentence[i - 1].kind != "word":
            continue
        numbers = _chain_numbers(sentence, i)
        if numbers is None or len(numbers) != 1:
            continue
        verb = verb_after_qui(sentence, i + 1)
        if verb is None:
            continue
        person = ":3s" if numbers == {"s"} else ":3p"
        other = ":3p" if person == ":3s" else ":3s"
        if not verb.has(_FINITE + other[1:]) or verb.has(_FINITE + person[1:]):
            continue
        fixes = verb_forms(verb.text, person)[:3]
        if fixes:
            word = "singulier" if person == ":3s" else "pluriel"
            yield _finding(
                verb,
                f"Accord : « qui » reprend un nom au {word} ; le verbe s'accorde.",
                fixes,
                "accord_qui_groupe",
            )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, [rule_chain_number])
