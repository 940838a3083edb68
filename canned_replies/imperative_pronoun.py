"""An imperative and its object pronoun written apart ("coupez le en deux", "Donnez la lui",
"Faites les cuire") → joined by hyphens ("coupez-le", "Donnez-la-lui", "Faites-les").

Grammalecte joins "le"/"la"/"les" after an imperative before "à", "au", an adverb in -ment or
the end of the sentence; it leaves them before "en", "pour" and "lui", and before the infinitive
after "faire" (it reads "laisser" + infinitive itself). There "le"/"la"/"les" cannot be an
article: no noun follows. The imperative opens its clause (the sentence, or after a comma or
"et", "puis"…), so no subject stands before it ("vous coupez le pain" is left; so is "le pain"
after any verb, a noun after the article).

Left: "le pour et le contre" (a noun), an infinitive that is also a noun after "faire" ("Faites
le savoir" reads as "faites le savoir": the knowledge), "la leur" (also the possessive
pronoun), an infinitive after any other verb ("Allez le chercher": the pronoun belongs to the
infinitive, no hyphen).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import Token, run_rules

_OBJECTS = {"le", "la", "les"}
# Words after which a clause, and so an imperative, may open.
_OPENERS = {",", "(", "et", "puis", "alors", "ensuite", "donc", "mais", "ou", "enfin", "sinon"}
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


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, [rule_imperative_pronoun])
