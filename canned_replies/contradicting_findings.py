"""Grammalecte's findings that one of our fixes nearby makes wrong, dropped.

Grammalecte reads a word with its neighbours as written; when our rule corrects a neighbour,
Grammalecte's "fix" agrees the word with the slip: the participle after a verb in the wrong
number ("les colis qui est arrivés" → "arrivé"), the words after "mes" read as "mais" ("mes a
refusé" → "refusés"), "Quant" before "a" made "à" ("Quant a la livraison" → "Quand"), the
noun after an "est" made "et" ("contextes est relations" → "relation"), the verb after an
inversion joined ("Comment puis je devenir" → "deviens").
Showing both would offer two contradicting fixes; french.py applies these after merging our
findings.
"""

from __future__ import annotations

import re

from canned_replies.findings import Finding

# Our findings that put a form of "être" after "qui" in its antecedent's number.
_VERB_AFTER_QUI = {
    "vigie.accord_qui_etre_attribut",
    "vigie.accord_qui_antecedent",
    "vigie.accord_qui_groupe",
    "vigie.accord_qui_liste",
}
# Grammalecte's own conjugation finding on "qui a", "qui sont"… ("les commandes qui a été
# livrées" → "ont"): its participle finding beside it agrees with the wrong verb too.
_AUXILIARY_AFTER_QUI = re.compile(
    r"qui\s+(?:est|sont|était|étaient|sera|seront|a|ont|avait|avaient|aura|auront)$", re.I
)
_ADVERBS_BETWEEN = re.compile(r"^(?:\s+[\w'’]+){0,3}\s+$")


def without_participle_of_wrong_verb(
    paragraph: str, offset: int, found: list[Finding]
) -> list[Finding]:
    """ "les colis qui est arrivés": once a rule puts the verb in the antecedent's number
    ("sont"), Grammalecte's finding on the participle, which agrees it with the wrong verb
    ("arrivé"), is a wrong fix on a right word: dropped."""
    verbs = [
        f.end - offset
        for f in found
        if f.rule in _VERB_AFTER_QUI
        or (
            f.rule.startswith("grammalecte.conj.")
            and _AUXILIARY_AFTER_QUI.match(paragraph, max(0, f.start - offset - 4), f.end - offset)
        )
    ]
    return _without_participle_after(paragraph, offset, found, verbs)


def _without_participle_after(
    paragraph: str, offset: int, found: list[Finding], ends: list[int]
) -> list[Finding]:
    """Grammalecte's participle findings right after one of `ends`, past up to three
    adverbs."""
    if not ends:
        return found
    return [
        f
        for f in found
        if not (
            f.rule.startswith("grammalecte.ppas.")
            and any(
                0 < f.start - offset - end <= 30
                and _ADVERBS_BETWEEN.match(paragraph[end : f.start - offset])
                for end in ends
            )
        )
    ]


_NEXT_TWO_WORDS = re.compile(r"^\s+(?:[\w'’-]+\s+)?$")


def without_agreement_with_wrong_determiner(
    paragraph: str, offset: int, found: list[Finding]
) -> list[Finding]:
    """ "mes a refusé", "mes sont privées": once our rule reads "mes" as "mais", Grammalecte's
    findings on the next two words, agreeing them with "mes" ("refusés", "sons"): dropped."""
    ends = [f.end - offset for f in found if f.rule == "vigie.mais_conjonction"]
    if not ends:
        return found
    return [
        f
        for f in found
        if not (
            (f.rule.startswith("grammalecte.gn.") or "_déterminant_" in f.rule)
            and any(_NEXT_TWO_WORDS.match(paragraph[end : f.start - offset]) for end in ends)
        )
    ]


def without_quand_before_a(paragraph: str, offset: int, found: list[Finding]) -> list[Finding]:
    """ "Quant a la livraison": once our rule makes "a" the preposition, "Quant à" is right and
    Grammalecte's "Quand", read from the verb "a", is a wrong fix on a right word: dropped."""
    starts = [f.start - offset for f in found if f.rule.startswith("vigie.a_preposition")]
    if not starts:
        return found
    return [
        f
        for f in found
        if not (
            "quand_quant" in f.rule
            and paragraph[f.start - offset : f.end - offset].lower() == "quant"
            and any(paragraph[f.end - offset : start].isspace() for start in starts)
        )
    ]


def without_attribute_of_est_made_et(
    paragraph: str, offset: int, found: list[Finding]
) -> list[Finding]:
    """ "des contextes est relations internationales": once our rule reads "est" as "et"
    between two nouns, Grammalecte's finding on the noun after it, agreed as the attribute of
    "est" ("relation"), is a wrong fix on a right word: dropped."""
    ends = [f.end - offset for f in found if f.rule == "vigie.et_noms_coordonnes"]
    return _without_participle_after(paragraph, offset, found, ends)


# Nothing, one word, or one elided pronoun ("m'aider") between the inversion and the finding.
_ONE_WORD = re.compile(r"^\s*$|^\s+[\w'’-]+\s+$|^\s+\w+['’]$")


def without_subject_of_joined_inversion(
    paragraph: str, offset: int, found: list[Finding]
) -> list[Finding]:
    """ "Comment puis je devenir partenaire ?": once our rule joins "puis-je", Grammalecte's
    findings on the pronoun ("j’") or the infinitive after it, read as the verb of "je"
    ("deviens"), are wrong fixes on right words: dropped. So are its findings on the word
    after a "tu" it read as a subject before a non-verb ("Veut tu un café ?" → "un", "Sait
    tu où…" → "houes") or before an infinitive ("Peut tu m'aider ?" → "aides")."""
    spans = [
        (f.start - offset, f.end - offset) for f in found if f.rule == "vigie.inversion_trait_union"
    ]
    if not spans:
        return found
    return [
        f
        for f in found
        if not (
            (
                f.rule.startswith(("grammalecte.conj.", "grammalecte.eleu."))
                or "conf_tu_non_verbe" in f.rule
            )
            and any(
                start <= f.start - offset < end
                or (f.start - offset >= end and _ONE_WORD.match(paragraph[end : f.start - offset]))
                for start, end in spans
            )
        )
    ]


_NEXT_WORDS = re.compile(r"^\s+(?:[\w'’-]+\s+)?$")


def without_preverb_reading_of_joined_imperative(
    paragraph: str, offset: int, found: list[Finding]
) -> list[Finding]:
    """ "Lavez les à la main", "Mettez les en valeur", "Envoyez les nous": once an imperative
    and its pronoun are joined ("Lavez-les", ours or Grammalecte's), Grammalecte's confusion
    findings on the next two words, which read "les" as a pronoun before a verb ("a",
    "valeur" → a verb, "nous" → "noues"), are wrong fixes on right words: dropped."""
    ends = [
        f.end - offset
        for f in found
        if f.rule == "vigie.imperatif_trait_union" or f.rule.startswith("grammalecte.imp.")
    ]
    if not ends:
        return found
    return [
        f
        for f in found
        if not (
            f.rule.startswith("grammalecte.conf.")
            and any(
                f.start - offset >= end and _NEXT_WORDS.match(paragraph[end : f.start - offset])
                for end in ends
            )
        )
    ]
