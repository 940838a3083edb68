"""Noun phrases read from Grammalecte's morphology: a determiner, its noun, the adjectives and
the complements after it ("le montant des fausses factures"), the genders and numbers each
noun allows, and where a sentence's subject may start. The agreement and homophone rules
(context_rules, verb_agreement) read their contexts through this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from canned_replies.french_rules import (
    _CONJUGATED,
    ADVERBS_IN_VERB_GROUP,
    DETERMINERS,
    DETERMINERS_PLUR,
    DETERMINERS_SING,
    FEMININE_DETERMINERS,
    GREETINGS,
    Token,
    _gender_number,
)
from canned_replies.grammalecte_engine import engine
from canned_replies.typo_channel import slip_cost
from canned_replies.unknown_words import zipf


@dataclass
class Phrase:
    """A noun phrase: its nouns (head first) with the genders and numbers each allows."""

    nouns: list[tuple[Token, set[str], set[str]]]
    end: int  # index after the phrase

    @property
    def head(self) -> tuple[Token, set[str], set[str]]:
        return self.nouns[0]


_MASCULINE_DETERMINERS = {"le", "un", "ce", "cet", "mon", "ton", "son", "du", "au"}


def plain(token: Token) -> bool:
    return (
        token.kind == "word"
        and "_" not in token.text
        and "-" not in token.text
        and not token.text[:1].isupper()
    )


def participle_after_etre(sentence: list[Token], k: int, conjugated: str) -> Token | None:
    """The participle at `k` past the adverbs of a verb group ("est pas encore arrivé"),
    unless it is also a verb form matching `conjugated` or invariable; None when none."""
    while k < len(sentence) and sentence[k].low in ADVERBS_IN_VERB_GROUP | {"pas", "plus"}:
        k += 1
    if k >= len(sentence):
        return None
    word = sentence[k]
    participle = plain(word) and word.has(r":V.*:Q") and not word.has(conjugated)
    return None if not participle or word.has(r":Q:e:i") else word


def noun_at(sentence: list[Token], j: int, det: str) -> tuple[Token, set[str], set[str]] | None:
    if j >= len(sentence) or not plain(sentence[j]) or not sentence[j].has(r":N"):
        return None
    if sentence[j].has(r":V0") or len(sentence[j].text) < 2:
        return None  # "a", "est", "été": the verbs, not the letter or the cardinal point
    token = sentence[j]
    genders, numbers = _gender_number(token, r":N")
    if det in DETERMINERS_PLUR or det == "des":
        numbers &= {"p"}
    elif det in DETERMINERS_SING - {"leur"} or det in {"du", "au", "de la", "l'"}:
        numbers &= {"s"}
    if det in FEMININE_DETERMINERS or det == "de la":
        genders &= {"f"}
    elif det in _MASCULINE_DETERMINERS:
        genders &= {"m"}
    if not genders or not numbers:
        return None
    return token, genders, numbers


ADJ_ONLY = r":[AQ]"


def adjective(token: Token) -> bool:
    """An adjective or participle that is not also a verb form or a grammatical word, nor a
    noun unless it is a participle ("les dollars saisies": "saisie" is also a noun)."""
    return (
        plain(token)
        and token.has(ADJ_ONLY)
        and not token.has(r":[GRWDYBCO]|:V.*:P")
        and (not token.has(r":N") or token.has(r":V.*:Q"))
        and not token.has(_CONJUGATED.pattern)
    )


def skip_adjective_before_noun(sentence: list[Token], j: int, det: str) -> int:
    """Skip an adjective before the noun ("une nouvelle date", "des fausses factures")."""
    if (
        j + 1 < len(sentence)
        and plain(sentence[j])
        and sentence[j].has(r":A")
        and not sentence[j].has(r":[GRWDYBCO]")
        and noun_at(sentence, j + 1, det) is not None
    ):
        return j + 1
    return j


def noun_phrase(sentence: list[Token], i: int) -> Phrase | None:
    """det [adj] noun [adj…] (de|du|des|de la [det] [adj] noun [adj…])* from index i."""
    if i >= len(sentence):
        return None
    det = sentence[i].low
    if det not in DETERMINERS_SING | DETERMINERS_PLUR | {"du"}:
        return None
    j = skip_adjective_before_noun(sentence, i + 1, det)
    head = noun_at(sentence, j, det)
    if head is None:
        return None
    nouns = [head]
    j += 1
    while j < len(sentence) and adjective(sentence[j]):
        j += 1
    while j < len(sentence) and sentence[j].low in {"de", "d'", "du", "des"}:
        det = sentence[j].low
        j += 1
        if det == "de" and j < len(sentence) and sentence[j].low in {"la", "l'"}:
            det = "de la" if sentence[j].low == "la" else "l'"
            j += 1
        elif det in {"de", "d'"} and j < len(sentence) and sentence[j].low in DETERMINERS_SING:
            det = sentence[j].low
            j += 1
        j = skip_adjective_before_noun(sentence, j, det)
        noun = noun_at(sentence, j, det)
        if noun is None:
            return None  # "de" + a name, a number, an infinitive: not read
        nouns.append(noun)
        j += 1
        while j < len(sentence) and adjective(sentence[j]):
            j += 1
    return Phrase(nouns, j)


def agrees(token: Token, genders: set[str], numbers: set[str]) -> bool:
    g, n = _gender_number(token, ADJ_ONLY)
    return bool(g & genders) and bool(n & numbers)


def agreed_forms(token: Token, genders: set[str], numbers: set[str]) -> list[str]:
    gender = "f" if genders == {"f"} else "m"
    number = "p" if numbers == {"p"} else "s"
    f = engine().functions
    participle = token.has(r":V.*:Q")
    found = f.suggVerbPpas(token.text, f":{gender}:{number}") if participle else ""
    # an adjective whose participle is invariable ("divorcé") agrees as an adjective
    if not participle or (found in ("", token.text) and token.has(r":A")):
        found = {
            ("m", "s"): f.suggMasSing,
            ("m", "p"): f.suggMasPlur,
            ("f", "s"): f.suggFemSing,
            ("f", "p"): f.suggFemPlur,
        }[(gender, number)](token.text)
    forms = [s for s in dict.fromkeys((found or "").split("|")) if s and s != token.text]
    # Grammalecte joins the forms of every verb the word may be in no fixed order (a set):
    # the one nearest what was typed first, then the most written ("cuite" → "cuites" before
    # "cuitées", of the rare "cuiter").
    return sorted(forms, key=lambda s: (slip_cost(token.text, s), -zipf(s.lower()), s))


ETRE_SING = {"est", "sera", "serait", "était", "soit", "fut", "fût"}
ETRE_PLUR = {"sont", "seront", "seraient", "étaient", "soient", "furent"}
_OPENING_END = {","}


def subject_starts(sentence: list[Token]) -> Iterator[int]:
    """The sentence start (after a greeting and a name), and the word after an opening phrase
    that holds no finite verb ("Dès 2006, la commande…")."""
    k = 0
    if sentence and sentence[0].low in GREETINGS:
        k = 1
        while k < len(sentence) and (sentence[k].text[:1].isupper() or "_" in sentence[k].text):
            k += 1
        if k < len(sentence) and sentence[k].text == ",":
            k += 1
    yield k
    for j in range(k, len(sentence)):
        token = sentence[j]
        if token.text in _OPENING_END:
            yield j + 1
            return
        if token.kind == "word" and token.has(_CONJUGATED.pattern) and not token.has(r":[NAGRW]"):
            return


# Words that open a reference after a noun ("la facture n° 2024-118", "la commande numéro 8").
_REFERENCE_WORDS = frozenset({"n", "no", "numéro", "réf", "référence"})


def past_reference(sentence: list[Token], j: int) -> int:
    """The index after a reference number that follows a noun at j ("la facture n° 2024-118",
    "le colis FR-12345"): words holding a digit, after "n°", "numéro"…; j if none."""
    k = j
    while k < len(sentence) and k < j + 2 and sentence[k].low in _REFERENCE_WORDS:
        k += 1
    end = k
    while end < len(sentence) and end < k + 2 and any(c.isdigit() for c in sentence[end].text):
        end += 1
    return end if end > k else j


def phrases_followed(sentence: list[Token], words: int = 1) -> Iterator[tuple[int, Phrase]]:
    """(index of its determiner, phrase) for each noun phrase with at least `words` words after
    it: where rules read what follows a noun phrase ("le nom donner à", "un témoin assistez")."""
    for i, token in enumerate(sentence):
        if token.low not in DETERMINERS:
            continue
        phrase = noun_phrase(sentence, i)
        if phrase is not None and phrase.end + words <= len(sentence):
            yield i, phrase
