"""What words several places back ask of a spelling correction, where French grammar decides
between forms of one word (suggestion_context reads the word right before):

- an attribute after "être" agrees with the subject, read past object pronouns, adverbs and
  "été" ("les colis seront livreés" → "livrés", "la commande sera livreé" → "livrée"): an
  adjective or participle, not a noun or a conjugated verb ("doit être controle" →
  "contrôlé");
- a participle after "avoir" stays masculine singular unless an object pronoun or "que"
  came before ("ils ont reçut" → "reçu", not "reçus");
- a word after a determiner and the nouns or adjectives of its phrase agrees with them, or
  is the phrase's verb in the 3rd person of its number ("des soins dentaires appropriéés",
  "la grande boite blance" → "blanche");
- a verb after object pronouns takes the person of the subject pronoun before them ("nous
  vous le renvoyon" → "renvoyons"; "le" there is no determiner).

Each reading returns a test of a candidate; suggestion_context keeps it only when one of the
candidates passes both it and the word before's test.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from canned_replies.auxiliary_forms import AVOIR_FORMS, ETRE_INDICATIVE
from canned_replies.french_words import (
    CLAUSE_OPENERS,
    COLLECTIVE_NOUNS,
    DETERMINERS_PLUR,
    DETERMINERS_SING,
    FEMININE_DETERMINERS,
    GROUP_ADVERBS,
    Token,
    _gender_number,
    sentences,
    tokenize,
)
from canned_replies.grammalecte_engine import morphs
from canned_replies.noun_phrases import Phrase, noun_at, noun_phrase, past_reference, plain
from canned_replies.subject_pronoun import (
    CLAUSE_PERSONS,
    OBJECTS_BEFORE_VERB,
    PERSONS,
    SUBJECT_AGREEMENT,
    subject_pronoun,
)

Fits = Callable[[str], bool]

# Direct objects before "avoir": the participle may agree with them ("je les ai reçus").
_DIRECT_OBJECTS = frozenset({"me", "m'", "te", "t'", "se", "s'", "nous", "vous", "le", "la",
                             "les", "l'"})  # fmt: skip
# Gender and number a subject pronoun gives its attribute ("vous", "on": either, not read).
_PRONOUN_AGREEMENT = {**SUBJECT_AGREEMENT, "ça": ({"m"}, {"s"}), "cela": ({"m"}, {"s"})}
# ... and "moi"/"toi" after another subject and "et" (subject_pronoun reads them there only).
_SUBJECT_AGREEMENT = {
    **_PRONOUN_AGREEMENT,
    "moi": ({"m", "f"}, {"p"}),
    "toi": ({"m", "f"}, {"p"}),
}
_ETRE = ETRE_INDICATIVE | {"être", "serait", "seraient", "soit", "soient"}
_SUBJECT_OPENERS = CLAUSE_OPENERS | {"lorsqu'", "puisque", "puisqu'", "comme", "où", "dont"}
_DETERMINERS = DETERMINERS_SING | DETERMINERS_PLUR | {"du", "au"}
# "de" without an article opens a noun phrase of either number ("d'officiers supérieurs",
# "d'informations possibles"): its noun gives the number.
_PHRASE_OPENERS = _DETERMINERS | {"de", "d'"}
_QUANTITIES = frozenset({"plus", "moins", "beaucoup", "peu", "trop", "assez", "combien", "tant",
                         "autant", "nombre"})  # fmt: skip
_GRAMMAR_WORD = re.compile(r":[WRGCBJ]")
_FINITE = re.compile(r":V[^/]*:(?:Ip|Iq|Is|If|K|Sp|Sq)")
_GENDER = re.compile(r":([mfe])(?=[:/;]|$)")
_NUMBER = re.compile(r":([spi])(?=[:/;]|$)")
_MOST_BETWEEN = 3  # words between a determiner and the word, all of its phrase


def _at(text: str, start: int) -> tuple[list[Token], int] | None:
    """The sentence holding the word that starts at `start`, and its index there."""
    for sentence in sentences(tokenize(text)):
        if sentence[-1].end < start:
            continue
        for i, token in enumerate(sentence):
            if token.start == start:
                return sentence, i
        return None
    return None


def _agrees(m: str, genders: set[str], numbers: set[str]) -> bool:
    g, n = _GENDER.search(m), _NUMBER.search(m)
    gender_ok = g is None or g.group(1) == "e" or g.group(1) in genders
    number_ok = n is None or n.group(1) == "i" or n.group(1) in numbers
    return gender_ok and number_ok


def _attribute(genders: set[str], numbers: set[str]) -> Fits:
    """An adjective or participle of this gender and number, or a grammatical word ("sont
    très", "sera à"): not a noun, an infinitive or a conjugated verb."""

    def fits(candidate: str) -> bool:
        found = morphs(candidate)
        return not found or any(
            (re.search(r":[AQ]", m) and _agrees(m, genders, numbers)) or _GRAMMAR_WORD.search(m)
            for m in found
        )

    return fits


def _participle_with_avoir(candidate: str) -> bool:
    """Not a participle that is only feminine or plural ("reçus" after "ils ont")."""
    found = morphs(candidate)
    participles = [m for m in found if ":Q" in m]
    return not participles or any(_agrees(m, {"m"}, {"s"}) for m in participles)


def _pronoun_subject(text: str, sentence: list[Token], k: int) -> str | None:
    """The subject pronoun before the object pronouns that end at index k - 1, if any, as
    subject_pronoun reads it: before them ("je vous le renvoie"), or "nous"/"vous" opening
    the clause before another object pronoun ("nous vous le renvoyons")."""
    j = k - 1
    while j >= 0 and sentence[j].low in OBJECTS_BEFORE_VERB:
        j -= 1
    if j + 1 >= k:
        return subject_pronoun(text, sentence[k].start) if k < len(sentence) else None
    found = subject_pronoun(text, sentence[j + 1].start)
    if found is None and sentence[j + 1].low in CLAUSE_PERSONS and k - (j + 1) >= 2:
        found = subject_pronoun(text, sentence[j + 2].start)
    return found


def _name_gender(token: Token) -> set[str] | None:
    """The gender of a first name (the lexicon's ":M1"), also written in lowercase ("chloé")
    when it is no common word; None for another word or an epicene name ("Dominique")."""
    if token.kind != "word" or "_" in token.text or not token.text[:1].isalpha():
        return None
    if token.text.islower() and morphs(token.text):
        return None  # "marie", "rose": the common word
    found = morphs(token.text[:1].upper() + token.text[1:])
    genders = {g for m in found if ":M1" in m for g in _GENDER.findall(m.split("/")[1])}
    return genders if genders in ({"m"}, {"f"}) else None


def _both(
    one: tuple[set[str], set[str]], other: tuple[set[str], set[str]]
) -> tuple[set[str], set[str]]:
    """Two subjects joined by "et": plural, feminine only if both are."""
    both = one[0] | other[0]
    return ({"f"} if both == {"f"} else {"m"} if "m" in both else both), {"p"}


def _named_subject(sentence: list[Token], end: int) -> tuple[set[str], set[str]] | None:
    """A first name ending the subject at `end` and opening its clause, alone or after
    another subject and "et" ("Chloé est…", "Paul et Chloé sont…", "ma tante et Chloé
    sont…")."""
    gender = _name_gender(sentence[end - 1])
    if gender is None:
        return None
    before = sentence[end - 2].low if end > 1 else None
    if before is None or before in _SUBJECT_OPENERS:
        return gender, {"s"}
    if before == "et":
        other = _phrase_subject(sentence, end - 2)
        return _both((gender, {"s"}), other) if other is not None else None
    return None


def _past_proper_complement(sentence: list[Token], j: int) -> int:
    """The index after "de" and a capitalised name from j ("le train de Lyon", "notre
    boutique de Bruxelles"), which the noun phrase reading leaves out; j if none."""
    while (
        j + 1 < len(sentence)
        and sentence[j].low in {"de", "d'"}
        and sentence[j + 1].kind == "word"
        and sentence[j + 1].text[:1].isupper()
    ):
        j += 2
        while j < len(sentence) and sentence[j].kind == "word" and sentence[j].text[:1].isupper():
            j += 1
    return j


def _before_proper_complement(sentence: list[Token], d: int, end: int) -> Phrase | None:
    """The noun phrase from d up to a "de" that a capitalised name follows before `end`
    (noun_phrase reads no name after "de")."""
    for c in range(d + 2, end):
        if _past_proper_complement(sentence, c) != c:
            return noun_phrase(sentence[:c], d)
    return None


def _phrase_subject(sentence: list[Token], end: int) -> tuple[set[str], set[str]] | None:
    """Gender and number of the noun phrase ending at `end` that opens its clause (or that
    "qui" follows): "La livraison de vos colis sera…" → its head, "livraison"; a first name
    ("chloé et sa sœur sont…"); a phrase with a place's or a firm's name after "de"."""
    relative = end > 0 and sentence[end - 1].low == "qui"
    comma = False
    if relative:
        end -= 1
        # "la facture n° 2024-118, qui…": the phrase before the comma and its reference
        comma = end > 0 and sentence[end - 1].text == ","
        end -= comma
    elif end > 0:
        named = _named_subject(sentence, end)
        if named is not None:
            return named
    for d in range(max(0, end - 12), end):
        if sentence[d].low not in _DETERMINERS:
            continue
        before = sentence[d - 1].low if d > 0 else None
        if comma and before in {"et", "ou", "ni"}:
            continue  # "le stylo et la gomme, qui…": either may be the antecedent
        coordinated = None
        if not relative and before == "et":
            # "ma copine et sa soeur sont…": two phrases, plural, feminine only if both are
            coordinated = _phrase_subject(sentence, d - 1)
            if coordinated is None and d > 1:
                coordinated = _named_subject(sentence, d - 1)  # "chloé et sa sœur"
            if coordinated is None:
                continue
        elif not relative and before is not None and before not in _SUBJECT_OPENERS:
            continue
        phrase = noun_phrase(sentence, d) or _before_proper_complement(sentence, d, end)
        if phrase is None or end not in {
            _past_proper_complement(sentence, phrase.end),
            past_reference(sentence, phrase.end) if comma else -1,
        }:
            continue
        head, genders, numbers = phrase.head
        if head.low in COLLECTIVE_NOUNS:
            return None  # "une partie des colis sont…": either may agree
        if coordinated is not None:
            return _both((genders, numbers), coordinated)
        return genders, numbers
    return None


def _subject_agreement(
    text: str, sentence: list[Token], k: int
) -> tuple[set[str], set[str]] | None:
    """What the subject of the verb at index k gives its attribute, when it can be read."""
    pronoun = _pronoun_subject(text, sentence, k)
    if pronoun is None and k > 0 and sentence[k - 1].low in _PRONOUN_AGREEMENT:
        pronoun = sentence[k - 1].low
    if pronoun is not None:
        return _SUBJECT_AGREEMENT.get(pronoun)
    j = k
    while j > 0 and sentence[j - 1].low in OBJECTS_BEFORE_VERB - {"le", "la", "les", "l'"}:
        j -= 1
    if j > 0 and sentence[j - 1].low in {"et", "ou", "ni", "on", "vous", "ce", "c'"}:
        return None
    return _phrase_subject(sentence, j)


def _after_auxiliary(text: str, sentence: list[Token], i: int) -> Fits | None:
    """An attribute after "être" (or "avoir été"), a participle after "avoir"."""
    k = i - 1
    while k >= 0 and sentence[k].low in GROUP_ADVERBS:
        k -= 1
    if k < 0:
        return None
    verb = sentence[k].low
    if verb == "été":
        k -= 1
        while k >= 0 and sentence[k].low in GROUP_ADVERBS:
            k -= 1
        if k < 0 or sentence[k].low not in AVOIR_FORMS | {"avoir", "ayant"}:
            return None
    elif verb in AVOIR_FORMS:
        if k > 0 and sentence[k - 1].low in _DIRECT_OBJECTS:
            return None
        if any(t.low in {"que", "qu'"} for t in sentence[:k]):
            return None  # "les colis que vous avez reçus"
        return _participle_with_avoir
    elif verb not in _ETRE:
        return None
    if verb == "être":
        # "doit être controle": a participle; of the subject of the verb before ("les notes
        # doivent être déposé" → "déposées") when it is a conjugated verb
        if k > 0 and sentence[k - 1].has(_FINITE.pattern):
            agreement = _subject_agreement(text, sentence, k - 1)
            if agreement is not None:
                return _attribute(*agreement)
        return _attribute({"m", "f"}, {"s", "p"})
    agreement = _subject_agreement(text, sentence, k)
    genders, numbers = agreement if agreement is not None else ({"m", "f"}, {"s", "p"})
    return _attribute(genders, numbers)


def _in_noun_phrase(sentence: list[Token], i: int) -> Fits | None:
    """After a determiner, its noun and up to two more words of its phrase: an adjective or
    participle agreeing with them (a second noun is rare: "la boite blance" → "blanche", not
    "lance"), a verb of the 3rd person of their number (the phrase is a subject) or a
    grammatical word."""
    k = i - 1
    while k >= 0 and i - k <= _MOST_BETWEEN and sentence[k].low not in _PHRASE_OPENERS:
        token = sentence[k]
        if not plain(token) or not token.has(r":[NA]") or token.has(r":G"):
            return None
        k -= 1
    if k < 0 or i - k < 2 or sentence[k].low not in _PHRASE_OPENERS:
        return None
    if sentence[k].low in {"de", "d'"} and not _de_opens_phrase(sentence, k, i):
        return None
    if i - k == 2 and sentence[k + 1].has(r":A") and not sentence[k + 1].has(r":N"):
        return None  # "la seconde guere": the word before's own reading (suggestion_context)
    det = sentence[k].low
    genders, numbers = {"m", "f"}, {"s", "p"}
    noun = False
    for j in range(k + 1, i):
        found = noun_at(sentence, j, det)
        if found is not None and not sentence[j].has(r":A"):
            genders, numbers, noun = genders & found[1], numbers & found[2], True
    if det in DETERMINERS_PLUR:
        numbers &= {"p"}
    elif det in DETERMINERS_SING - {"leur"} or det in {"du", "au"}:
        numbers &= {"s"}
    if not noun and all(sentence[j].has(r":A") for j in range(k + 1, i)):
        return _noun_after_adjectives(sentence, k, i, genders, numbers)
    if not genders or not numbers or not noun:
        return None
    person = ":3p" if numbers == {"p"} else ":3s" if numbers == {"s"} else ":3"
    if det in {"du", "au", "aux", "de", "d'"} or (k > 0 and sentence[k - 1].has(r":R")):
        person = ":3"  # "… de la hanche doivent": a complement, the subject is further back

    def fits(candidate: str) -> bool:
        found = morphs(candidate)
        return not found or any(
            (re.search(r":[AQ]", m) and _agrees(m, genders, numbers))
            or (_FINITE.search(m) and person in m)
            or _GRAMMAR_WORD.search(m)
            for m in found
        )

    return fits


def _de_opens_phrase(sentence: list[Token], k: int, i: int) -> bool:
    """A bare "de" opens a noun phrase after a quantity ("plus d'informations possibles"), or
    after a noun when the word follows the complement's noun ("la part d'officiers
    supérieurs"); past an adjective of the complement the next one may describe the noun
    before "de" ("une héparine de bas poids moléculaire administrée"). Not after a verb
    ("sont d'abord": a locution)."""
    if k == 0:
        return False
    before = sentence[k - 1]
    return before.low in _QUANTITIES or (before.has(r":N") and i - k == 2)


def _noun_after_adjectives(
    sentence: list[Token], k: int, i: int, genders: set[str], numbers: set[str]
) -> Fits | None:
    """A determiner and adjectives only ("les nouvelles grandes adresss"): the noun or
    adjective to come agrees with the determiner and with them. The last may have been the
    noun ("le premier citoyen privé ayent": "citoyen" is also an adjective), so a verb of
    their number, a present participle or a grammatical word fits too."""
    det = sentence[k].low
    if det in FEMININE_DETERMINERS:
        genders = genders & {"f"}
    elif det in {"le", "un", "ce", "cet", "du", "au"}:
        genders = genders & {"m"}
    for j in range(k + 1, i):
        g, n = _gender_number(sentence[j], r":A")
        genders, numbers = genders & g, numbers & n
    if not genders or not numbers:
        return None
    person = ":3p" if numbers == {"p"} else ":3s" if numbers == {"s"} else ":3"
    return lambda c: (
        not morphs(c)
        or any(
            (re.search(r":[NA]", m) and _agrees(m, genders, numbers))
            or re.search(r":V[^/]*:P", m)
            or (_FINITE.search(m) and person in m)
            or _GRAMMAR_WORD.search(m)
            for m in morphs(c)
        )
    )


def subject_person(text: str, start: int) -> str | None:
    """The person (":1p") a subject pronoun gives the verb at `start` across the object
    pronouns between them ("nous vous le renvoyon"), or None without object pronouns."""
    found = _at(text, start)
    if found is None:
        return None
    sentence, i = found
    if i == 0 or sentence[i - 1].low not in OBJECTS_BEFORE_VERB:
        return None
    pronoun = _pronoun_subject(text, sentence, i)
    return None if pronoun is None else PERSONS[pronoun]


def asks(text: str, start: int) -> Fits | None:
    """What the grammar several words back asks of a correction at `start`, or None."""
    found = _at(text, start)
    if found is None:
        return None
    sentence, i = found
    if i == 0:
        return None
    return (
        _after_auxiliary(text, sentence, i)
        or _in_noun_phrase(sentence, i)
        or _verb_of_phrase_subject(sentence, i)
    )


# Between a subject phrase and its verb: "ne", reflexive and indirect pronouns, or "qui".
_BEFORE_VERB = frozenset({"ne", "n'", "se", "s'", "lui", "leur", "y", "en", "qui"})


def _verb_of_phrase_subject(sentence: list[Token], i: int) -> Fits | None:
    """After a subject noun phrase and "ne", "se" or "qui" ("Les fiches ne se contenten",
    "des réactions qui comporten"): a verb of the 3rd person of its number. Without them the
    word might still be the phrase's adjective, so nothing is asked."""
    if sentence[i - 1].low not in _BEFORE_VERB:
        return None
    j = i
    while j > 0 and sentence[j - 1].low in _BEFORE_VERB - {"qui"}:
        j -= 1
    relative = j > 0 and sentence[j - 1].low == "qui"
    subject = _phrase_subject(sentence, j) if relative or j < i else None
    if subject is None or len(subject[1]) != 1:
        return None
    person = ":3p" if subject[1] == {"p"} else ":3s"
    return lambda c: any(_FINITE.search(m) and person in m for m in morphs(c))
