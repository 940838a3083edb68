""" "tout", "toute", "tous", "toutes" before a determined noun phrase agree with it ("toute les
soirs" → "tous", "tous la journée" → "toute", "tout l'équipe" → "toute"; issue 19, agreement).

Before a determiner, "tout" is the noun phrase's own predeterminer: its number is the
determiner's, its gender the determiner's or, after one that shows none ("les", "l'", "mon"),
the noun's when the lexicon gives it only one. `agreed_form` is that form; suggestion_clause
puts it first in Grammalecte's findings on these words (which offer "toutes" for "toute les
soirs"), and `check` reports the phrases Grammalecte leaves.

"tous" and "toutes" may also be a pronoun floating after a plural subject or object ("ils ont
tous la grippe", "elles ont toutes les yeux bleus"): those are left when a verb, an object
pronoun or an adverb comes right before and a plural word earlier in the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import (
    DETERMINERS_PLUR,
    FEMININE_DETERMINERS,
    Token,
    _finding,
    _same_case,
    run_rules,
)
from canned_replies.grammalecte_engine import morphs

FORMS = {("m", "s"): "tout", ("f", "s"): "toute", ("m", "p"): "tous", ("f", "p"): "toutes"}
_SINGULAR = frozenset({"le", "la", "l'", "un", "une", "ce", "cet", "cette", "mon", "ma", "ton",
                       "ta", "son", "sa", "notre", "votre", "leur"})  # fmt: skip
# "des", "aux": "tous des voleurs" is the floating pronoun before an attribute.
_PLURAL = frozenset(DETERMINERS_PLUR - {"des", "aux"})
_MASCULINE = frozenset({"le", "un", "ce", "cet"})
_WORDS = re.compile(r"[\s\u00a0\u202f]*([^\W\d_]+['’]?)")
_NOUN = re.compile(r":N[^/]*:([mfe]):([spi])")


def _noun_genders(words: list[str], number: str) -> set[str] | None:
    """The genders of the first noun among `words` (adjectives before it skipped), or None
    when no noun comes. Before "de" the noun may be a word of degree or insult whose
    complement decides ("tous ces putains de fainéants"): its gender says nothing."""
    for k, word in enumerate(words):
        found = morphs(word) if word.isalpha() else ()
        nouns = {g for m in found for g, n in _NOUN.findall(m) if n in {number, "i"}}
        if nouns:
            before_de = k + 1 < len(words) and words[k + 1].lower() in {"de", "d'", "d’"}
            return {"m", "f"} if before_de else nouns
        if not any(":A" in m for m in found):
            return None  # neither noun nor adjective: no phrase
    return None


def agreed_form(determiner: str, following: list[str]) -> str | None:
    """The form of "tout" the determiner and the words after it ask, or None."""
    det = determiner.lower().replace("’", "'")
    if det in _PLURAL:
        number = "p"
    elif det in _SINGULAR:
        number = "s"
    else:
        return None
    nouns = _noun_genders(following[:4], number)
    if nouns is None:
        return None  # no noun phrase after the determiner ("tout la remettre")
    shown = "f" if det in FEMININE_DETERMINERS else "m" if det in _MASCULINE else None
    if shown is not None and shown not in nouns | {"e"}:
        return None  # the determiner and the noun disagree: another slip
    gender = shown or (next(iter(nouns)) if len(nouns) == 1 and nouns != {"e"} else None)
    return FORMS[(gender, number)] if gender is not None else None


def agreed_at(text: str, end: int) -> str | None:
    """The form of "tout" the noun phrase right after `end` asks, or None."""
    words: list[str] = []
    pos = end
    while len(words) < 4:
        match = _WORDS.match(text, pos)
        if match is None:
            break
        words.append(match.group(1))
        pos = match.end()
    return agreed_form(words[0], words[1:]) if words else None


def _floating(sentence: list[Token], i: int) -> bool:
    """ "tous"/"toutes" as a pronoun: right after a verb, an object pronoun or an adverb
    ("ils ont tous", "je vous remercie tous", "ont bien tous"), with a plural word earlier
    that may be what it stands for."""
    if i == 0 or sentence[i - 1].kind != "word":
        return False
    prev = sentence[i - 1]
    if not (prev.has(r":[VW]") or prev.low in {"nous", "vous", "les", "leur", "eux"}):
        return False
    return any(t.kind == "word" and t.has(r":p(?:[:/;]|$)") for t in sentence[:i])


# "avant tout", "après tout": adverbs ("vise avant tout les grandes entreprises").
_TOUT_LOCUTIONS = frozenset({"avant", "après"})


def rule_tout_agrees(sentence: list[Token]) -> Iterator[Finding]:
    """ "toute les soirs" → "tous", "tous la journée" → "toute"."""
    for i, token in enumerate(sentence[:-2]):
        if token.low not in FORMS.values() or sentence[i + 1].kind == "punct":
            continue
        following = [t.text for t in sentence[i + 2 : i + 5] if t.kind == "word"]
        form = agreed_form(sentence[i + 1].low, following)
        if form is None or form == token.low:
            continue
        if token.low in {"tous", "toutes"} and _floating(sentence, i):
            continue  # "ils ont tous la grippe": the pronoun after its plural antecedent
        if token.low == "tout" and i > 0 and sentence[i - 1].low in _TOUT_LOCUTIONS:
            continue  # "c'est avant tout la gestion", "après tout": an adverb, not a determiner
        yield _finding(
            token,
            f"Accord : « {form} » s’accorde avec le groupe nominal qui suit.",
            [_same_case(token.text, form)],
            "accord_tout_determinant",
        )


def check(text: str) -> list[Finding]:
    """The findings of this module's rule on an already masked paragraph."""
    return run_rules(text, [rule_tout_agrees])
