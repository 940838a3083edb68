"""Real words typed for others (a negation, an inversion, an interjection), read from the clause
around them (issue 19, real-word errors):

- "en" for "ne" (two letters swapped): "en traînons pas" → "ne traînons pas". The pronoun
  "en" sits after its subject ("on en veut pas", "il en reste plus"); opening a clause, before
  a verb of the first or second person plural that is nothing else, then "pas/plus/jamais/
  rien", it is the negation (a third person or "tu" may have lost its subject and its "ne" in
  chat: "en faut pas", "t'en fais pas");
- "Ais je … ?" → "Ai-je": a question's first word followed by "je" that is no verb, but is
  a first-person verb form plus an "s" ("ais" is a noun, "ai" the verb);
- "et" where only the verb "est" fits: after "qui" and a noun, before a participle or an
  adjective ("le président qui et protégé" → "est"); in a question with no other verb, after
  "où"/"comment" or a "quel" phrase, before a name, a determiner or a participle ("Où et
  Amsterdam ?", "De quelle taille et l'Australie ?", "Quel président et apparu… ?");
- "où" between two words of one kind that it can only coordinate: two adjectives or
  participles that agree ("mélangé où administré", "familiale où professionnelle") or two
  numbers ("deux où trois", "une où plusieurs") → "ou";
- "aie" standing alone ("Aie !", "aie, ça pique") → "aïe": the verb "aie" is a subjunctive
  after "que" or an imperative with its complement ("aie confiance"), never a clause alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, Token, _finding, _same_case
from canned_replies.french_words import _gender_number, morphs
from canned_replies.homophones import sentences_with_questions
from canned_replies.noun_phrases import agrees, plain

_NEGATION_SECOND = {"pas", "plus", "jamais", "rien", "guère", "point", "personne"}
# What may come before a clause-opening "en" read as the negation: nothing, a comma or a
# conjunction (after a subject, an object pronoun or "ne", "en" is the pronoun).
_CLAUSE_OPENERS = {"et", "mais", "ou", "donc", "car", "alors", "puis", "sinon", "bon", "allez"}
_VOWELS = "aeiouéèêâîôûyh"


def rule_en_for_ne(sentence: list[Token]) -> Iterator[Finding]:
    """ "en traînons pas" → "ne": "en" opening a clause, then a finite verb and "pas"."""
    for i, token in enumerate(sentence[:-2]):
        if token.low != "en" or token.kind != "word":
            continue
        before = sentence[i - 1] if i > 0 else None
        if before is not None and before.text != "," and before.low not in _CLAUSE_OPENERS:
            continue
        verb, second = sentence[i + 1], sentence[i + 2]
        if second.low not in _NEGATION_SECOND or verb.kind != "word" or "-" in verb.text:
            continue
        if not verb.text.islower() or not verb.has(_CONJUGATED.pattern):
            continue
        if verb.has(r":[NAQWGRY]|:V[^/]*:P") or not verb.has(r":V[^/]*:(?:Ip|E)[^/]*:[12]p"):
            continue  # "en route", "en marchant"; "(il n')en faut pas", "(n')en fais pas"
        if verb.low[:1] in _VOWELS:
            fix = _same_case(token.text, "n'" + verb.text)
            yield Finding(token.start, verb.end, _MESSAGE, [fix], "vigie.en_pour_ne", "grammar")
        else:
            yield _finding(token, _MESSAGE, [_same_case(token.text, "ne")], "en_pour_ne")


_MESSAGE = "Négation : « ne » (et non « en ») devant le verbe, avant « pas »."


def rule_ais_je(sentence: list[Token], question: bool) -> Iterator[Finding]:
    """ "Ais je bien compris ?" → "Ai-je": a question opened by a word that is no verb, then
    "je", where the word less its final "s" is a first-person verb form."""
    if not question or len(sentence) < 3:
        return
    first, pronoun = sentence[0], sentence[1]
    if pronoun.low != "je" or first.kind != "word" or not first.low.endswith("s"):
        return
    if not first.text[1:].islower() or first.has(r":V"):
        return  # "Puis je…", "Dois je…": a verb, inversion_hyphen's reading
    stem = first.text[:-1]
    if not any(_CONJUGATED.search(m) and ":1s" in m for m in morphs(stem.lower())):
        return
    joined = f"{stem}-je"
    yield Finding(
        first.start,
        pronoun.end,
        f"Inversion du sujet dans une question : « {joined} ».",
        [joined],
        "vigie.inversion_verbe_je",
        "grammar",
    )


_QUEL = {"quel", "quelle", "quels", "quelles"}
_ET_MESSAGE = "Confusion : le verbe être, « est »."


def _finite(token: Token) -> bool:
    return token.kind == "word" and token.has(_CONJUGATED.pattern) and not token.has(r":[NAQ]")


def _participle_or_adjective(token: Token) -> bool:
    return (
        token.kind == "word"
        and token.text.islower()
        and token.has(r":[AQ]")
        and not token.has(r":[GRWDY]")
        and not token.has(_CONJUGATED.pattern)
    )


def rule_et_for_est(sentence: list[Token], question: bool) -> Iterator[Finding]:
    """ "le président qui et protégé", "Où et Amsterdam ?", "Quel président et apparu ?"."""
    for i in range(1, len(sentence) - 1):
        token, prev, nxt = sentence[i], sentence[i - 1], sentence[i + 1]
        if token.low != "et":
            continue
        if (
            prev.low == "qui"
            and i >= 2
            and sentence[i - 2].has(r":N")
            and not sentence[i - 2].has(r":[GRWV]")
            and _participle_or_adjective(nxt)
        ):
            rule = "est_apres_qui"  # "le président de la république qui et protégé"
        elif question and not any(_finite(t) for t in sentence if t is not token):
            det_or_name = nxt.kind == "elided" or nxt.low in _DETERMINERS or nxt.text[:1].isupper()
            opener = _question_opener(sentence, i)
            if opener is None or not (det_or_name or (opener and _participle_or_adjective(nxt))):
                continue
            if nxt.low in _QUEL:
                continue  # "Quel jour et quelle heure ?": two questions coordinated
            rule = "est_verbe_question"
        else:
            continue
        yield _finding(token, _ET_MESSAGE, [_same_case(token.text, "est")], rule)


_DETERMINERS = {"le", "la", "les", "l'", "un", "une", "des", "du", "ce", "cet", "cette",
                "ces", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre",
                "votre", "nos", "vos", "leur", "leurs"}  # fmt: skip


def _question_opener(sentence: list[Token], i: int) -> bool | None:
    """What opens the question before "et" at i: "où"/"comment" right before (False), a "quel"
    phrase of a noun and its adjectives (True), or nothing that asks (None)."""
    if i == 1 and sentence[0].low in {"où", "comment"}:
        return False
    k = 0
    if sentence[0].low in {"de", "à", "en", "pour", "dans", "sur", "par"}:
        k = 1
    if k >= i or sentence[k].low not in {"quel", "quelle"}:
        return None  # (after "quels/quelles", the verb would be "sont")
    words = sentence[k + 1 : i]
    if not words or not all(t.kind == "word" and t.has(r":[NA]") for t in words):
        return None
    return True


_NUMERALS = {
    "un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "plusieurs", "quelques",
}  # fmt: skip


def _numeral(token: Token) -> bool:
    return token.low in _NUMERALS or token.text.isdigit()


def _describing(token: Token) -> bool:
    """An adjective or participle, even if also a noun or a verb form ("professionnelle",
    "continues"), not a grammatical word."""
    return plain(token) and token.has(r":[AQ]") and not token.has(r":[GRWDY]")


def rule_ou_between_alike(sentence: list[Token]) -> Iterator[Finding]:
    """ "mélangé où administré", "deux où trois" → "ou"."""
    for i in range(1, len(sentence) - 1):
        token, prev, nxt = sentence[i], sentence[i - 1], sentence[i + 1]
        if token.text != "où":
            continue
        if _numeral(prev) and _numeral(nxt) and prev.low != "un":
            pass  # ("un où deux" would be odd; "l'un où…" is the pronoun)
        elif (
            _describing(prev)
            and _describing(nxt)
            and i >= 2
            and sentence[i - 2].low not in _DETERMINERS
        ):
            g1, n1 = _gender_number(prev, r":[AQ]")
            if not agrees(nxt, g1, n1):
                continue
        else:
            continue
        yield _finding(
            token,
            "Confusion : la conjonction « ou » (un choix entre deux termes).",
            ["ou"],
            "ou_entre_termes",
        )


def rule_aie_alone(sentence: list[Token]) -> Iterator[Finding]:
    """ "Aie !", "aie aie aie", "Aie, ça fait mal" → "aïe"."""
    k = 0
    while k < len(sentence) and sentence[k].low == "aie":
        k += 1
    if k == 0 or (k < len(sentence) and sentence[k].kind == "word"):
        return  # "aie confiance", "aie pitié": the imperative and its complement
    for token in sentence[:k]:
        yield _finding(
            token,
            "Interjection : « aïe » (tréma) ; « aie » est le verbe avoir.",
            [_same_case(token.text, "aïe")],
            "aie_interjection",
        )


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    found: list[Finding] = []
    for sentence, question in sentences_with_questions(text):
        found.extend(rule_en_for_ne(sentence))
        found.extend(rule_ais_je(sentence, question))
        found.extend(rule_aie_alone(sentence))
        found.extend(rule_ou_between_alike(sentence))
        found.extend(rule_et_for_est(sentence, question))
    return found
