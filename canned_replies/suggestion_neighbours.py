"""The gender and number a typo's correction takes from the word beside it, when the
candidates are forms of one word ("les patientss âgées" → "patientes", not "patients";
"Saignements majeus" → "majeurs"; "insuffisans rénaux" → "insuffisants"):

- the word after, when it is only an adjective or a participle of one gender and number: the
  correction is the noun (or adjective) it describes; when it is only a common noun, the
  correction is its adjective ("de fausss exportations" → "fausses");
- else the word before, when it is only a noun of one gender and number and not the noun of
  a complement ("Recours en cassation rejetté"): the correction is its adjective.

"e" (either gender) and "i" (either number) leave that part open. An adjective that is also a
present participle ("important", from "importer") agrees: the participle is no way out
("affluence importane" → "importante"). Used by suggestion_context
to order spelling suggestions; whether a word blocks never depends on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from canned_replies.grammalecte_engine import morphs

_WORD_AT = re.compile(r"[^\W\d_][\w'’-]*")
_NEXT_WORD = re.compile(r"\s+([^\W\d_][\w-]*)")
_PREVIOUS_WORD = re.compile(r"([^\W\d_][\w-]*)\s+$")
_PREPOSITIONS = {"de", "d", "du", "des", "en", "à", "au", "aux", "par", "pour", "sur", "avec",
                 "sans", "dans", "sous", "chez", "entre", "contre", "vers"}  # fmt: skip
_GENDER = re.compile(r":([mfe])(?=[:/#;]|$)")
_NUMBER = re.compile(r":([spi])(?=[:/#;]|$)")


def _one_form(found: Sequence[str]) -> tuple[str, str] | None:
    """The one (gender, number) all the morphologies say, or None."""
    genders = {g.group(1) for m in found if (g := _GENDER.search(m))}
    numbers = {n.group(1) for m in found if (n := _NUMBER.search(m))}
    if len(genders) != 1 or len(numbers) != 1:
        return None
    return next(iter(genders)), next(iter(numbers))


def _describer(word: str) -> tuple[str, str] | None:
    """An adjective or participle only ("âgées", "rénaux"), with its gender and number."""
    found = morphs(word)
    if not found or not all(re.search(r"/:(?:A|V[^/]*:Q)", m) for m in found):
        return None
    if any(re.search(r":(?:Ip|Iq|Is|If|K|S|E|Y|N:)", m) for m in found):
        return None
    return _one_form(found)


def _noun(word: str) -> tuple[str, str] | None:
    """A noun only ("Indications", "Saignements"), with its gender and number."""
    found = morphs(word)
    if not found or not all(re.search(r"/:N:[mfe]", m) for m in found):
        return None
    return _one_form(found)


_DECLINED = re.compile(r"/:[NA]|:Q")
# a noun written as one (not a name, not an elided "d'")
_COMMON_NOUN = re.compile(r"[^\W\d_A-ZÀ-Þ][^\W\d_]+")
_PARTICIPLE = re.compile(r":V[^/]*:P(?:[:/#;]|$)")


def _takes(gender: str, number: str) -> Callable[[str], bool]:
    """Agrees, or has a reading that is no noun, adjective nor participle: a verb or a
    preposition is another reading of the slip, which the neighbour does not decide
    ("représentz la somme", "pout les canards", "vres quelle direction")."""
    g = "[mfe]" if gender == "e" else f"[{gender}e]"
    n = "[spi]" if number == "i" else f"[{number}i]"
    pattern = re.compile(rf"/:[NA][^/]*:{g}:{n}(?:[:/#;]|$)|:Q[^/]*:{g}:{n}(?:[:/#;]|$)")

    def test(candidate: str) -> bool:
        found = morphs(candidate)
        other = [m for m in found if not _DECLINED.search(m)]
        if not found or len(other) == len(found):
            return True  # a verb form or a grammatical word only: "ayant", "pour"
        if any(not _PARTICIPLE.search(m) for m in other):
            return True  # also a verb form or a grammatical word: "forme", "vers"
        # an adjective that is also a present participle agrees: "hémorragie importante"
        return any(pattern.search(m) for m in found)

    return test


def agreeing(text: str, start: int, candidates: Sequence[str]) -> Callable[[str], bool] | None:
    """The test a candidate must pass to agree with the word beside the typo at `start`, or
    None when neither neighbour decides or every candidate passes or fails alike."""
    word = _WORD_AT.match(text, start)
    if word is None or len(candidates) < 2:
        return None
    after = _NEXT_WORD.match(text, word.end())
    form = _describer(after.group(1).lower()) if after is not None else None
    # the noun before decides only when the typo ends its phrase: a noun after it would be
    # the one it describes ("certais clichés")
    noun_after = after is not None and any("/:N" in m for m in morphs(after.group(1).lower()))
    if form is None and noun_after and after is not None:
        if _COMMON_NOUN.fullmatch(after.group(1)) and not text.startswith(("'", "’"), after.end()):
            form = _noun(after.group(1))  # an adjective before its noun: "fausses factures"
    elif form is None:
        before = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
        ahead = _PREVIOUS_WORD.search(text, max(0, start - 80), before.start()) if before else None
        if before is not None and not (ahead and ahead.group(1).lower() in _PREPOSITIONS):
            form = _noun(before.group(1).lower())  # not a complement's noun: "en cassation"
    if form is None:
        return None
    test = _takes(*form)
    passing = [c for c in candidates if test(c)]
    return test if passing and len(passing) < len(candidates) else None
