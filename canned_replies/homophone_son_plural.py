""" "son" for "sont" before a plural adjective or participle, even past an adverb ("les
cyclistes son très vulnérables", "les bénéfices son supérieurs aux risques") → "sont" (issue
19, homophones).

The possessive "son" opens a singular noun phrase: it is never followed by a word that can only
be plural, nor by an adverb of the verb and then such a word. homophones_by_verb reads the word
right after "son" when it is a participle, an adverb of the verb or a plural-only adjective
that is no noun; this module also reads plural adjectives that are nouns too ("supérieurs",
"malades") and those after a degree adverb ("très", "plus", "déjà"…), when a plural subject
can come before "son": a plural determiner or "ils"/"elles" earlier in the sentence, and right
before "son" a word that can end a noun phrase (a noun, an adjective, a name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import DETERMINERS, Token, _finding, _same_case
from canned_replies.french_words import DETERMINERS_PLUR, run_rules

# Adverbs between "être" and its attribute ("sont très", "sont déjà", "sont d'abord" is left).
_ADVERBS = {
    "très", "plus", "moins", "si", "trop", "aussi", "assez", "bien", "tellement", "vraiment",
    "presque", "souvent", "toujours", "déjà", "encore", "donc", "alors", "parfois", "rarement",
    "généralement", "également", "particulièrement", "extrêmement", "relativement", "tous",
    "toutes", "pas", "jamais", "soit", "ni", "enfin", "peut-être", "forcément", "bientôt",
    "désormais",
}  # fmt: skip
_PLURAL = re.compile(r":p(?:/|$)")
PLURAL_DETERMINERS = DETERMINERS_PLUR - {"leurs"}  # "leurs" is also a pronoun


def _plural_describer(token: Token) -> bool:
    """An adjective or participle in lowercase whose every reading is plural."""
    return (
        token.kind == "word"
        and token.text.islower()
        and token.has(r":[AQ]")
        and all(_PLURAL.search(m) for m in token.morphs)
    )


def _plural_subject_before(sentence: list[Token], i: int) -> bool:
    """A plural subject can end right before i: "ils"/"elles", or a noun, adjective or name
    ("les bénéfices du produit son…", "les cadeaux pour Noël son…") after a plural
    determiner."""
    prev = sentence[i - 1]
    if prev.low in {"ils", "elles"}:
        return True
    if prev.kind != "word" or prev.low in DETERMINERS:
        return False
    if not (prev.text[:1].isupper() or prev.has(r":[NA]")):
        return False
    return any(t.low in PLURAL_DETERMINERS for t in sentence[: i - 1])


def rule_son_before_plural(sentence: list[Token]) -> Iterator[Finding]:
    for i in range(1, len(sentence) - 1):
        token = sentence[i]
        if token.text != "son" or not _plural_subject_before(sentence, i):
            continue
        j = i + 1
        if sentence[j].low in _ADVERBS:
            j += 1
        if j < len(sentence) and _plural_describer(sentence[j]):
            yield _finding(
                token,
                "Confusion : le verbe être, « sont », devant un attribut au pluriel.",
                [_same_case(token.text, "sont")],
                "sont_attribut_pluriel",
            )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, [rule_son_before_plural])
