"""A prefix written apart from its word ("son ex adjoint", "un traitement anti inflammatoire",
"une étude post commercialisation") → joined by a hyphen or closed up (issue 19, hyphens).

- "ex" after a determiner, before a noun or an adjective (never a verb: "mon ex travaille
  ici" is the noun "ex"), or opening an apposition after a comma or a bracket before a noun
  ("Paul, ex président de…") → "ex-" + the word: "ex" is never an adjective standing alone;
- a prefix that is no word of its own before the word it makes one with ("anti", "post",
  "intra", "pseudo", "semi"…): when the dictionary has the joined word, hyphenated or
  closed ("anti-inflammatoire", "minibus"), which is then the suggestion; and for the
  learned prefixes that form adjectives at will ("post ménopausique", "intra procédurale"),
  before an adjective and not after a determiner ("un post intéressant" is the noun) →
  hyphenated.

Grammalecte reads "demi", "sous" and "non" itself (its `tu_préfixe_divers`); compounds of two
words ("beau père") are compounds_apart's advice.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, DETERMINERS, Token, _same_case
from canned_replies.french_words import run_rules
from canned_replies.grammalecte_engine import is_valid_word
from canned_replies.noun_phrases import plain

_BOUND_PREFIXES = {"anti", "post", "intra", "extra", "ultra", "pseudo", "néo", "semi", "multi",
                   "inter", "micro", "mini", "auto", "vice", "mi", "hyper", "maxi",
                   "contre"}  # fmt: skip
# Prefixes that make an adjective of any adjective ("post-ménopausique", "anti-ostéoporotique").
_LEARNED_PREFIXES = {"anti", "post", "intra", "extra", "pseudo", "néo", "semi", "rétro",
                     "péri", "sous"}  # fmt: skip
_RULE = "vigie.prefixe_separe"


def _joined(prefix: str, word: str) -> list[str]:
    """The dictionary's spellings of prefix + word: hyphenated, closed."""
    return [w for w in (f"{prefix}-{word}", f"{prefix}{word}") if is_valid_word(w)]


def _ex_word(token: Token) -> bool:
    """An adjective or participle ("adjoint", "élus"), or a noun that is no finite verb
    ("mari"; "mon ex passe me voir" is the noun "ex" and its verb)."""
    if not plain(token) or token.has(r":[GRWDYBCO]"):
        return False
    return token.has(r":[AQ]") or (token.has(r":N") and not token.has(_CONJUGATED.pattern))


def _learned(sentence: list[Token], i: int) -> bool:
    """A learned prefix at i, not after a determiner, before an adjective that is no noun,
    verb or grammatical word ("post ménopausique", "intra procédurale")."""
    prefix, nxt = sentence[i], sentence[i + 1]
    if prefix.low not in _LEARNED_PREFIXES or (i > 0 and sentence[i - 1].low in DETERMINERS):
        return False
    if prefix.low == "sous":
        return False  # the preposition: "sous cutanés" is read by Grammalecte's own rule
    return nxt.has(r":A") and not nxt.has(r":N|:V|:[GRWDY]")


def rule_prefix_apart(sentence: list[Token]) -> Iterator[Finding]:
    for i, token in enumerate(sentence[:-1]):
        low = token.low
        if token.kind != "word" or (low not in _BOUND_PREFIXES and low != "ex"):
            continue
        nxt = sentence[i + 1]
        if not plain(nxt) or nxt.start - token.end != 1 or nxt.low == "versa":
            continue  # ("vice versa" is written both ways)
        if low == "ex":
            # after a determiner, or a comma or bracket opening an apposition ("Paul, ex
            # président de…"): "ex" before a noun or an adjective is the prefix
            # (a singular role: "ex pommes, poires" lists examples)
            apposition = i > 0 and sentence[i - 1].low in {",", "("} and nxt.has(r":N.*:[si]")
            determiner = i > 0 and sentence[i - 1].low in DETERMINERS and _ex_word(nxt)
            if not (apposition and plain(nxt)) and not determiner:
                continue
            fixes = [f"{token.text}-{nxt.text}"]
        else:
            if low == "contre" and (i == 0 or sentence[i - 1].low not in DETERMINERS):
                continue  # "contre" is a preposition; after a determiner, a prefix
            fixes = [_same_case(token.text, w) for w in _joined(low, nxt.text)]
            if not fixes and _learned(sentence, i):
                fixes = [f"{token.text}-{nxt.text}"]
            if not fixes:
                continue
        yield Finding(
            token.start,
            nxt.end,
            f"Le préfixe « {token.text} » se joint au mot qui le suit : « {fixes[0]} ».",
            fixes,
            _RULE,
            "grammar",
        )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, [rule_prefix_apart])
