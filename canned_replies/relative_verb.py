"""The verb of a relative "qui" clause, and the agreement two of its words vote for.

- after "qui" (past "ne" and object pronouns) a form that is also a noun, an adjective or a
  participle is the verb: neither can follow "qui" alone ("les nuages qui produit");
- "qui" + "être" + a participle or adjective: when the noun before "qui" and the attribute
  agree in number and the verb alone does not, the verb is the slip ("mon neveu qui étaient
  né" → "était", "aux semi-conducteurs, qui est produits" → "sont"). Grammalecte reads only
  the verb and its attribute and offers the attribute in the verb's number: the wrong word
  (french.py drops that finding beside this one). Two words against one, so it holds where
  the antecedent alone is not trusted (after "à", after a comma). The same through "avoir
  été" ("des décisions qui a été prises" → "ont"), and after "de" with a plural noun the
  attribute agrees with in gender too ("les suites de décisions qui a été prises");
- a plural "des" phrase listed after "et"/"ou" and before "qui": whether "qui" takes up that
  item or the whole list, its verb is plural ("des rougeurs et des plaies qui ne guérit
  pas" → "guérissent"); noun_phrase_agreement leaves "des" phrases, which may be a
  complement ("le prix des fruits qui…"), so the first item must not be one either;
- "qu'est-ce qui" is a singular subject: a verb that can only be plural after it is the slip
  ("Qu'est-ce qui vous intéressent ?" → "intéresse"; Grammalecte reads "ce qui" written
  apart, not the joined "est-ce").
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import (
    ADVERBS_IN_VERB_GROUP,
    DETERMINERS,
    Token,
    _finding,
    _gender_number,
    run_rules,
    verb_forms,
)
from canned_replies.noun_phrases import noun_phrase, plain
from canned_replies.subject_verb import _BEFORE_VERB, _FINITE

# Forms of "être" by the number they need, as the verb after "qui" ("qui est né").
_ETRE = {
    "s": {"est", "était", "sera", "serait", "fut", "soit"},
    "p": {"sont", "étaient", "seront", "seraient", "furent", "soient"},
}
# Forms of "avoir" before "été" by the number they need ("qui a été livrée").
_AVOIR = {
    "s": {"a", "avait", "aura", "aurait", "eut", "ait"},
    "p": {"ont", "avaient", "auront", "auraient", "eurent", "aient"},
}
# Determiners that also hold a preposition ("aux semi-conducteurs", "du colis").
_DETERMINERS = DETERMINERS | {"aux", "des", "du", "au"}


def verb_after_qui(sentence: list[Token], k: int) -> Token | None:
    """The finite verb right after a relative "qui" at k - 1, or None."""
    while k < len(sentence) and sentence[k].low in _BEFORE_VERB:
        k += 1
    if k >= len(sentence) or not plain(sentence[k]):
        return None
    verb = sentence[k]
    if not verb.has(_FINITE) or verb.has(r":[WGR]"):
        return None
    return verb


def _number(token: Token, pattern: str) -> str | None:
    """The one number ("s" or "p") the word has for morphologies matching pattern."""
    _, numbers = _gender_number(token, pattern)
    return next(iter(numbers)) if len(numbers) == 1 else None


def _antecedent(sentence: list[Token], i: int) -> tuple[Token, str, bool] | None:
    """The noun right before "qui" at i (or before its comma) and its number, when a
    determiner of the same number opens it ("mon neveu", "aux semi-conducteurs"), or "de"
    before a plural noun (third in the tuple: the attribute must agree in gender too, since
    the phrase may go on before "de")."""
    j = i - 2 if sentence[i - 1].text == "," else i - 1
    noun = sentence[j]
    if j < 1 or "_" in noun.text or noun.text[:1].isupper() or not noun.has(r":N"):
        return None  # a compound with its hyphen is a noun too ("semi-conducteurs")
    if noun.has(r":[GWR]") or (
        noun.has(r":V") and sentence[j - 1].low not in _DETERMINERS | {"de"}
    ):
        return None  # "le client sort qui…": a verb form may end the phrase (not after a
        # determiner: "des commandes qui")
    number = _number(noun, r":N")
    determiner = sentence[j - 1]
    if number == "p" and determiner.low in {"de", "d'"}:
        return noun, number, True
    if number is None or determiner.low not in _DETERMINERS - {"d'", "de"}:
        return None  # after "de" the phrase may go on before it ("le prix de billets qui")
    return (noun, number, False) if _number(determiner, r":D") in (None, number) else None


def _gender(token: Token, pattern: str) -> str | None:
    """The one gender ("m" or "f") the word has for morphologies matching pattern."""
    genders, _ = _gender_number(token, pattern)
    return next(iter(genders)) if len(genders) == 1 else None


def _etre_or_avoir_ete(sentence: list[Token], verb: Token, number: str) -> tuple[set[str], int]:
    """The forms of the verb's group in the other number than `number` ("est" or "a été"
    after a plural antecedent), and the index after the group; (set(), 0) for another verb."""
    other = "p" if number == "s" else "s"
    k = sentence.index(verb) + 1
    if verb.low in _ETRE[other]:
        return _ETRE[number], k
    if verb.low in _AVOIR[other] and k < len(sentence) and sentence[k].low == "été":
        return _AVOIR[number], k + 1
    return set(), 0


def rule_etre_votes(sentence: list[Token]) -> Iterator[Finding]:
    """ "mon neveu qui étaient né prématuré" → "était": antecedent and attribute agree, the
    form of "être" between them is the slip."""
    for i, token in enumerate(sentence):
        if token.low != "qui" or i < 2:
            continue
        antecedent = _antecedent(sentence, i)
        verb = verb_after_qui(sentence, i + 1)
        if antecedent is None or verb is None:
            continue
        noun, number, gender_too = antecedent
        forms, k = _etre_or_avoir_ete(sentence[i:], verb, number)
        if not forms:
            continue
        k += i
        while k < len(sentence) and (
            sentence[k].low in ADVERBS_IN_VERB_GROUP
            or (sentence[k].has(r":W") and not sentence[k].has(r":[NAVQ]"))
        ):
            k += 1  # "qui est presque exclusivement produits"
        if k >= len(sentence) or not plain(sentence[k]):
            continue
        attribute = sentence[k]
        if attribute.has(r":[GWRN]") and not attribute.has(r":Q"):
            continue  # a noun attribute has its own number ("qui sont un problème")
        if _number(attribute, r":[AQ]") != number:
            continue
        if gender_too and (
            _gender(noun, r":N") is None
            or _gender(attribute, r":[AQ]") not in (None, _gender(noun, r":N"))
        ):
            continue
        fixes = [f for f in verb_forms(verb.text, ":3" + number) if f.lower() in forms]
        if fixes:
            yield _finding(
                verb,
                "Accord : « qui » et l'attribut qui suit désignent le même nombre ; "
                "le verbe s'accorde avec eux.",
                fixes,
                "accord_qui_etre_attribut",
            )


def rule_est_ce_qui(sentence: list[Token]) -> Iterator[Finding]:
    """ "Qu'est-ce qui vous intéressent ?" → "intéresse": "ce" is the singular subject."""
    for i, token in enumerate(sentence[:-2]):
        if token.low != "est-ce" or sentence[i + 1].low != "qui":
            continue
        verb = verb_after_qui(sentence, i + 2)
        if verb is None or not verb.has(_FINITE + "3p") or verb.has(_FINITE + "3s"):
            continue
        fixes = verb_forms(verb.text, ":3s")[:3]
        if fixes:
            yield _finding(
                verb,
                "Accord : après « qu'est-ce qui », le verbe est au singulier.",
                fixes,
                "accord_qu_est_ce_qui",
            )


def _first_item_free(sentence: list[Token], k: int) -> bool:
    """The item before the coordinator at k is a noun phrase that is no complement: not after
    a noun, an adjective or "de", holding no complement ("le prix du pain et des fruits
    qui…" may take up "prix")."""
    if k > 0 and sentence[k - 1].low == "et":
        k -= 1  # "et/ou"
    for start in range(max(0, k - 6), k):
        phrase = noun_phrase(sentence, start)
        if phrase is None or phrase.end != k:
            continue
        if len(phrase.nouns) != 1:
            return False  # "le prix du pain et des fruits": "des" may go on the complement
        before = sentence[start - 1] if start else None
        return before is None or not (
            (before.has(r":[NA]") and not before.has(r":V"))
            or before.low in {"de", "d'"}
            or before.kind != "word"
        )
    return False


def rule_listed_plural(sentence: list[Token]) -> Iterator[Finding]:
    """ "des rougeurs et des plaies qui ne guérit pas" → "guérissent"."""
    for i, token in enumerate(sentence):
        if token.low != "qui" or i < 4:
            continue
        for start in range(max(2, i - 5), i - 1):
            phrase = noun_phrase(sentence, start) if sentence[start].low == "des" else None
            if phrase is None or phrase.end != i:
                continue
            if len(phrase.nouns) != 1 or phrase.head[2] != {"p"}:
                break
            if sentence[start - 1].low not in {"et", "ou"}:
                break
            verb = verb_after_qui(sentence, i + 1)
            if verb is None or not verb.has(_FINITE + "3s") or verb.has(_FINITE + "3p"):
                break
            if not _first_item_free(sentence, start - 1):
                break
            fixes = verb_forms(verb.text, ":3p")[:3]
            if fixes:
                yield _finding(
                    verb,
                    f"Accord : « qui » reprend « {phrase.head[0].text} » (pluriel), "
                    "le verbe s'accorde.",
                    fixes,
                    "accord_qui_liste",
                )
            break


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, [rule_etre_votes, rule_listed_plural, rule_est_ce_qui])
