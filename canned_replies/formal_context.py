"""Grammalecte findings that formal written French (news, encyclopaedias) shows to be right:
an apposition describing the name just before its comma, a noun made plural by a number that
opens a title, "différend" the noun after its determiner (grammar_findings.advice_in_context
applies them); and nationality adjectives joined by their combining form ("irano-irakienne"),
which the dictionary lacks (french.py). Each reading turns a blocking finding into advice
(issue 19, step 42)."""

from __future__ import annotations

import re

from canned_replies.grammalecte_engine import morphs

# The word right before a comma that ends just before the finding ("de Pompéi, ensevelie").
_WORD_BEFORE_COMMA = re.compile(r"([^\W\d_][\w'’-]*)\s*,\s*$")
# The word right before the finding ("Cent ans", "Sept ans").
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")
_DETERMINER_BEFORE = re.compile(
    r"(?:^|[\s(«\"])(?:un|le|ce|cet|du|au|son|mon|ton|leur|notre|votre|aucun|chaque|quel"
    r"|l['’]|les|des|ces|ses|leurs|nos|vos|aux|deux|trois|plusieurs|nombreux)\s*$",
    re.IGNORECASE,
)
_ONE = frozenset({"un", "une"})
# Endings that turn a combining form's stem into a nationality adjective ("iran-ien",
# "serb-e", "nipp-on", "marocain" from "maroco").
_GENTILE_ENDINGS = ("e", "ien", "ais", "ois", "ain", "an", "on", "in", "ite", "ique")


def apposition_after_name(rule_id: str, paragraph: str, start: int) -> bool:
    """ "Les fouilles de Pompéi, ensevelie par le Vésuve", "Les Misérables, roman de Victor
    Hugo": Grammalecte's "les + noun, + word" agreement (`gn_les_…_virg`) makes the word after
    the comma agree with "les"; when the word right before the comma is a capitalised word
    inside the sentence (a name, or the title that "Les" opens), the apposition may describe
    it: advice. "Les colis de la boutique, abîmé par…" still blocks."""
    if "gn_" not in rule_id or "_virg" not in rule_id:
        return False
    before = _WORD_BEFORE_COMMA.search(paragraph, max(0, start - 60), start)
    if before is None or not before.group(1)[:1].isupper():
        return False
    # Not the sentence's first word ("Paris, …" opens nothing "les" governs).
    return paragraph[: before.start(1)].strip() != ""


def plural_after_title_number(rule_id: str, paragraph: str, start: int, end: int) -> bool:
    """ "Le roman Cent ans de solitude", "le film Sept ans au Tibet": a capitalised cardinal
    inside the sentence opens a title, and the noun after it is plural by the number;
    Grammalecte's "le + noun" agreement asking it singular is advice. "Le roman ans" and
    "le deux ans" (not a title) still block."""
    if "gn_" not in rule_id or not paragraph[start:end].lower().endswith(("s", "x")):
        return False
    before = _WORD_BEFORE.search(paragraph, max(0, start - 30), start)
    if before is None:
        return False
    word = before.group(1)
    if not word[:1].isupper() or word.lower() in _ONE or paragraph[: before.start()].strip() == "":
        return False
    return any(":B" in m for m in morphs(word.lower()))


def differend_noun(rule_id: str, paragraph: str, start: int, end: int) -> bool:
    """ "un différend vieux de trente ans", "Le différend frontalier entre les deux pays":
    right after a determiner, "différend" is the noun (a dispute) whatever follows;
    Grammalecte's confusion with the adjective "différent" is advice. "des avis différends"
    still blocks."""
    if "différend" not in rule_id or not paragraph[start:end].lower().startswith("différend"):
        return False
    return _DETERMINER_BEFORE.search(paragraph, max(0, start - 20), start) is not None


def advice(rule_id: str, paragraph: str, start: int, end: int) -> bool:
    """A blocking Grammalecte finding that one of the readings above shows to be right
    formal French."""
    return (
        apposition_after_name(rule_id, paragraph, start)
        or plural_after_title_number(rule_id, paragraph, start, end)
        or differend_noun(rule_id, paragraph, start, end)
    )


def _gentile(word: str) -> bool:
    return any("#G" in m for m in morphs(word))


def joined_gentiles(word: str) -> bool:
    """ "la guerre irano-irakienne", "le conflit syro-libanais", "serbo-croate": nationality
    adjectives joined by combining forms in -o, each form the stem of a nationality adjective
    the dictionary knows ("iran-ien", "syr-ien", "serb-e") and the last part one itself; the
    dictionary lists only some ("franco-", "sino-"), so the others are words in use, not
    slips. "franco-allemend" (the last part misspelt) still blocks."""
    parts = word.lower().split("-")
    if len(parts) < 2 or not word[1:].islower() or not _gentile(parts[-1]):
        return False
    for first in parts[:-1]:
        if len(first) < 4 or not first.endswith("o"):
            return False
        stem = first[:-1]
        if not (_gentile(first) or any(_gentile(stem + ending) for ending in _GENTILE_ENDINGS)):
            return False
    return True
