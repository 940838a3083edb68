"""Slips around auxiliaries: an object pronoun glued to "avoir" or "être", a participle without
its accent after "être", and the question's "est-ce" (split from homophones_short_words.py).

- a subject pronoun, then "la"/"ta"/"ma"/"sa" and a past participle that is not also a
  conjugated verb of that subject: the object pronoun and "avoir" ("tu la reçu" → "l'as",
  "il ta envoyé" → "t'a", "il sa trompé" → "s'est"); also "ne la pas vu";
- a subject of the 3rd person, then "sait/ces/ses/c'est" and a participle that is nothing
  else → "s'est" ("il sait trompé"); "je/tu (ne) c'est" → "sais" ("je ne c'est pas");
- after "être", a verb of the first group in the present that is its participle without the
  accent ("le colis est arrive" → "arrivé"; not an adjective, not a noun attribute);
- "Qu'est ce qui" → "est-ce" (Grammalecte reads "qu'est ce que" only).

Written from French grammar on Grammalecte's morphology, tested on sentences written for
tests/canned_replies/test_homophones_short_words.py; precision read on the tuning part's
clean sentences and on outside text.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.auxiliary_forms import ETRE_AUXILIARY
from canned_replies.findings import Finding
from canned_replies.french_rules import Token, _finding, _same_case
from canned_replies.grammalecte_engine import morphs
from canned_replies.homophones import run_rules
from canned_replies.homophones_short_words import (
    _MASCULINE_SUBJECTS,
    _lower_word,
    _participle_only,
)

# "avoir" after an object pronoun, by subject ("tu la reçu" → "tu l'as reçu").
_AVOIR_BY_SUBJECT = {
    "je": "ai", "j'": "ai", "tu": "as", "il": "a", "elle": "a", "on": "a", "qui": "a",
    "nous": "avons", "vous": "avez", "ils": "ont", "elles": "ont",
}  # fmt: skip
_PERSON = {"je": ":1s", "tu": ":2s", "il": ":3s", "elle": ":3s", "on": ":3s", "qui": ":3s",
           "nous": ":1p", "vous": ":2p", "ils": ":3p", "elles": ":3p"}  # fmt: skip
_NEGATION_ADVERBS = {"pas", "jamais", "plus", "toujours", "encore", "déjà", "même", "rien"}


def rule_object_pronoun_avoir(sentence: list[Token]) -> Iterator[Finding]:
    """ "tu la reçu" → "l'as"; "il ta envoyé" → "t'a"; "il sa trompé" → "s'est"."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.low not in {"la", "ta", "ma", "sa"}:
            continue
        k = i - 1
        if sentence[k].low in {"ne", "n'"} and k > 0:
            k -= 1
        subject = sentence[k].low
        if subject not in _AVOIR_BY_SUBJECT:
            continue
        j = i + 1
        negated = k < i - 1
        if negated and sentence[j].low in _NEGATION_ADVERBS and j + 1 < len(sentence):
            j += 1
        elif negated:
            continue  # "il ne la voit": a verb comes before "pas"
        participle = sentence[j]
        if not _participle_only(participle, _PERSON[subject]):
            continue
        letter = token.low[0]
        if letter == "s":
            if _PERSON[subject] != ":3s":
                continue
            fix = "s'est"
        else:
            if (letter == "m" and subject in {"je", "j'"}) or (letter == "t" and subject == "tu"):
                continue
            fix = f"{letter}'{_AVOIR_BY_SUBJECT[subject]}"
        yield _finding(
            token,
            f"Confusion : le pronom élidé et l’auxiliaire, « {fix} » (devant le participe "
            f"« {participle.text} »).",
            [_same_case(token.text, fix)],
            "pronom_auxiliaire_elide",
        )


def rule_s_est_sais(sentence: list[Token]) -> Iterator[Finding]:
    """ "il sait trompé" → "s'est"; "je ne c'est pas" → "sais"."""
    for i, token in enumerate(sentence[1:-1], start=1):
        k = i - 1
        if sentence[k].low in {"ne", "n'"} and k > 0:
            k -= 1
        subject = sentence[k].low
        elided = token.low in {"c'", "s'"} and sentence[i + 1].low == "est"
        word = token.low in {"sait", "ces", "ses"} or elided
        if not word:
            continue
        end = sentence[i + 1].end if elided else token.end
        after = sentence[i + 2] if elided and i + 2 < len(sentence) else sentence[i + 1]
        if after is token:
            continue
        if subject in {"je", "tu"} and (elided or token.low in {"ces", "ses"}):
            fix = "sais"
        elif (
            subject in {"il", "elle", "on"}
            and k == i - 1
            and token.low != "s'"
            and _participle_only(after, ":3s")
            and not after.has(r"/:[NA]:")
        ):
            fix = "s'est"
        else:
            continue
        yield Finding(
            token.start,
            end,
            f"Confusion : « {fix} » après « {sentence[k].text} ».",
            [_same_case(token.text, fix)],
            "vigie.s_est_sais",
            "grammar",
        )


_ETRE_AUXILIARY = ETRE_AUXILIARY | {"soit", "soient"}
_BETWEEN = {"bien", "déjà", "pas", "jamais", "toujours", "enfin", "encore", "vite"}


def rule_participle_accent(sentence: list[Token]) -> Iterator[Finding]:
    """ "le colis est arrive hier" → "arrivé": after "être", a verb of the first group in the
    present that is its participle without the accent (not an adjective: "il est calme";
    not a noun that may be an attribute: "il est pilote", unless feminine after "il")."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.low not in _ETRE_AUXILIARY:
            continue
        j = i + 1
        if sentence[j].low in _BETWEEN and j + 1 < len(sentence):
            j += 1
        word = sentence[j]
        if not _lower_word(word) or not word.has(r":V1[^/]*:(?:Ip|Sp)") or word.has(r":Q"):
            continue
        if word.has(r"/:N:A|/:A|/:[GW]"):
            continue
        subject = sentence[i - 1].low
        if word.has(r"/:N") and not (word.only(r"/:N:f|:V") and subject in _MASCULINE_SUBJECTS):
            continue
        if word.low.endswith("es"):
            fix = word.text[:-2] + "és"
        elif word.low.endswith("e"):
            fix = word.text[:-1] + "é"
        else:
            continue
        if not any(":Q" in m and "zz" not in m for m in morphs(fix)):
            continue
        yield _finding(
            word,
            f"Après « {token.text} », le participe passé « {fix} » (avec son accent).",
            [fix],
            "participe_accent",
        )


def rule_qu_est_ce_qui(sentence: list[Token]) -> Iterator[Finding]:
    """ "Qu'est ce qui se passe ?" → "est-ce" (Grammalecte reads "qu'est ce que" only)."""
    for i, token in enumerate(sentence[:-3]):
        opens = i == 0 or sentence[i - 1].kind == "punct" or sentence[i - 1].low in {
            "et", "mais", "alors", "donc", "ou", "bon", "bref", "sinon"
        }  # fmt: skip
        if not opens or token.low != "qu'":
            continue
        est, ce, qui = sentence[i + 1], sentence[i + 2], sentence[i + 3]
        if est.low == "est" and ce.low == "ce" and qui.low == "qui":
            yield Finding(
                est.start,
                ce.end,
                "Interrogation : « est-ce » (avec un trait d’union).",
                [est.text + "-" + ce.text],
                "vigie.est_ce",
                "grammar",
            )


RULES = [rule_object_pronoun_avoir, rule_s_est_sais, rule_participle_accent, rule_qu_est_ce_qui]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
