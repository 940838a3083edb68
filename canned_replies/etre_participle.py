"""A participle after a plural form of "être" is plural, whatever the subject looks like.

"sont", "sommes", "étaient", "ont été"… are plural, so the participle or
adjective right after them (adverbs between) is plural: "(per protocole) sont présenté" →
"présentés", "Alain Madelin et François Hollande se sont prononcé" → "prononcés".
Grammalecte checks it against a subject it can read; here the verb alone decides the number
(the gender stays with the subject, so only the number is checked).

Quiet where the participle does not agree: a participle Grammalecte's lexicon marks
invariable ("se sont succédé", "se sont plu"); after "se", a verb whose "se" may be an
indirect object (the lexicon's "n" flag: "se sont parlé", "se sont demandé si", "se sont
rendu compte"), "fait" ("se sont fait avoir"), or an object after it ("se sont lavé les
mains"); "bien entendu"; a word that is also a noun before another word ("elles sont partie
prenante").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import DETERMINERS, Token, _finding, run_rules
from canned_replies.noun_phrases import agreed_forms, plain

# Third and first person plural ("vous êtes" may be one person: left).
_PLURAL_ETRE = {"sont", "étaient", "seront", "seraient", "soient", "furent", "fussent",
                "sommes", "étions", "serons", "serions", "soyons", "fûmes"}  # fmt: skip
_PLURAL_AVOIR = {"ont", "avaient", "auront", "auraient", "aient", "eurent", "avons", "avions",
                 "aurons", "aurions", "ayons"}  # fmt: skip
_ADVERBS = {"bien", "déjà", "pas", "plus", "jamais", "toujours", "encore", "également",
            "aussi", "très", "trop", "tous", "toutes", "souvent", "ensuite", "enfin",
            "vraiment", "désormais", "rapidement", "automatiquement", "immédiatement",
            "entièrement", "finalement", "effectivement", "généralement", "ne", "n'"}  # fmt: skip
# What may follow the participle and shows nothing else is its object or its noun.
_PREPOSITIONS = {"à", "au", "aux", "de", "du", "des", "d'", "en", "dans", "par", "pour", "sur",
                 "avec", "sans", "chez", "contre", "depuis", "après", "avant", "vers",
                 "entre", "sous", "selon", "lors", "dès", "jusqu'", "jusque"}  # fmt: skip
# Grammalecte's verb flags after ":V1_": intransitive, transitive, indirect, pronominal.
_VERB_FLAGS_INDIRECT = re.compile(r":V[0-3]_..n")
_VERB_FLAGS_PRONOMINAL = re.compile(r":V[0-3]_...q")
_SINGULAR_ONLY = re.compile(r":[mfe]:s(?=[:/#;]|$)")


_CLAUSE_WORDS = re.compile(r"/:[GW]")
_INVARIABLE_PARTICIPLE = re.compile(r":Q[^/]*:e:i")


def _singular_participle(token: Token, ends_clause: bool = False) -> bool:
    """A past participle whose every reading (as participle, adjective or noun) is singular,
    or an adjective that is only that, masculine or feminine ("contente", "prêt"; an epicene
    one may be a loanword used invariable: "top", "cool").

    Ending the clause, a word after "être" is its attribute: its readings as an adverb or a
    pronoun are set aside ("étaient dur", "sont nul"), and so is the invariable participle of
    a verb conjugated with "avoir" when it is also an adjective ("sont divorcé")."""
    if not plain(token):
        return False
    found = list(token.morphs)
    if ends_clause:
        found = [m for m in found if not _CLAUSE_WORDS.search(m)] or found
    if any(":A" in m for m in found):
        found = [m for m in found if not _INVARIABLE_PARTICIPLE.search(m)] or found
    participle = any(re.search(r":V[0-3][^/]*:Q", m) for m in found)
    adjective = all(":A" in m for m in found) and all(
        re.search(r":A[^/]*:[mf]:s(?=[:/#;]|$)", m) for m in found
    )
    if not found or not (participle or adjective):
        return False
    readings = [m for m in found if re.search(r":[QAN]", m)]
    return bool(readings) and all(_SINGULAR_ONLY.search(m) for m in readings)


def _subject_gender(sentence: list[Token], i: int) -> set[str] | None:
    """The gender of a noun right before the verb, when it has only one ("les questions")."""
    if i == 0 or sentence[i - 1].kind != "word" or not sentence[i - 1].has(r":N"):
        return None
    genders = {g for g in "mfe" if sentence[i - 1].has(rf":N[^/]*:{g}:[pi]")}
    return genders if genders in ({"m"}, {"f"}) else None


def _nothing_after(sentence: list[Token], k: int, token: Token) -> bool:
    """Punctuation, the end, a preposition or a plain adverb after the participle: no object,
    no noun it could be part of."""
    if k >= len(sentence):
        return True
    after = sentence[k]
    if after.kind == "punct" or after.low in _PREPOSITIONS:
        return True
    return after.has(r":W") and not after.has(r":[NAV]") and not token.has(r":N")


def rule_plural_etre_participle(sentence: list[Token]) -> Iterator[Finding]:
    """ "… sont présenté dans les tables" → "présentés"."""
    for i, token in enumerate(sentence):
        low = token.low
        if low == "été" and i > 0 and sentence[i - 1].low in _PLURAL_AVOIR:
            pass
        elif low not in _PLURAL_ETRE:
            continue
        reflexive = i > 0 and sentence[i - 1].low in {"se", "s'", "nous"}
        k = i + 1
        while k < len(sentence) and sentence[k].low in _ADVERBS:
            k += 1
        if k >= len(sentence):
            continue
        word = sentence[k]
        after = sentence[k + 1] if k + 1 < len(sentence) else None
        ends_clause = after is None or after.kind == "punct" or after.low in {"et", "mais"}
        if not _singular_participle(word, ends_clause):
            continue
        if reflexive and not _nothing_after(sentence, k + 1, word):
            continue  # "ils se sont lavé les mains": the object follows
        after = sentence[k + 1] if k + 1 < len(sentence) else None
        if (
            word.has(r":N")
            and after is not None
            and after.kind == "word"
            and after.low not in _PREPOSITIONS | DETERMINERS
        ):
            continue  # "elles sont partie prenante": a noun with its own words
        if k > 0 and sentence[k - 1].low == "bien" and word.low == "entendu":
            continue
        if reflexive and (word.low == "fait" or _VERB_FLAGS_INDIRECT.search("".join(word.morphs))):
            continue
        if reflexive and not _VERB_FLAGS_PRONOMINAL.search("".join(word.morphs)):
            continue
        genders = {"f"} if word.has(r":Q[^/]*:f:s") and not word.has(r":Q[^/]*:m:s") else {"m"}
        genders = _subject_gender(sentence, i) or genders
        fixes = agreed_forms(word, genders, {"p"})
        if fixes:
            yield _finding(
                word,
                f"Accord : après « {token.text} » (pluriel), le participe se met au pluriel.",
                fixes,
                "accord_participe_etre_pluriel",
            )


_SINGULAR_ETRE = {"est", "était", "sera", "serait", "soit", "fut"}
_ESSENTIALLY_PRONOMINAL = re.compile(r":V[0-3]_....p")


def rule_elle_s_est(sentence: list[Token]) -> Iterator[Finding]:
    """ "elle s'est trompé de bus" → "trompée": after "elle" and a reflexive "s'est", the
    participle agrees with the subject when "se" is its direct object (or the verb exists only
    with "se"), and nothing after it is an object ("elle s'est coupé les cheveux")."""
    for i, token in enumerate(sentence[2:-1], start=2):
        if token.low not in _SINGULAR_ETRE or sentence[i - 1].low not in {"s'", "se"}:
            continue
        if sentence[i - 2].low != "elle":
            continue
        k = i + 1
        while k < len(sentence) and sentence[k].low in _ADVERBS:
            k += 1
        if k >= len(sentence) or not plain(sentence[k]):
            continue
        word = sentence[k]
        if word.low == "fait" or not word.has(r":V[0-3][^/]*:Q[^/]*:m:s"):
            continue
        if word.has(r":V[0-3][^/]*:Q[^/]*:f"):
            continue  # feminine already, or invariable
        flags = "".join(word.morphs)
        if not (
            _ESSENTIALLY_PRONOMINAL.search(flags)
            or (_VERB_FLAGS_PRONOMINAL.search(flags) and not _VERB_FLAGS_INDIRECT.search(flags))
        ):
            continue
        if not _nothing_after(sentence, k + 1, word):
            continue
        fixes = agreed_forms(word, {"f"}, {"s"})
        if fixes:
            yield _finding(
                word,
                "Accord : après « elle s’est », le participe s’accorde avec « elle ».",
                fixes,
                "accord_participe_elle_se",
            )


RULES = [rule_plural_etre_participle, rule_elle_s_est]


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, RULES)
