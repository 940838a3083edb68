"""An -er infinitive for the participle after "c'est" opening a clause: "C'est compliquer" →
"compliqué", "Si ce n'est pas préciser dans le contrat" → "précisé", "c'était indiquer sur le
site" → "indiqué".

"c'est" + an infinitive is French in a pseudo-cleft, where the infinitive names what came
before: "Aimer, c'est donner", "Le but, c'est gagner", "Ce que je veux, c'est appeler". So
only a "c'est" that opens its clause is read (the sentence's start, or after a conjunction
or "que": nothing before it for the infinitive to name), and the infinitive must end the
clause or be followed by a preposition of place, means or time ("dans le contrat", "sur le
site", "par mail"): an object or "à"/"de" after it may still be an infinitive's own
complement ("c'est donner à manger"), and "qui"/"que" after it a cleft ("ce n'est pas
manger qui compte"). A word that is also a noun or an adjective ("c'est léger") is left.

Written from French grammar on Grammalecte's morphology, tested on sentences written for
tests/canned_replies/test_cest_participle.py; precision read on the tuning part's clean
sentences (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import Token, run_rules
from canned_replies.noun_phrases import plain
from canned_replies.verb_endings import participle_after

# What may stand before "c'est" in a clause that it opens.
_OPENERS = {
    "que", "qu'", "mais", "et", "car", "donc", "si", "s'", "alors", "oui", "non", "bon", "ben",
    "bah", "ok", "puisque", "puisqu'", "lorsque", "lorsqu'", "quand", "comme", "parce",
    "sinon", "enfin", "bref", "ah", "oh", "hélas", "franchement", "vraiment",
}  # fmt: skip
_ETRE = {"est", "était", "sera", "serait"}
_BETWEEN = {"pas", "plus", "jamais", "bien", "très", "trop", "vraiment", "encore", "déjà",
            "toujours", "tout", "si", "assez", "super", "hyper", "souvent"}  # fmt: skip
_AFTER = {"dans", "sur", "par", "en", "pour", "avec", "depuis", "sans", "selon", "chez",
          "ici", "là", "maintenant", "hier", "demain", "aujourd'hui", "ce", "cette"}  # fmt: skip


def _opens_clause(sentence: list[Token], c: int) -> bool:
    """A word that opens a clause right before "c'"/"ce" at c ("je pense que c'est"), or
    nothing before it but such words and commas ("Oui, c'est")."""
    if c > 0 and sentence[c - 1].low in _OPENERS:
        return True
    return all(t.low in _OPENERS or (t.text == "," and k > 0) for k, t in enumerate(sentence[:c]))


def _after_ok(sentence: list[Token], k: int) -> bool:
    if k >= len(sentence):
        return True
    following = sentence[k]
    if following.kind == "punct":
        return following.text[:1] in ".!?…;:,)"
    return following.low in _AFTER


def rule_cest_infinitive(sentence: list[Token]) -> Iterator[Finding]:
    for c, token in enumerate(sentence[:-2]):
        if token.low not in {"c'", "ce"} or not _opens_clause(sentence, c):
            continue
        k = c + 1
        if token.low == "ce" and sentence[k].low == "n'":
            k += 1
        elif token.low == "ce":
            continue  # "ce" before a noun or "qui"
        if k >= len(sentence) or sentence[k].low not in _ETRE:
            continue
        k += 1
        while k < len(sentence) and sentence[k].low in _BETWEEN:
            k += 1
        if k >= len(sentence):
            continue
        word = sentence[k]
        if not (plain(word) and word.low.endswith("er") and word.only(r":V1.*:Y")):
            continue
        if _after_ok(sentence, k + 1):
            yield from participle_after(word, "c’est", {"m"}, {"s"}, "cest_participe")


def check(paragraph: str) -> list[Finding]:
    """Findings on an already masked paragraph."""
    return run_rules(paragraph, [rule_cest_infinitive])
