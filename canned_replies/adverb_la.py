"""The adverb "là" written "la", and the demonstrative it calls for (issue 19, homophones):

- "la" ending a clause after "être" or "par" ("je suis la", "tu es la ?", "passe par la"),
  after "être" before a word that opens no noun phrase ("il sera la aussi"), or after an
  imperative and its pronoun ("pose-le la, …") → "là": the article needs a noun after it,
  and the pronoun stands before its verb ("je la vois") or after an imperative with a hyphen
  ("prends-la");
- "la" after a demonstrative phrase, ending the clause or before its verb ("ce jour la.",
  "ces gens la sont…") → "là" ("ces gens-là"): there "la" can open no noun phrase;
- "ses" opening a phrase that "là" closes ("ses choses là", "ses gens-là") → "ces": "là"
  points, the possessive does not (context_rules reads "ses jours-ci", one token).

Quiet after a determiner or "en" (the note: "un la", "en la mineur"), in "oh la la", after
a verb ("regarde la !" is also "regarde-la") and when a noun may follow ("cette fois la
maison…").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.auxiliary_forms import ETRE_INDICATIVE, RESTER_PRESENT
from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, DETERMINERS, Token, _finding, _same_case
from canned_replies.french_words import run_rules

_ETRE = ETRE_INDICATIVE | {"être"} | RESTER_PRESENT
_DEMONSTRATIVES = {"ce", "cet", "cette", "ces"}
_INTERJECTIONS = {"oh", "ah", "ô", "la", "tra", "ouh", "o"}
_MESSAGE = "Confusion : l’adverbe « là » (lieu, moment), pas l’article « la »."


def _clause_ends(sentence: list[Token], k: int) -> bool:
    """The sentence or the clause ends at k: its end, a comma, a closing bracket or quote (an
    opening quote starts a title, an ellipsis may cut a phrase short: "par la…")."""
    if k >= len(sentence):
        return True
    token = sentence[k]
    return token.kind == "punct" and token.text[:1] in ",;:.!?)»" and "…" not in token.text


def _verb_after_la(token: Token) -> bool:
    """A finite verb that is no noun or adjective, of "être" or starting with a vowel ("sont",
    "ont", "arrivent"): the pronoun "la" is never the object of "être" and is elided before a
    vowel ("l'ont"), so "la" is the adverb."""
    return (
        token.kind == "word"
        and (token.low[:1] in "aeiouyéèêâîôû" or token.has(r">être/"))
        and token.has(_CONJUGATED.pattern)
        and not token.has(r":[NAWGD]")
        and token.text.islower()
    )


_IMPERATIVE_PRONOUNS = {"le", "les", "moi", "toi", "lui", "leur", "nous", "vous"}


def _no_phrase_after(token: Token) -> bool:
    """A word that opens no noun phrase: "sera la aussi", "t'es la ou pas" (after "être" the
    pronoun "la" cannot stand, so only the article or the adverb)."""
    return (
        token.kind == "word"
        and token.text.islower()
        and bool(token.morphs)
        and not token.has(r":[NAMYV]|:G:D")
    )


def _demonstrative_phrase(sentence: list[Token], i: int) -> bool:
    """A demonstrative, a noun (and its adjectives) right before i: "ces gens", "ce jour"."""
    k = i - 1
    seen_noun = False
    while k >= 0 and i - k <= 3:
        token = sentence[k]
        if token.low in _DEMONSTRATIVES:
            return seen_noun
        if token.kind != "word" or not token.text.islower() or not token.has(r":[NA]"):
            return False
        seen_noun = seen_noun or token.has(r":N")
        k -= 1
    return False


def rule_la_adverb(sentence: list[Token]) -> Iterator[Finding]:
    """ "je suis la", "par la", "ce jour la", "ces gens la sont…" → "là"."""
    for i, token in enumerate(sentence):
        if token.low != "la" or token.kind != "word" or i == 0:
            continue
        prev = sentence[i - 1]
        if prev.low in DETERMINERS or prev.low in _INTERJECTIONS or prev.low == "en":
            continue
        end = _clause_ends(sentence, i + 1)
        if "-" in prev.text:
            # "pose-le la, sur la table": an imperative and its pronoun, then the clause ends
            if not (end and prev.low.rsplit("-", 1)[1] in _IMPERATIVE_PRONOUNS):
                continue  # "celui-là la…", "dis-moi la…"
        elif prev.low in _ETRE:
            if not end and not _no_phrase_after(sentence[i + 1]):
                continue  # "je suis la tête", "c'est la plus belle"
        elif prev.low == "par":
            if not end:
                continue  # "par la porte"
        elif _demonstrative_phrase(sentence, i):
            if not end and not _verb_after_la(sentence[i + 1]):
                continue  # "cette fois la maison…", "ces gens la voient": article, pronoun
        else:
            continue
        yield _finding(token, _MESSAGE, [_same_case(token.text, "là")], "la_adverbe")


def rule_ses_la(sentence: list[Token]) -> Iterator[Finding]:
    """ "ses choses là" → "ces": the phrase a "là" points at is demonstrative."""
    for i, token in enumerate(sentence[:-2]):
        if token.low != "ses":
            continue
        k = i + 1
        while k < len(sentence) and k - i <= 3 and sentence[k].kind == "word":
            word = sentence[k]
            if (
                word.low in {"là", "la"}
                and k > i + 1
                and _clause_ends_or_verb(sentence, k + 1, word)
            ):
                yield _finding(
                    token,
                    "Confusion : le démonstratif « ces » (ces choses-là), pas le possessif.",
                    [_same_case(token.text, "ces")],
                    "ces_la",
                )
                break
            if not word.text.islower() or not word.has(r":[NA]") or word.has(r":[GD]"):
                break
            k += 1


def _clause_ends_or_verb(sentence: list[Token], k: int, la: Token) -> bool:
    """After "là" the clause ends or its verb comes; after "la", as for rule_la_adverb."""
    if _clause_ends(sentence, k):
        return True
    nxt = sentence[k]
    if la.low == "là":
        return nxt.kind == "word" and nxt.has(_CONJUGATED.pattern) and not nxt.has(r":[NAWGD]")
    return _verb_after_la(nxt)


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph; not before an ellipsis, which may cut a
    phrase short ("en passant par la…")."""
    found = run_rules(text, [rule_la_adverb, rule_ses_la])
    return [f for f in found if not re.match(r"\s*(?:…|\.\.)", text[f.end :])]
