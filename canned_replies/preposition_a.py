""" "a" where only the preposition "à" fits (issue 19, homophones; homophone_a and
Grammalecte read the verbs and locutions that ask for "à"):

- before a stressed pronoun ("bon voyage a vous", "c'est a moi", "pense a eux"): the verb
  "a" never stands right before "moi/toi/vous/nous/eux" ("il vous a", "il y a vous" aside);
- before "être" or "avoir" ("apprendre a être patient"): Grammalecte's infinitive reading
  skips them, as they are nouns too ("un être"); the verb "a" is never followed by them;
- after a complete verb group, an auxiliary and its participle ("ça s'est passé a l'époque",
  "j'ai mangé a la cantine"): the clause has its verb, so "a" is no second one; quiet when a
  relative or "que" came before ("le livre que j'ai lu a une couverture": "a" is the verb of
  the main clause);
- before a city's name ("le voyage a Pékin", "un appart a Bordeaux"): the verb "a" is almost
  never followed by a bare place name; names that are also first names or surnames
  ("Nancy", "Florence") are left, and so is "avoir" + a place + "pour"/"comme" ("la marque a
  Paris pour siège").
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.auxiliary_forms import AVOIR_FORMS, ETRE_AUXILIARY
from canned_replies.findings import Finding
from canned_replies.french_rules import Token, _finding, _same_case
from canned_replies.french_words import run_rules
from canned_replies.noun_phrases import plain

_STRESSED = {"moi", "toi", "vous", "nous", "eux"}
_AUXILIARIES = AVOIR_FORMS | ETRE_AUXILIARY
_RELATIVES = {"que", "qu'", "qui", "dont", "où", "lequel", "laquelle", "lesquels",
              "lesquelles", "quoi"}  # fmt: skip
_MESSAGE = "Confusion : la préposition « à », pas le verbe avoir."


def _participle(token: Token) -> bool:
    """A past participle, possibly also an adjective or a noun ("passé", "mangé")."""
    return plain(token) and token.has(r":V[0-3].*:Q") and not token.has(r":G:D")


def _after_verb_group(sentence: list[Token], i: int) -> bool:
    """An auxiliary (or an inverted one, "s'est-il") and a participle right before i, and no
    relative or "que" before them."""
    if i < 2 or not _participle(sentence[i - 1]):
        return False
    aux = sentence[i - 2]
    inverted = "-" in aux.text and aux.low.split("-")[0] in _AUXILIARIES
    if aux.low not in _AUXILIARIES and not inverted:
        return False
    if aux.low in {"a", "est"} and (i < 3 or sentence[i - 3].kind == "punct"):
        return False  # "A mangé a…": a title or a verb without its subject; left
    first = 1 if sentence[0].low in {"que", "qu'"} else 0  # "Que s'est-il passé…": a question
    return not any(t.low in _RELATIVES for t in sentence[first : i - 2])


def _city(token: Token) -> bool:
    """A capitalised city name of the dictionary (":MP…#C"), not a person's name too."""
    return (
        token.kind == "word"
        and token.text[:1].isupper()
        and token.has(r":MP.*#C")
        and not token.has(r":M[12]")
    )


def rule_a_preposition(sentence: list[Token]) -> Iterator[Finding]:
    for i, token in enumerate(sentence[:-1]):
        if token.text not in {"a", "A"} or token.kind != "word":
            continue
        nxt = sentence[i + 1]
        prev = sentence[i - 1] if i > 0 else None
        if nxt.low in _STRESSED:
            if prev is not None and prev.low in {"y", "n'", "l'", "m'", "t'"}:
                continue  # "il y a vous et moi", "qui n'a que…"
            if i + 2 < len(sentence) and sentence[i + 2].text.startswith("-"):
                continue
        elif nxt.low in {"être", "avoir"}:
            pass
        elif token.text == "a" and _city(nxt):
            if i + 2 < len(sentence) and sentence[i + 2].low in {"pour", "comme"}:
                continue
        elif not _after_verb_group(sentence, i):
            continue
        yield _finding(token, _MESSAGE, [_same_case(token.text, "à")], "a_preposition_seule")


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, [rule_a_preposition])
