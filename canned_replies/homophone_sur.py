"""sûr/sur decided by the words around them.

- "sûr" after a verb or a noun, before what only a preposition takes — a determiner, a stressed
  pronoun, a number, a name, "quoi"/"quel", "près de"/"plus de" — → the preposition "sur"
  ("posé sûr la table", "compter sûr moi", "étudié sûr 357 patients", "de l'eau sûr Mars",
  "Effet sûr la taille"); quiet after "être", "bien", "à coup", and before a time ("un
  placement sûr cette année", "un quartier sûr la nuit");
- "sur" ending a clause after "être" → "sûr" ("j'en suis sur !").

Measured on "sur"/"sûr" swapped in the tuning part's clean sentences
(benchmarks/bench_proofread_synthetic.py --kinds sur/sûr) and for precision on clean text.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import DETERMINERS, Token, _finding, _same_case
from canned_replies.homophones import run_rules
from canned_replies.homophones_short_words import _ETRE_FORMS, _lower_word
from canned_replies.quantity_agreement import NUMBERS

_STRESSED_PRONOUNS = {"moi", "toi", "lui", "eux", "nous", "vous", "elles"}
# A time after "sûr" and its determiner says when ("un placement sûr cette année").
_TIMES = {"fois", "nuit", "soir", "matin", "jour", "semaine", "année", "an", "mois", "hiver",
          "été", "saison"}  # fmt: skip
# Words only the preposition takes after it, besides determiners and pronouns.
_AFTER_PREPOSITION = {"quoi", "quel", "quelle", "quels", "quelles", "lequel", "laquelle",
                      "lesquels", "lesquelles", "près", "environ"}  # fmt: skip


def _preposition_follows(sentence: list[Token], i: int) -> bool:
    """What follows "sûr" at i is the preposition's complement: "la table", "moi", "357
    patients", "Mars", "quoi", "plus de 6 000" (not "des résultats": "sûr de")."""
    nxt = sentence[i + 1] if i + 1 < len(sentence) else None
    after = sentence[i + 2].low if i + 2 < len(sentence) else ""
    if nxt is None or after in _TIMES:
        return False
    return (
        nxt.low in DETERMINERS - {"du", "d'", "des", "de", "ce"}
        or (nxt.low == "ce" and after not in {"que", "qu'", "qui"})
        or nxt.low in _STRESSED_PRONOUNS | _AFTER_PREPOSITION | NUMBERS
        or (nxt.low in {"plus", "moins"} and after in {"de", "d'"})
        or nxt.text[:1].isdigit()
        or (nxt.kind == "word" and nxt.text[:1].isupper() and nxt.low not in _ETRE_FORMS)
    )


def rule_sur_sur(sentence: list[Token]) -> Iterator[Finding]:
    """ "posé sûr la table" → "sur"; "j'en suis sur !" → "sûr"."""
    for i, token in enumerate(sentence[1:], start=1):
        prev = sentence[i - 1]
        nxt = sentence[i + 1] if i + 1 < len(sentence) else None
        if token.low == "sûr" and _preposition_follows(sentence, i):
            # a participle, a noun or any other verb before (a capital only opening the
            # sentence: "Effet sûr la taille"); not "est sûr", "bien sûr", "à coup sûr"
            word = _lower_word(prev) or (i == 1 and prev.kind == "word" and bool(prev.morphs))
            verb_or_noun = word and prev.has(r":V[0-3]|:N")
            quiet = prev.low in _ETRE_FORMS or prev.low == "coup"
            if verb_or_noun and not prev.has(r":[GW]") and not quiet:
                yield _finding(
                    token,
                    "Confusion : la préposition « sur » (sans accent).",
                    [_same_case(token.text, "sur")],
                    "sur_preposition",
                )
        elif (
            token.low == "sur"
            and prev.low in _ETRE_FORMS - {"été", "être"}
            and (nxt is None or nxt.kind == "punct")
        ):
            yield _finding(
                token,
                "Confusion : l’adjectif « sûr » (certain).",
                [_same_case(token.text, "sûr")],
                "sur_adjectif",
            )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, [rule_sur_sur])
