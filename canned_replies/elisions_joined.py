"""An elision joined to the next word without its apostrophe, where the joined word is a word
of its own or looks like a name, so spelling lets it pass (issue 19, apostrophes):

- "sil"/"sils" (a clay, rarely written) before what only a subject takes: a conjugated
  verb of its number, "ne", an object pronoun ("sil vous plaît", "sil faut", "sils
  viennent") → "s'il", "s'ils"; not after a determiner or an adjective ("le sil ocre");
- "dune" (a sand dune) before a feminine or epicene singular noun, where a noun phrase
  cannot stand: not after a determiner, an adjective or a preposition ("au sujet dune
  commande", "parle dune voix" → "d'une"; "sur la dune", "en dune haute" stay);
- an elision joined to a capitalised name ("dEdgar", "lEurope", "dAngiox" → "d'Edgar",
  "l'Europe"): the rest is a name or noun of the lexicon, or written alone elsewhere in the
  text, and starts with a vowel or "h";
- an elision joined to an acronym that starts with a vowel ("lICP", "dURSSAF" → "l'ICP"):
  three capitals or more, or two written alone elsewhere or known to the lexicon ("lUE").

Lowercase "dun", "jai", "lhoraire" are unknown words: spelling_candidates.elided offers them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import Token, sentences, tokenize
from canned_replies.grammalecte_engine import is_valid_word, morphs
from canned_replies.spelling_candidates import ELISIONS
from canned_replies.subject_pronoun import OBJECTS_BEFORE_VERB

RULE = "vigie.elision_collee"
MESSAGE = "Apostrophe : « {typed} » s’écrit « {fixed} »."
_SIL_PERSON = {"sil": ":3s", "sils": ":3p"}
_FINITE = re.compile(r":V[^/]*:(?:Ip|Iq|Is|If|K)")
_NOUN_FEMININE_SINGULAR = re.compile(r":N[^/]*:[fe]:[si](?:[:/;]|$)")
# Before the noun "dune": a determiner, a preposition ("en"), an adjective that is no noun
# ("haute dune"; "au sujet dune" is a noun).
_NOUN_SLOT = re.compile(r":[DR]|:Os")
_JOINED_NAME = re.compile(
    r"^(qu|[cdjlmnst])([AEIOUYHÀÂÄÉÈÊËÎÏÔÖÛÜŒ][a-zà-öø-ÿœ]{2,}(?:-[A-Za-zÀ-ÿ]+)*)$"
)
# "lICP", "dURSSAF": an acronym read as a word or spelt from a vowel, after "d", "l", "qu".
_JOINED_ACRONYM = re.compile(r"^(qu|[dl])([AEIOU][A-Z]{1,6})$")
_ASKS = dict(ELISIONS)


def _finding(token: Token, fixed: str) -> Finding:
    return Finding(
        start=token.start,
        end=token.end,
        message=MESSAGE.format(typed=token.text, fixed=fixed),
        suggestions=[fixed],
        rule=RULE,
        kind="grammar",
    )


def _opens_phrase_slot(before: Token | None) -> bool:
    """Whether the word before admits the noun itself: a determiner, adjective, preposition."""
    if before is None or before.kind != "word":
        return False
    adjective = before.has(r":A") and not before.has(r":[NV]")
    return adjective or before.has(_NOUN_SLOT.pattern)


def _sil(sentence: list[Token], i: int) -> str | None:
    token = sentence[i]
    if token.low not in _SIL_PERSON or i + 1 >= len(sentence):
        return None
    if not (token.text.islower() or (i == 0 and token.text[1:].islower())):
        return None  # "Sil" inside a sentence: a name
    if _opens_phrase_slot(sentence[i - 1] if i > 0 else None):
        return None
    after = sentence[i + 1]
    person = _SIL_PERSON[token.low]
    verb = after.kind == "word" and any(_FINITE.search(m) and person in m for m in after.morphs)
    if after.low not in OBJECTS_BEFORE_VERB and not verb:
        return None
    return token.text[0] + "'" + token.text[1:]


def _dune(sentence: list[Token], i: int) -> str | None:
    token = sentence[i]
    if token.text != "dune" or i + 1 >= len(sentence) or i == 0:
        return None
    before, after = sentence[i - 1], sentence[i + 1]
    if before.kind != "word" or _opens_phrase_slot(before):
        return None
    if after.kind != "word" or not after.text.islower():
        return None
    if not any(_NOUN_FEMININE_SINGULAR.search(m) for m in after.morphs):
        return None
    return "d'une"


def _acronym(text: str, token: Token) -> str | None:
    """ "lICP" → "l'ICP": an acronym of three capitals or more, or of two that is written
    alone elsewhere in the text or is a word of the lexicon ("lUE")."""
    match = _JOINED_ACRONYM.match(token.text)
    if match is None or is_valid_word(token.text):
        return None
    letter, rest = match.group(1), match.group(2)
    if len(rest) < 3 and not morphs(rest) and not re.search(rf"(?<!\w){rest}(?!\w)", text):
        return None  # "lOK": two capitals alone may be a brand's or unit's spelling
    return f"{letter}'{rest}"


def _name(text: str, token: Token) -> str | None:
    match = _JOINED_NAME.match(token.text)
    if match is None or is_valid_word(token.text):
        return None
    letter, rest = match.group(1), match.group(2)
    found = morphs(rest) + morphs(rest.lower())
    if found:
        if not any(re.search(_ASKS[letter], m) for m in found):
            return None
    elif letter not in {"d", "l", "qu"} or not re.search(rf"(?<![\w'’]){re.escape(rest)}\b", text):
        return None  # an unknown rest: a name only when the text writes it alone
    return f"{letter}'{rest}"


def check(text: str) -> list[Finding]:
    """Blocking findings on joined elisions, on a masked paragraph."""
    return list(_findings(text))


def _findings(text: str) -> Iterator[Finding]:
    for sentence in sentences(tokenize(text)):
        for i, token in enumerate(sentence):
            if token.kind != "word":
                continue
            fixed = (
                _sil(sentence, i)
                or _dune(sentence, i)
                or _name(text, token)
                or _acronym(text, token)
            )
            if fixed is not None:
                yield _finding(token, fixed)
