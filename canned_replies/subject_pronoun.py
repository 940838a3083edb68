"""The one reader of a subject pronoun before a verb, for every suggestion that asks the
subject's person or gender (suggestion_context, suggestion_clause, suggestion_agreement,
one_letter_forms). Its own module so suggestion_agreement can call it without a cycle
(suggestion_context imports suggestion_agreement)."""

from __future__ import annotations

import re

from canned_replies.grammalecte_engine import morphs

# Subject pronouns and the person they ask of the verb ("je parl" → "parle", not "par"; "il
# vien" → "vient"). "elle"/"elles" are subjects unless a preposition governs them ("avec elle").
SUBJECT_PERSONS = {"je": ":1s", "j'": ":1s", "tu": ":2s", "il": ":3s", "elle": ":3s", "on": ":3s",
                   "ils": ":3p", "elles": ":3p"}  # fmt: skip
_STRESSED = frozenset({"elle", "elles"})
# "nous" and "vous" are subjects when they open a clause: at the text's start, after
# punctuation ("Bonjour Sophie, nous avont" → "avons") or a clause opener ("et nous
# revenont"); after a verb or a subject they are objects ("il nous a").
CLAUSE_PERSONS = {"nous": ":1p", "vous": ":2p"}
# "moi"/"toi" joined to another subject by "et" make a plural of their person.
COORDINATED_PERSONS = {"moi": ":1p", "toi": ":2p"}
PERSONS = {**SUBJECT_PERSONS, **CLAUSE_PERSONS, **COORDINATED_PERSONS}
# Gender and number a subject pronoun gives its attribute, where the pronoun says them
# ("on" and "vous" say neither: each reader decides what they give).
SUBJECT_AGREEMENT: dict[str, tuple[set[str], set[str]]] = {
    "il": ({"m"}, {"s"}), "elle": ({"f"}, {"s"}), "ils": ({"m"}, {"p"}),
    "elles": ({"f"}, {"p"}), "je": ({"m", "f"}, {"s"}), "j'": ({"m", "f"}, {"s"}),
    "tu": ({"m", "f"}, {"s"}), "nous": ({"m", "f"}, {"p"}),
}  # fmt: skip
# Object pronouns between a subject and its verb ("nous vous le renvoyons", "sil vous plaît").
OBJECTS_BEFORE_VERB = frozenset(
    {"ne", "n'", "me", "m'", "te", "t'", "se", "s'", "nous", "vous", "le", "la", "les", "l'",
     "lui", "leur", "y", "en"}
)  # fmt: skip
_CLAUSE_OPENERS = frozenset(
    {"que", "qu'", "si", "quand", "lorsque", "lorsqu'", "comme", "où", "et", "mais", "ou",
     "car", "puis", "donc", "alors", "puisque", "puisqu'", "bonjour", "merci"}
)  # fmt: skip
_CLAUSE_PUNCTUATION = re.compile(r"[.!?…:,;\n]")
_WORD = re.compile(r"[^\W\d_]+['’]?")
_PREPOSITION = re.compile(r":R")


def _low(word: str) -> str:
    return word.lower().replace("’", "'")


def subject_pronoun(text: str, start: int, *, after_elision: bool = True) -> str | None:
    """The subject pronoun right before `start` ("j'", "elle", "nous", "moi" after "et"),
    lowercased, or None: a subject-only pronoun, not an inverted one ("puis-je trouvé": the
    next verb is not its), "elle(s)" not after a preposition, "nous"/"vous" only opening a
    clause. `after_elision=False` reads no pronoun elided onto the word before ("qu'il",
    "s'il")."""
    before = list(_WORD.finditer(text, max(0, start - 40), start))
    if not before or text[before[-1].end() : start].strip():
        return None
    pronoun = before[-1]
    joined = text[max(0, pronoun.start() - 1) : pronoun.start()]
    if joined == "-" or (not after_elision and joined in {"'", "’"}):
        return None
    word = _low(pronoun.group())
    prior = _low(before[-2].group()) if len(before) > 1 else None
    gap = text[before[-2].end() if len(before) > 1 else 0 : pronoun.start()]
    if word in SUBJECT_PERSONS:
        governed = (
            word in _STRESSED
            and prior is not None
            and not gap.strip()
            and prior.isalpha()
            and any(_PREPOSITION.search(m) for m in morphs(prior))
        )
        return None if governed else word
    if word in COORDINATED_PERSONS and prior == "et":
        return word  # "Paul et moi avons", "Marie et toi êtes"
    if word not in CLAUSE_PERSONS:
        return None
    if prior is None and not gap.strip():
        return word  # the text's first word
    if prior in _CLAUSE_OPENERS or _CLAUSE_PUNCTUATION.search(gap):
        return word
    return None


def subject_person(text: str, start: int, *, after_elision: bool = True) -> str | None:
    """The person (":1s") the subject pronoun right before `start` asks of the verb, or
    None (subject_pronoun reads the pronoun)."""
    word = subject_pronoun(text, start, after_elision=after_elision)
    return None if word is None else PERSONS[word]
