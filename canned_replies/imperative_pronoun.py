"""An imperative and its object pronoun written apart ("coupez le en deux", "Donnez la lui",
"Faites les cuire") → joined by hyphens ("coupez-le", "Donnez-la-lui", "Faites-les").

Grammalecte joins "le"/"la"/"les" after an imperative before "à", "au", an adverb in -ment or
the end of the sentence; it leaves them before "en", "pour" and "lui", and before the infinitive
after "faire" (it reads "laisser" + infinitive itself). There "le"/"la"/"les" cannot be an
article: no noun follows. The imperative opens its clause (the sentence, or after a comma or
"et", "puis"…), so no subject stands before it ("vous coupez le pain" is left; so is "le pain"
after any verb, a noun after the article).

An imperative misspelt before "moi", "toi" or "lui" at its clause's start ("dépèche toi",
"apelle moi", "escusez moi") is one fix too: the first spelling candidate that is an
imperative of a person the pronoun allows ("toi" asks "tu"), joined ("dépêche-toi"), in place
of the spelling finding on the verb alone.

Left: "le pour et le contre" (a noun), an infinitive that is also a noun after "faire" ("Faites
le savoir" reads as "faites le savoir": the knowledge), "la leur" (also the possessive
pronoun), an infinitive after any other verb ("Allez le chercher": the pronoun belongs to the
infinitive, no hyphen).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _same_case
from canned_replies.french_words import Token, run_rules
from canned_replies.grammalecte_engine import is_valid_word, morphs, suggest_spelling
from canned_replies.typo_channel import slip_cost

_OBJECTS = {"le", "la", "les"}
# Words after which a clause, and so an imperative, may open.
_OPENERS = {",", "(", "et", "puis", "alors", "ensuite", "donc", "mais", "ou", "enfin", "sinon"}
_OPENERS |= {"oui", "non", "bon", "ben", "bah", "allez", "eh", "hé", "oh"}  # chat's openers
_RULE = "vigie.imperatif_trait_union"


def _imperative(sentence: list[Token], i: int) -> bool:
    verb = sentence[i]
    if verb.kind != "word" or "-" in verb.text or not verb.has(r":V[0-3][^/]*:E"):
        return False
    if not (verb.text.islower() or (verb.text[:1].isupper() and verb.text[1:].islower())):
        return False
    return i == 0 or sentence[i - 1].low in _OPENERS


def _next_to(first: Token, second: Token) -> bool:
    return second.start - first.end == 1


def rule_imperative_pronoun(sentence: list[Token]) -> Iterator[Finding]:
    for i in range(len(sentence) - 2):
        pronoun, after = sentence[i + 1], sentence[i + 2]
        if pronoun.text not in _OBJECTS or not _imperative(sentence, i):
            continue
        verb = sentence[i]
        if not (_next_to(verb, pronoun) and _next_to(pronoun, after)) or after.kind != "word":
            continue
        end = pronoun.end
        joined = f"{verb.text}-{pronoun.text}"
        if after.low == "lui":
            end, joined = after.end, f"{joined}-lui"  # "Donnez la lui" → "Donnez-la-lui"
        elif after.low == "en":
            pass  # "coupez le en deux": no article stands before "en"
        elif after.low == "pour":
            nxt = sentence[i + 3].low if i + 3 < len(sentence) else ""
            if nxt in {"et", "ou"}:
                continue  # "pesez le pour et le contre": the noun
        elif verb.has(r">faire/") and after.only(r":V[0-3][^/]*:Y"):
            pass  # "Faites les cuire": the object of "faire" + infinitive
        else:
            continue
        yield Finding(
            verb.start,
            end,
            f"Impératif et pronom complément : « {joined} » (trait d’union).",
            [joined],
            _RULE,
            "grammar",
        )


# The imperative persons each pronoun after a verb allows ("nous" and "vous" are left: after
# an unknown word they may be an inversion's subject, "Voulé vous…?").
_PERSONS = {"toi": ":2s", "moi": ":2[sp]", "lui": ":[12][sp]"}


def _imperative_spelt(word: str, pronoun: str) -> str | None:
    """The first spelling candidate of an unknown word that is an imperative of a person the
    pronoun after it allows, one slip away ("Bisouus toi" is no "Dissous-toi")."""
    pattern = r":V[0-3][^/]*:E" + _PERSONS[pronoun]
    for candidate in suggest_spelling(word, limit=8):
        if any(re.search(pattern, m) for m in morphs(candidate)):
            return candidate if slip_cost(word.lower(), candidate.lower()) <= 1.0 else None
    return None


def rule_misspelt_imperative(sentence: list[Token]) -> Iterator[Finding]:
    for i in range(len(sentence) - 1):
        verb, pronoun = sentence[i], sentence[i + 1]
        if pronoun.text not in _PERSONS or not _next_to(verb, pronoun):
            continue
        if verb.kind != "word" or "_" in verb.text or not verb.text.isalpha():
            continue
        if not (verb.text.islower() or (i == 0 and verb.text[1:].islower())):
            continue
        if (i > 0 and sentence[i - 1].low not in _OPENERS) or is_valid_word(verb.text):
            continue
        fixed = _imperative_spelt(verb.text, pronoun.text)
        if fixed is None:
            continue
        joined = f"{_same_case(verb.text, fixed)}-{pronoun.text}"
        yield Finding(
            verb.start,
            pronoun.end,
            f"Impératif mal orthographié et pronom : « {joined} ».",
            [joined],
            _RULE,
            "grammar",
        )


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, [rule_imperative_pronoun, rule_misspelt_imperative])
