"""A question's inverted subject written without its hyphen ("est il" → "est-il", "Comment
puis je" → "puis-je", "Quel âge as tu ?" → "as-tu"), a "tu" inversion written by ear in the
third person too ("Peut tu" → "Peux-tu"): one of the sentence rules homophones.RULES runs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, CLITICS, DETERMINERS, Token, _same_case
from canned_replies.grammalecte_engine import engine, morphs
from canned_replies.noun_phrases import noun_phrase
from canned_replies.sounds import sound

# Subject pronouns (homophones reads them from here too).
SUBJECT_CLITICS = {"il", "elle", "on", "ils", "elles", "je", "j'", "tu", "nous", "vous"}
# How an inverted verb ends ("ai-je", "peut-on", "sont-ils").
INVERTED_ENDINGS = ("-je", "-tu", "-il", "-elle", "-on", "-nous", "-vous", "-ils", "-elles")

_PERSONS = {
    "je": ":1s", "tu": ":2s", "il": ":3s", "elle": ":3s", "on": ":3s", "nous": ":1p",
    "vous": ":2p", "ils": ":3p", "elles": ":3p",
}  # fmt: skip


_INTERROGATIVES = {
    "comment", "pourquoi", "quand", "où", "combien", "que", "qu'", "quoi", "quel", "quelle",
    "quels", "quelles", "lequel", "laquelle", "lesquels", "lesquelles",
}  # fmt: skip


_NOT_OBJECTS = SUBJECT_CLITICS - {"nous", "vous"}
_TENSE_AND_PERSON = re.compile(r":(Ip|Iq|If|K)(?::Sp)?:(?:1s:)?(?:[13]s)")


def _tu_form(verb: Token) -> str | None:
    """The "tu" form, of the same verb and tense, of a first- or third-person form that
    sounds like it ("peut" → "peux", "est" → "es", "va" → "vas", "pourrait" → "pourrais"):
    chat writes the inversion by ear ("Peut tu m'aider ?", "Où est tu ?")."""
    conj = engine().conj
    heard = _spoken(verb.low)
    for m in verb.morphs:
        found = _TENSE_AND_PERSON.search(m)
        if found is None or ":V" not in m or "/" not in m:
            continue
        lemma = m[1 : m.index("/")]
        if not conj.isVerb(lemma):
            continue
        form = conj.getConj(lemma, ":" + found.group(1), ":2s")
        if form and form != verb.low and _spoken(form) == heard:
            return _same_case(verb.text, form)
    return None


def _spoken(word: str) -> str:
    return sound(word).rstrip("stxd")


def _second_person(verb: Token, noun_too: bool = False) -> str | None:
    """The "tu" form of a first- or third-person present written without its "s" ("parle"
    → "parles"), when the verb is nothing else (no noun: "Rage tu…" is left), or may be a
    noun too after the question's own phrase ("Quel film regarde tu ?")."""
    others = r":[AGWR]" if noun_too else r":[NAGWR]"
    if not verb.has(r":V[0-3][^/]*:Ip[^/]*:[13]s") or verb.has(others):
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


_QUEL = {"quel", "quelle", "quels", "quelles"}


def _question_phrase_ends(sentence: list[Token], i: int) -> bool:
    """The question's own phrase opens the sentence and ends at i: "quel" and its noun, or
    "combien de" and its noun, with adjectives and "de" + noun complements ("Quel âge as
    tu ?", "Combien de frères as tu ?", "Quel genre de musique écoutes tu ?"). That phrase is
    the question's object or attribute, so the verb after it has its subject after it; a verb
    form that is also a noun ("as", "écoutes") is then the verb."""
    k = 1 if sentence[0].low in _QUESTION_PREPOSITIONS else 0
    if k >= i:
        return False
    if sentence[k].low in _QUEL:
        k += 1
    elif sentence[k].low == "combien" and k + 1 < i and sentence[k + 1].low in {"de", "d'"}:
        k += 2
    else:
        return False
    if k >= i or not sentence[k].has(r":N") or sentence[k].text[:1].isupper():
        return False
    k += 1
    while k < i:
        token = sentence[k]
        if token.low in {"de", "d'"} and k + 1 < i and sentence[k + 1].has(r":N"):
            k += 2  # "genre de musique"
        elif token.kind == "word" and token.has(r":A") and not token.has(_CONJUGATED.pattern):
            k += 1  # "boisson chaude"
        else:
            return False
    return True


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
        capital = i == 0 and (verb.text[1:].islower() or (verb.low == "a" and pronoun.low == "tu"))
        if not (verb.text.islower() or capital):  # ("A tu fini ?": "À elle de voir" is left)
            continue
        if (
            i > 0
            and sentence[i - 1].low in SUBJECT_CLITICS | CLITICS | DETERMINERS
            and not _object_clitics_asked(sentence, i)
        ):
            continue
        asked = i == 0 or sentence[i - 1].low in _INTERROGATIVES
        if not any(re.search(_CONJUGATED.pattern, m) and person in m for m in verb.morphs):
            phrase = pronoun.low == "tu" and i > 1 and _question_phrase_ends(sentence, i)
            second = None
            if pronoun.low == "tu" and (asked or phrase):
                second = _second_person(verb, noun_too=phrase)
            tu_asked = pronoun.low == "tu" and (
                asked or phrase or _object_clitics_asked(sentence, i)
            )
            if second is None and tu_asked:
                second = _tu_form(verb)  # "Peut tu…", "Qu'en pense tu ?"
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
            if i > 0 and sentence[i - 1].low in _QUEL and verb.has(r":N"):
                asked = False  # "Quelle marque il porte ?": the noun of "quel", not a verb
            if _question_phrase_ends(sentence, i) and pronoun.low not in {"nous", "vous"}:
                asked = True  # "Quel âge as tu ?": the question's phrase, then its verb
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
