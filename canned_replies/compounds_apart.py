"""Compounds the dictionary knows written as two words: advice, but for "ci".

Two known words, the second a noun and nothing else, whose hyphenated form is a noun or
adjective of the dictionary ("beau père", "franc maçon" → "beau-père", "franc-maçon").
words_apart does this when the first word is unknown ("musculo squelettiques"); Grammalecte
does it for pronouns, "-ci"/"-là", locutions and some nouns ("moi même", "ce jour là", "là
bas", "coffre fort"). Left: a first word of a class that makes a phrase with the next word
("en cas", "sous forme", "à côté", "quatre heures"), and a second word that may be an
adjective ("en temps réel", "une balle molle": a phrase of its own, like "procès verbal").
"ci" and the word after it are the one compound that blocks ("ci joint", "ci après" →
"ci-joint", "ci-après"; Grammalecte does "ci-dessous"): "ci" is no word of its own. Others
are advice only: an adjective then a noun is also a phrase ("des petits enfants jouent"), and
two nouns in apposition are written apart in use ("mot clé", "date limite").
That advice is given only in a paragraph that speaks as or to someone (a first or second
person pronoun or possessive: chat, a reply): on news and Wikipedia text it was right 1 time
in 7 (adjective + noun phrases, names of things), in chat 8 times in 9 ("grand mère").

Not the reverse (a hyphenated word the dictionary lacks whose parts glued make a word it
knows, "super-marché"): on the tuning part 1 of 8 was a mistake ("rétro-commissions",
"intra-musculaire" are spellings in use).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from canned_replies.findings import Finding
from canned_replies.french_words import Token, _same_case, tokenize
from canned_replies.french_words import sentences as _sentences
from canned_replies.grammalecte_engine import morphs

# Word classes that make a phrase with the next word: prepositions, determiners, pronouns,
# numbers, adverbs, conjunctions, locution parts, interjections.
_PHRASE_CLASSES = r":R|:D|:O|:B|:W|:G|:C|:L|:J|:X|:Y"
# A writer speaking as "je"/"nous" or to "tu"/"vous" (a reply speaks for its company): the
# register where compounds are typed apart.
_PERSONAL = frozenset(
    {"je", "j'", "tu", "t'", "vous", "moi", "toi", "me", "m'", "te"}
    | {"votre", "vos", "ton", "ta", "tes", "mon", "ma", "mes", "notre", "nos"}
)
_MESSAGE = "Mot composé : « {words} » s’écrit « {compound} »."


def _word(token: Token) -> bool:
    return token.kind == "word" and "_" not in token.text and token.text.isalpha()


def _compound(first: Token, second: Token) -> str | None:
    """The dictionary's noun or adjective spelt first-second (any word after "ci"), in the
    writer's case."""
    if not second.text.islower() or len(first.text) < 2 or len(second.text) < 2:
        return None
    joined = f"{first.low}-{second.text}"
    if not any(":N" in m or ":A" in m or first.low == "ci" for m in morphs(joined)):
        return None
    return _same_case(first.text, joined)


def _apart(sentence: list[Token], personal: bool) -> Iterator[Finding]:
    for i, (first, second) in enumerate(pairwise(sentence)):
        if not (_word(first) and _word(second)) or second.start != first.end + 1:
            continue
        if first.text[:1].isupper() and (i > 0 or not first.text[1:].islower()):
            continue  # a name ("Porto Ricains", "Grand Duché") or a title
        here = first.low == "ci"  # never a word alone but in "comme ci comme ça"
        if not here and not personal:
            continue
        if not here and (first.has(_PHRASE_CLASSES) or not first.morphs or not second.only(r":N")):
            continue  # a noun then its adjective is a phrase too ("en temps réel")
        joined = _compound(first, second)
        if joined is None:
            continue
        words = f"{first.text} {second.text}"
        message = _MESSAGE.format(words=words, compound=joined)
        yield Finding(first.start, second.end, message, [joined], "vigie.mot_compose_separe",
                      "spelling", blocking=here)  # fmt: skip


def check(paragraph: str) -> list[Finding]:
    """Advice on each compound written apart in an already masked paragraph."""
    sentences = list(_sentences(tokenize(paragraph)))
    personal = any(token.low in _PERSONAL for sentence in sentences for token in sentence)
    return [found for sentence in sentences for found in _apart(sentence, personal)]
