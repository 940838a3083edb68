"""Verb number decided by a whole subject, where Grammalecte reads only the noun before the verb.

- a singular head with a plural complement: "Le prix des billets ont augmenté" → "a" (the verb
  agrees with "prix"; quiet when the head is a collective or a quantity, "le nombre de clients
  ont", "la plupart des gens sont", where either reading is used);
- two singular noun phrases joined by "et": "Le chat et le chien dort" → "dorment";
- "c'est nous/vous/eux qui" + a verb of another person: "C'est nous qui a gagné" → "avons";
- a second attribute joined by "et": "Cette ville est magnifique et très animé" → "animée";
- a noun without determiner after a comma, then its participle: "…, livraison effectué".

The subject is read at the start of a sentence or after an opening phrase and its comma
(noun_phrases.subject_starts); each rule needs a verb form that is nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import (
    COLLECTIVE_NOUNS,
    Token,
    _finding,
    _gender_number,
)
from canned_replies.french_words import run_rules, verb_forms
from canned_replies.noun_phrases import (
    ETRE_PLUR,
    ETRE_SING,
    adjective,
    agreed_forms,
    agrees,
    noun_phrase,
    plain,
    subject_starts,
)

# Heads after which the verb may agree with the complement ("un tas de gens sont venus").
QUANTITY_HEADS = COLLECTIVE_NOUNS | {
    "type", "genre", "sorte", "espèce", "tas", "paquet", "multitude", "infinité", "masse",
    "poignée", "pourcentage", "million", "milliard", "millier", "centaine", "peu", "plein",
    "part", "nombre", "total", "maximum", "minimum", "couple", "paire", "bande", "équipe",
}  # fmt: skip
_BEFORE_VERB = {"ne", "n'", "se", "s'", "me", "m'", "te", "t'", "lui", "leur", "y", "en",
                "le", "la", "les", "l'", "nous", "vous"}  # fmt: skip
_FINITE = r":V[^/]*:(?:Ip|Iq|If|Is|K|Sp|Sq)(?::[^/:]+)*:"
_AUXILIARIES = {"est", "sont", "a", "ont", "était", "étaient", "sera", "seront", "avait",
                "avaient", "va", "vont", "fait", "font"}  # fmt: skip


def _verb_at(sentence: list[Token], k: int) -> Token | None:
    """The finite verb after a subject, past "ne" and object pronouns."""
    while k < len(sentence) and sentence[k].low in _BEFORE_VERB:
        k += 1
    if k >= len(sentence) or not plain(sentence[k]):
        return None
    verb = sentence[k]
    if verb.low in _AUXILIARIES:
        return verb
    if not verb.has(_FINITE) or verb.has(r":[NAQWGR]"):
        return None  # "portes", "rencontre": a noun too
    return verb


def _singular_verb(verb: Token | None, subject: str, rule: str) -> Iterator[Finding]:
    """A plural verb after a singular subject, with its singular forms as fixes."""
    if verb is None or not verb.has(_FINITE + "3p") or verb.has(_FINITE + "3s"):
        return
    fixes = verb_forms(verb.text, ":3s")[:3]
    if fixes:
        message = f"Accord avec le sujet « {subject} » (singulier) : le verbe au singulier."
        yield _finding(verb, message, fixes, rule)


def _list_in_a_complement(sentence: list[Token], start: int) -> bool:
    """ "Le Fonds de lutte contre le sida, la tuberculose et le paludisme a été créé": the
    pair after the comma ends a list that a preposition of the noun phrase before it opened,
    so the singular verb is its head's. Read so when the clause opens on a determiner and a
    preposition stands between it and the comma; "Selon le rapport, le prix et la date est"
    (the opening starts with the preposition) and "Le chat, le chien et le lapin dort" (no
    preposition) still block."""
    if start < 2 or sentence[start - 1].text != "," or not sentence[0].has(r":D"):
        return False
    return any(t.kind == "word" and t.has(r":R") for t in sentence[1 : start - 1])


def rule_head_complement(sentence: list[Token]) -> Iterator[Finding]:
    """ "Le prix des billets ont augmenté" → "a"; "Le chat et le chien dort" → "dorment"."""
    for start in subject_starts(sentence):
        phrase = noun_phrase(sentence, start)
        if phrase is None:
            continue
        head, _, head_n = phrase.head
        k = phrase.end
        if k < len(sentence) and sentence[k].low == "et":
            if _list_in_a_complement(sentence, start):
                continue
            other = noun_phrase(sentence, k + 1)
            if other is None or head_n != {"s"} or other.head[2] != {"s"}:
                continue
            if len(phrase.nouns) > 1 or len(other.nouns) > 1 or head.low in QUANTITY_HEADS:
                continue  # "la sévérité de la douleur et du retentissement": complements
            if sentence[k + 1].low in {"du", "des", "au", "aux"}:
                continue
            verb = _verb_at(sentence, other.end)
            if verb is None or not verb.has(_FINITE + "3s") or verb.has(_FINITE + "3p"):
                continue
            fixes = verb_forms(verb.text, ":3p")[:3]
            message = "Accord : deux sujets coordonnés par « et », le verbe au pluriel."
            if fixes:
                yield _finding(verb, message, fixes, "accord_sujets_coordonnes")
            continue
        if head_n != {"s"} or head.low in QUANTITY_HEADS or len(phrase.nouns) < 2:
            continue
        if not any(n == {"p"} for _, _, n in phrase.nouns[1:]):
            continue  # Grammalecte reads the noun before the verb itself
        yield from _singular_verb(_verb_at(sentence, k), head.text, "accord_sujet_complement")


_PERSONS = {"nous": ":1p", "vous": ":2p", "eux": ":3p", "elles": ":3p"}
_ETRE = {"est", "sont", "était", "étaient", "sera", "seront", "serait", "c'est"}


def rule_c_est_pronoun_qui(sentence: list[Token]) -> Iterator[Finding]:
    """ "C'est nous qui a gagné" → "avons": after "c'est … qui", the verb takes the person of
    the pronoun."""
    for i, token in enumerate(sentence[1:-2], start=1):
        person = _PERSONS.get(token.low)
        if person is None or sentence[i + 1].low != "qui" or sentence[i - 1].low not in _ETRE:
            continue
        verb = _verb_at(sentence, i + 2)
        if verb is None or verb.has(_FINITE + person[1:]):
            continue
        if not verb.has(_FINITE + r"(?:3s|3p|1s|2s)"):
            continue
        fixes = verb_forms(verb.text, person)[:3]
        if fixes:
            yield _finding(
                verb,
                f"Accord : « {token.text} qui » demande le verbe à la même personne.",
                fixes,
                "accord_pronom_qui",
            )


_ATTRIBUTE_ADVERBS = {"très", "trop", "si", "tellement", "vraiment", "super", "bien", "assez",
                      "plutôt", "aussi", "toujours", "encore", "déjà", "pas", "plus", "peu",
                      "ne", "n'", "tout", "toute", "toutes", "tous"}  # fmt: skip
_ETRE_ALL = ETRE_SING | ETRE_PLUR


def _attribute(sentence: list[Token], k: int) -> tuple[Token | None, int]:
    while k < len(sentence) and sentence[k].low in _ATTRIBUTE_ADVERBS:
        k += 1
    if k < len(sentence) and adjective(sentence[k]):
        return sentence[k], k
    return None, k


def rule_coordinated_attribute(sentence: list[Token]) -> Iterator[Finding]:
    """ "Cette ville est magnifique et très animé" → "animée": a second attribute joined by
    "et" agrees with the subject like the first."""
    for start in subject_starts(sentence):
        phrase = noun_phrase(sentence, start)
        if phrase is None or phrase.end >= len(sentence):
            continue
        if sentence[phrase.end].low not in _ETRE_ALL:
            continue
        first, k = _attribute(sentence, phrase.end + 1)
        if first is None or k + 2 >= len(sentence) or sentence[k + 1].low != "et":
            continue
        second, _ = _attribute(sentence, k + 2)
        if second is None:
            continue
        _, head_g, head_n = phrase.head
        if not agrees(first, head_g, head_n) or agrees(second, head_g, head_n):
            continue
        fixes = agreed_forms(second, head_g, head_n)
        if fixes:
            yield _finding(
                second,
                f"Accord avec le sujet « {phrase.head[0].text} », comme « {first.text} ».",
                fixes,
                "accord_attributs_coordonnes",
            )


def rule_bare_noun_after_comma(sentence: list[Token]) -> Iterator[Finding]:
    """ "Problème résolu, livraison effectué" → "effectuée": a noun without determiner opening a
    clause after a comma, then its participle or adjective (Grammalecte reads the sentence
    start only)."""
    for i in range(1, len(sentence) - 2):
        if sentence[i].text != ",":
            continue
        noun, word = sentence[i + 1], sentence[i + 2]
        if not plain(noun) or not noun.only(r":N") or not adjective(word):
            continue  # a verb form too ("commande", "reste"): may be an imperative
        genders, numbers = _gender_number(noun, r":N")
        if genders == {"m", "f"} or agrees(word, genders, numbers):
            continue  # an epicene noun ("page"): either gender
        after = sentence[i + 3] if i + 3 < len(sentence) else None
        if after is not None and after.has(r":N") and not word.has(r":Q"):
            continue  # the adjective may open the next noun
        fixes = agreed_forms(word, genders, numbers)
        if fixes:
            yield _finding(
                word,
                f"Accord : « {word.text} » se rapporte à « {noun.text} ».",
                fixes,
                "accord_nom_sans_determinant",
            )


_FIRST_NAME = r"^>[^/]*/:M1:"


def rule_singular_subject_plural_verb(sentence: list[Token]) -> Iterator[Finding]:
    """ "tout le monde sont d'accord", "toute la classe sont partie" → "est": "tout le/toute
    la" + a singular noun is singular (Grammalecte reads no subject past "tout"); "Lucas ont
    dit" → "a": a first name alone, not coordinated, is singular."""
    for start in subject_starts(sentence):
        if start >= len(sentence):
            continue
        first = sentence[start]
        if first.low in {"tout", "toute"} and start + 2 < len(sentence):
            if sentence[start + 1].low not in {"le", "la", "l'"}:
                continue
            phrase = noun_phrase(sentence, start + 1)
            if phrase is None or phrase.head[2] != {"s"} or len(phrase.nouns) > 1:
                continue
            end, subject = phrase.end, f"{first.text} {sentence[start + 1].text}"
        elif first.text[:1].isupper() and first.only(_FIRST_NAME) and start + 1 < len(sentence):
            if sentence[start + 1].low in {"et", "ou", "ni", ",", "-"}:
                continue  # "Paul et Marie ont", "Paul, Marie et moi"
            end, subject = start + 1, first.text
        else:
            continue
        yield from _singular_verb(_verb_at(sentence, end), subject, "accord_sujet_singulier")


RULES = [
    rule_singular_subject_plural_verb,
    rule_head_complement,
    rule_c_est_pronoun_qui,
    rule_coordinated_attribute,
    rule_bare_noun_after_comma,
]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
