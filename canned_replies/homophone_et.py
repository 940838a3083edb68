"""et/est where the clause around it decides, past what homophones.rule_et_est reads.

- "est" between two infinitives of one sentence is the conjunction: "sortir les couverts est
  les assiettes" is caught by homophones; "trébucher sur un obstacle est nous blesser",
  "indiquer, expliquer est définir" → "et" (être never takes a bare infinitive after another
  infinitive's complement; "c'est partir" keeps "c'");
- "est" then a subject pronoun of another person and its verb starts a new clause: "je reste
  dîner est tu sais bien…" → "et" ("est-il", an inversion, is left to the hyphen rule);
- "qui et" then a preposition or an adverb of place: "un ami qui et dans un groupe" → "est"
  (after a noun or pronoun only: "je ne sais pas qui et avec qui" coordinates two questions).

Not kept: "est" then another finite verb in the same clause → "et" ("la presse régionale est
nationale ne cessa…"): on chat outside the development set it fired on run-on sentences
without punctuation ("la france est un pays … observe la langue") and on a misspelt
participle ("il est completement attarde"), 0 of 2.

Measured on mistakes injected into the tuning part's chat sentences
(benchmarks/bench_proofread_synthetic.py --source diabla --kinds et/est) and for precision on
the clean sentences of the tuning part (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, CLITICS, Token, _finding
from canned_replies.homophones import run_rules
from canned_replies.noun_phrases import plain

# Before "est", these make it the verb of "c'est" / "ce n'est": "c'est partir trop tôt".
_BEFORE_VERB_EST = {"c'", "ce", "ça", "cela", "ceci", "n'", "qu'", "qui", "où", "tout"}
# Subject pronouns that cannot be the subject of "est" (3rd person singular).
_OTHER_PERSONS = {"je": ":1s", "j'": ":1s", "tu": ":2s", "nous": ":1p", "ils": ":3p",
                  "elles": ":3p"}  # fmt: skip
_AFTER_QUI_EST = {
    "dans", "à", "au", "aux", "en", "chez", "sur", "sous", "avec", "pour", "contre", "ici", "là",
    "très", "trop", "vraiment", "toujours", "déjà", "encore", "aussi", "souvent",
}  # fmt: skip


def _infinitive(token: Token) -> bool:
    """An infinitive that is nothing else ("blesser", "mettre"; not "dîner", "devoir")."""
    return plain(token) and token.has(r":V[0-3].*:Y") and not token.has(r":[NA]")


def rule_est_infinitive(sentence: list[Token]) -> Iterator[Finding]:
    """ "de trébucher sur un obstacle est nous blesser" → "et"."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.text != "est" or sentence[i - 1].low in _BEFORE_VERB_EST:
            continue
        k = i + 1
        while k < len(sentence) and k <= i + 3 and sentence[k].low in CLITICS - {"ne", "n'"}:
            k += 1
        if k >= len(sentence) or not _infinitive(sentence[k]):
            continue
        if not any(_infinitive(t) for t in sentence[: i - 1]):
            continue
        yield _finding(
            token,
            "Confusion : deux infinitifs coordonnés, la conjonction « et ».",
            ["et"],
            "et_infinitifs",
        )


def rule_est_new_subject(sentence: list[Token]) -> Iterator[Finding]:
    """ "je reste dîner est tu sais bien…" → "et": a subject of another person follows."""
    for i, token in enumerate(sentence[1:-2], start=1):
        if token.text != "est" or sentence[i - 1].low in _BEFORE_VERB_EST:
            continue
        person = _OTHER_PERSONS.get(sentence[i + 1].low)
        if person is None:
            continue
        k = i + 2
        while k < len(sentence) and k <= i + 4 and sentence[k].low in CLITICS:
            k += 1
        if k >= len(sentence):
            continue
        verb = sentence[k]
        if not plain(verb) or not any(
            person in m and (m.find(":V") >= 0) and _CONJUGATED.search(m) for m in verb.morphs
        ):
            continue
        if verb.has(r":3s"):
            continue  # "est tu…" then a form of many persons: not decided here
        yield _finding(
            token,
            "Confusion : une nouvelle proposition commence, la conjonction « et ».",
            ["et"],
            "et_nouveau_sujet",
        )


_QUESTION_WORDS = {"qui", "quoi", "quel", "quelle", "quels", "quelles", "lequel", "laquelle"}


def _antecedent(token: Token) -> bool:
    """A noun or a pronoun that a relative "qui" can follow ("un ami qui", "celui qui"); after
    a verb, "qui" asks a question ("je ne sais pas qui et avec qui")."""
    if token.low in {"celui", "celle", "ceux", "celles", "quelqu'un", "personne", "ce"}:
        return True
    return token.kind == "word" and token.has(r":N") and not token.has(r":V[0-3]")


def rule_qui_et(sentence: list[Token]) -> Iterator[Finding]:
    """ "un ami qui et dans un groupe" → "est"."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if (
            token.text == "et"
            and sentence[i - 1].low == "qui"
            and i >= 2
            and sentence[i + 1].low in _AFTER_QUI_EST
            and _antecedent(sentence[i - 2])
            and not any(t.low in _QUESTION_WORDS for t in sentence[i + 2 : i + 4])
        ):
            yield _finding(token, "Confusion : le verbe être, « est ».", ["est"], "est_qui")


RULES = [rule_est_infinitive, rule_est_new_subject, rule_qui_et]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
