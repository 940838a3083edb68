"""Whether an unknown or disputed word stands among names: capitals around it, a first name
then a surname, a subject name before its verb, a sentence's start. A name is not a French
slip, and agreement or accents cannot be judged next to one (french.FrenchChecker)."""

from __future__ import annotations

import re

from canned_replies import unknown_words
from canned_replies.grammalecte_engine import is_valid_word, morphs

_NEXT_WORD = re.compile(r"[\s'’]*([\w-]+)")
# A determiner before a title in quotation marks ("du "Star Spangled Banner"", "le « Monde »").
_QUOTED_TITLE = re.compile(r"\s*[\"«“]\s*[A-Z\u00c0-\u00de]")
_DETERMINERS = frozenset({"le", "la", "les", "l'", "du", "des", "au", "aux", "un", "une"})
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s*|\n\s*)[\"«“(\s]*$")


def around(text: str, start: int, end: int, *, name_after: bool = True) -> bool:
    """True when a finding is on or just before a name or a word in capitals ("la SAR",
    "MISE SUR LE MARCHE", "A partir"): agreement and accents cannot be judged there.
    `name_after=False` for a finding the next word does not decide (a verb's ending: "elle a
    appeler Julie")."""
    span = text[start:end]
    letters = [c for c in span if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    if span.lower() in _DETERMINERS and _QUOTED_TITLE.match(text, end):
        return True
    following = _NEXT_WORD.match(text, end) if name_after else None
    if following is not None:
        word = following.group(1)
        if (len(word) > 1 and word.isupper()) or (
            word[:1].isupper() and not at_sentence_start(text, following.start(1))
        ):
            return True
    return span[:1].isupper() and not at_sentence_start(text, start)


_NAME_AFTER = re.compile(r"[ \t]+[A-Z\u00c0-\u00de][\w'’-]*")


# A first name is seen in English text too ("Lauri", "Sepp": Zipf 2.5); a French slip before a
# name ("Bonjuor Camille", "Aujourdhui Paul") is not (0).
NAME_IN_ENGLISH = 2.0


def name_follows(text: str, end: int) -> bool:
    """True when a capitalised word comes right after ("Lauri Fitz-Pegado", "Sepp Blatter"):
    a first name then a surname, even at the start of a sentence."""
    following = _NAME_AFTER.match(text, end)
    return following is not None and not following.group().strip().isupper()


# A greeting or a common word opening a sentence before a name ("Bonjuor Camille") is
# written this often (Zipf ≥ 4.5); the look-alikes of a first name are rarer ("Fraize
# Campbell": "fraise" 3.5).
NAME_LOOKALIKE = 4.5


def looks_like_a_name(word: str, suggestions: list[str]) -> bool:
    """A capitalised word followed by another, opening a sentence, is a first name unless its
    correction is a common word or only accents apart ("Ca", "Etat")."""
    if not suggestions:
        return True
    fix = suggestions[0].lower()
    if unknown_words.strip_accents(fix) == unknown_words.strip_accents(word.lower()):
        return False
    return unknown_words.zipf(fix) < NAME_LOOKALIKE


_THIRD_PERSON_VERB = re.compile(r":V[^/]*:[IK]\w*:3[sp]")


# Object pronouns and "ne" between a subject and its verb ("Bernier vous rappellera",
# "Dupont ne répond pas"); not "le/la/les", which are determiners as often.
_BEFORE_VERB = frozenset({"ne", "n", "me", "m", "te", "t", "se", "s", "nous", "vous", "lui",
                          "leur", "y", "en"})  # fmt: skip


def verb_follows(text: str, end: int) -> bool:
    """True when a conjugated verb in the third person comes right after, object pronouns
    aside ("Dufresne a déclaré", "Kowalczyk vous rappellera"): the capitalised word before
    is its subject, a name."""
    following = _NEXT_WORD.match(text, end)
    if following is None or end == following.start(1):
        return False
    for _ in range(3):
        word = following.group(1)
        if not word.islower():
            return False
        if word not in _BEFORE_VERB:
            return any(_THIRD_PERSON_VERB.search(m) for m in morphs(word))
        following = _NEXT_WORD.match(text, following.end(1))
        if following is None:
            return False
    return False


def at_sentence_start(text: str, start: int) -> bool:
    return _SENTENCE_START.search(text[:start]) is not None


# Titles before a surname ("madame bernier", "M. guerin"): the word after is a name, whatever
# common word it is one letter from ("dernier", "guérir").
_TITLE_BEFORE = re.compile(
    r"(?:\b(?i:madame|monsieur|mademoiselle|maître|maitre|docteur|professeur)"
    r"|\b(?:Mme|Mlle|Mr|Me|Dr|Pr)\.?|\bM\.)[ \t]+$"
)


def after_title(text: str, start: int, word: str) -> bool:
    """True when a lowercase word follows a title of address: a surname written without its
    capital ("Bonjour madame bernier")."""
    return word.islower() and _TITLE_BEFORE.search(text, max(0, start - 20), start) is not None


_LOWER_WORD = re.compile(r"(?<![\w'’@#/.-])[a-zà-öø-ÿ][a-zà-öø-ÿ]+(?![\w'’@-])")
# Grammalecte's morphology of first names (":M1", with their gender) and cities (":MP…#C");
# not surnames nor brands, many of which are English words ("yes", "free", "apple").
_NAME_MORPH = re.compile(r"^>[^/]*/:(?:M1:|MP:[^/]*#C)")


def lowercase_names(paragraph: str) -> list[tuple[int, int]]:
    """Spans of words written in lowercase that the dictionary knows only as names ("julie",
    "lyon"): chat rarely capitalises them, and Grammalecte reads a name's gender and number
    only from its capital ("Julie est rentré", "Thomas et Léa vient")."""
    spans = []
    for match in _LOWER_WORD.finditer(paragraph):
        word = match.group()
        if morphs(word) or is_valid_word(word):
            continue  # also a common word: "marie", "pierre", "max"
        found = morphs(word[0].upper() + word[1:])
        if found and all(_NAME_MORPH.match(m) for m in found):
            spans.append(match.span())
    return spans


def capitalised(paragraph: str, spans: list[tuple[int, int]]) -> str:
    """The paragraph with those names capitalised (same length, same offsets)."""
    chars = list(paragraph)
    for start, _ in spans:
        chars[start] = chars[start].upper()
    return "".join(chars)


def as_unknown_words(paragraph: str, spans: list[tuple[int, int]]) -> list[dict[str, object]]:
    """Those names as Grammalecte reports an unknown word, so that they are still judged as
    written (a lowercase name: advice)."""
    return [{"sValue": paragraph[s:e], "nStart": s, "nEnd": e} for s, e in spans]
