"""A question's inverted subject written without its hyphen ("est il" → "est-il", "Comment
puis je" → "puis-je"): one of the sentence rules homophones.RULES runs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, CLITICS, DETERMINERS, Token
from canned_replies.grammalecte_engine import morphs
from canned_replies.noun_phrases import noun_phrase

# Subject pronouns (homophones reads them from here too).
SUBJECT_CLITICS = {"il", "elle", "on", "ils", "elles", "je", "j'", "tu", "nous", "vous"}

_PERSONS = {
    "je": ":1s", "tu": ":2s", "il": ":3s", "elle": ":3s", "on": ":3s", "nous": ":1p",
    "vous": ":2p", "ils": ":3p", "elles": ":3p",
}  # fmt: skip


_INTERROGATIVES = {
    "comment", "pourquoi", "quand", "où", "combien", "que", "qu'", "quoi", "quel", "quelle",
    "quels", "quelles", "lequel", "laquelle", "lesquels", "lesquelles",
}  # fmt: skip


_NOT_OBJECTS = SUBJECT_CLITICS - {"nous", "vous"}


def _second_person(verb: Token) -> str | None:
    """The "tu" form of a first- or third-person present written without its "s" ("parle"
    → "parles"), when the verb is nothing else (no noun: "Rage tu…" is left)."""
    if not verb.has(r":V[0-3][^/]*:Ip[^/]*:[13]s") or verb.has(r":[NAGWR]"):
        return None
    candidate = verb.text + "s"
    if any(":V" in m and ":2s" in m for m in morphs(candidate)):
        return candidate
    return None


def _object_clitics_asked(sentence: list[Token], i: int) -> bool:
    """Object pronouns before the verb at i open the question or follow its question word
    ("Comment t'appelles tu ?", "Comment vous appelez vous ?", "Le veux tu ?"), with no
    subject before them ("Je le veux tu sais ?")."""
    k = i - 1
    while k >= 0 and sentence[k].low in CLITICS and sentence[k].low not in _NOT_OBJECTS:
        k -= 1
    if k == i - 1:
        return False
    return k < 0 or sentence[k].low in _INTERROGATIVES


# Prepositions that may open a question before its question word ("De quelle université…").
_QUESTION_PREPOSITIONS = {"de", "d'", "à", "pour", "depuis", "par", "en", "avec", "dans", "sur"}


def _question_subject_ends(sentence: list[Token], i: int) -> bool:
    """A question word opens the sentence (after a preposition, with its noun: "De quelle
    université"), then a subject ends at i: a noun phrase with its adjectives ("Quand la
    maison blanche fut elle construite ?") or a name, numbers allowed ("Quand Apollo 11 fut il
    lancé ?")."""
    k = 1 if sentence[0].low in _QUESTION_PREPOSITIONS else 0
    if k >= len(sentence) or sentence[k].low not in _INTERROGATIVES:
        return False
    k += 1
    if sentence[k - 1].low in {"quel", "quelle", "quels", "quelles"} and k < i:
        k += 1  # its noun: "quelle université"
    if k >= i:
        return False
    phrase = noun_phrase(sentence, k)
    if phrase is not None:
        # then adjectives ("maison blanche"), names and complements, no verb: "Quand la
        # compagnie Microsoft fut elle…", "Quand la porte de Brandebourg à Berlin fut elle…"
        return phrase.end <= i and all(
            t.kind == "word"
            and (t.text[:1].isupper() or t.has(r":[NAMGR]") or not t.has(_CONJUGATED.pattern))
            for t in sentence[phrase.end : i]
        )
    if sentence[k].low in DETERMINERS:
        k += 1  # "le Slinky"
    name = sentence[k:i]
    return (
        bool(name)
        and sentence[k].text[:1].isupper()
        and all(t.text[:1].isupper() or t.text.isdigit() for t in name)
    )


def rule_inversion_hyphen(sentence: list[Token], question: bool) -> Iterator[Finding]:
    """ "Comment est il utilisé ?" → "est-il", "Puis je venir ?" → "puis-je": in a question,
    a verb then a subject pronoun of the same person is an inversion, joined by a hyphen."""
    if not question:
        return
    for i, verb in enumerate(sentence[:-1]):
        pronoun = sentence[i + 1]
        person = _PERSONS.get(pronoun.text)
        if person is None or verb.kind != "word" or "-" in verb.text:
            continue
        if not (verb.text.islower() or (i == 0 and verb.text[1:].islower())):
            continue
        if (
            i > 0
            and sentence[i - 1].low in SUBJECT_CLITICS | CLITICS | DETERMINERS
            and not _object_clitics_asked(sentence, i)
        ):
            continue
        asked = i == 0 or sentence[i - 1].low in _INTERROGATIVES
        if not any(re.search(_CONJUGATED.pattern, m) and person in m for m in verb.morphs):
            second = _second_person(verb) if pronoun.low == "tu" and asked else None
            if second is not None:  # "Parle tu anglais ?" → "Parles-tu"
                yield Finding(
                    verb.start,
                    pronoun.end,
                    f"Inversion du sujet « tu » : « {second}-tu » (verbe en -s, trait d’union).",
                    [f"{second}-tu"],
                    "vigie.inversion_trait_union",
                    "grammar",
                )
            continue
        if verb.low == "puis" and pronoun.low == "je":
            # "Puis je vous aider ?", "Comment puis je…", "…, puis je déduire les frais ?":
            # before an infinitive, which no subject "je" can have ("Et puis je fais quoi ?"
            # and "Puis je pars ?" are the adverb).
            k = i + 2
            while k < len(sentence) and sentence[k].low in CLITICS:
                k += 1
            infinitive = k < len(sentence) and sentence[k].has(r":V.*:Y")
            if not infinitive and not (i > 0 and sentence[i - 1].low in _INTERROGATIVES):
                # "Comment puis je, en tant que…, obtenir"
                continue
        elif verb.has(r":[NAGWR]") and verb.low not in {"est", "a", "fait", "sont", "ont", "suis"}:
            # "le montant vous" …: a noun or a grammatical word, not a verb; but after a
            # question word, or a question's subject ("Quand la maison fut elle construite ?"),
            # a verb form of the pronoun's person is the inversion.
            complex_subject = (
                sentence[0].low in _INTERROGATIVES
                and i >= 2
                and sentence[i - 1].has(r":N")
                and sentence[i - 2].low in DETERMINERS
            ) or _question_subject_ends(sentence, i)
            if not (asked or complex_subject) or pronoun.low in {"nous", "vous"}:
                continue
            if not verb.has(r":V[0-3][^/]*:(?:Ip|Iq|Is|If|K)") or verb.has(r":[GWR]"):
                continue
        joined = (
            f"{verb.text}-t-{pronoun.text}"
            if person == ":3s" and verb.low[-1] in "ae"
            else f"{verb.text}-{pronoun.text}"
        )
        yield Finding(
            verb.start,
            pronoun.end,
            f"Inversion du sujet dans une question : « {joined} » (trait d’union).",
            [joined],
            "vigie.inversion_trait_union",
            "grammar",
        )
