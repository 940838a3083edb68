"""ou/où decided by the words around it: "d'ou", "Ou est la gare ?" → "où"; "par carte où par
chèque", "où si vous préférez", "et/où", "vous avez où avez eu" → "ou" (after "où", the
preposition used just before it, a verb of the 1st or 2nd person with no subject, or no
verb before the clause ends).

Split from homophones.py (which keeps the vocabulary both read); measured on the tuning part
(benchmarks/bench_proofread.py --rules) and on injected mistakes
(benchmarks/bench_proofread_synthetic.py --kinds=ou/où).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import takewhile

from canned_replies.findings import Finding
from canned_replies.french_rules import (
    _CONJUGATED,
    CLITICS,
    DETERMINERS,
    Token,
    _finding,
    _same_case,
)
from canned_replies.homophones import CLAUSE_BREAKS, heading, sentences_with_questions
from canned_replies.noun_phrases import plain as plain_word

_CLAUSE_WORD = {"je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "c'", "ce"}


_DE = {"de", "d'", "du", "des"}
_A = {"à", "au", "aux"}


def _ou_between(sentence: list[Token], i: int, question: bool) -> bool:
    """ "allergique à la pénicilline où à l'un des…", "vous avez où avez eu": after "où",
    the preposition just used before it, or a verb of the 1st or 2nd person with no subject
    (a relative "où" inverts only a 3rd-person subject: "où vivent mes parents")."""
    nxt = sentence[i + 1]
    if not question and "-" not in nxt.text and nxt.has(_CONJUGATED.pattern):
        return nxt.has(r":[12][sp]") and not nxt.has(r":3[sp]|:[NAGW]")
    group = (
        _DE
        if nxt.low in _DE
        else _A
        if nxt.low in _A
        else {nxt.low} & {"par", "pour", "avec", "sans", "sur", "dans"}
    )
    if not group or (
        i + 2 < len(sentence)
        and sentence[i + 2].low in {"nombreux", "nombreuses", "plus", "moins", "autres"}
    ):
        return False
    return any(t.low in group for t in sentence[max(0, i - 5) : i])


# Verbs asking where ("Ou tu habites ?" → "Où"), after a subject pronoun opening a question.
_PLACE_VERBS = r">(?:être|aller|habiter|vivre|travailler|partir|dormir|résider|loger|passer)/"


def _where_question(sentence: list[Token]) -> bool:
    """ "Ou tu es ?", "Ou est-ce que…", "Ou vas-tu ?": a question opened by "ou" with a verb of
    place and no second "ou" (an alternative: "Ou tu viens, ou tu restes ?")."""
    if len(sentence) < 2 or sum(t.low == "ou" for t in sentence) > 1:
        return False
    k = 1
    if sentence[1].low == "est-ce" and len(sentence) > 3 and sentence[2].low in {"que", "qu'"}:
        k = 3  # "Ou est-ce que tu habites ?"
    first = sentence[k]
    if k == 1 and "-" in first.low and first.has(_PLACE_VERBS):
        return True  # "Ou vas-tu ?"
    return (
        first.low in {"tu", "vous", "il", "elle", "on", "ils", "elles", "je", "j'", "nous"}
        and len(sentence) > k + 1
        and sentence[k + 1].has(_PLACE_VERBS)
        and sentence[k + 1].has(_CONJUGATED.pattern)
    )


def _any_verb(sentence: list[Token]) -> bool:
    return any(
        t.has(_CONJUGATED.pattern) or t.has(r":Y") or t.low in _CLAUSE_WORD for t in sentence
    )


# An infinitive after these is theirs, not the verb of a relative "où" ("où l'hôpital pour
# planifier", unlike "où aller").
_GOVERN_INFINITIVE = {"pour", "de", "d'", "à", "sans", "afin", "par"}


def _verb_next(rest: list[Token], k: int) -> bool:
    """The clitic at k is an object pronoun before its verb ("où le trouver", "où la
    voir"), not an article ("où la mâchoire", "où l'agence": a noun, even if also a verb)."""
    return k + 1 < len(rest) and (
        rest[k + 1].low in CLITICS
        or rest[k + 1].has(":Y")
        or (rest[k + 1].has(_CONJUGATED.pattern) and not rest[k + 1].has(r":N"))
    )


def _coordinated_subject_verb(sentence: list[Token], i: int, j: int) -> bool:
    """ "le magasin où ma sœur et mon frère travaillent", "où Paul et moi sommes nés": the
    words after "où" stop at "et", but the clause goes on with a coordinated subject and its
    plural verb. Not after a subject pronoun (a new clause: "lundi où mardi et je viens")."""
    if j >= len(sentence) or sentence[j].low not in {"et", "ou", "ni"}:
        return False
    before = sentence[i - 1]  # a relative "où" follows its noun: "le magasin où", "le jour où"
    if not (before.has(r":N") or before.text[:1].isupper()) or before.only(r":[AQ]"):
        return False  # "articulaires et / où musculaires … ont": an alternative
    for k in range(j + 1, min(len(sentence), j + 6)):
        t = sentence[k]
        if t.kind == "punct" or t.low in _CLAUSE_WORD or (t.low in CLAUSE_BREAKS):
            return False
        plural = t.has(_CONJUGATED.pattern) and t.has(r":[123]p")
        if plural and (t.has(r":V0") or not t.has(r":[NA]")):  # "sommes", not "portes"
            return True
    return False


_POSSESSIVES_AND_ARTICLES = {"le", "la", "les", "l'", "mon", "ton", "son", "ma", "ta", "sa",
                             "mes", "tes", "ses", "nos", "vos", "leur", "leurs", "ce", "cet",
                             "cette", "ces"}  # fmt: skip


def _spoken_where(sentence: list[Token], i: int) -> bool:
    """Chat's question without its "?": a verb of place then "où", the clause ending or its
    subject restated after ("il est où ton frère", "c'est où déjà", "tu vas où"), and no
    second "ou" (an alternative: "c'est ou l'un ou l'autre")."""
    if i == 0 or sum(t.low in {"ou", "où"} for t in sentence) > 1:
        return False
    verb = sentence[i - 1]
    if not (verb.has(_PLACE_VERBS) and verb.has(_CONJUGATED.pattern)):
        return False
    if verb.has(r":[NA]") and not verb.has(r">(?:être|aller)/"):  # "est" is also a noun
        return False
    nxt = sentence[i + 1] if i + 1 < len(sentence) else None
    return nxt is None or nxt.kind == "punct" or nxt.low in _POSSESSIVES_AND_ARTICLES | {"déjà"}


def _other_name(sentence: list[Token], i: int) -> bool:
    """ "(où quitus fiscal)": "où" opening a bracket before a bare noun and no verb up to the
    closing bracket, another name for what precedes; a relative would need its verb."""
    nxt = sentence[i + 1]
    if not plain_word(nxt) or not nxt.has(r":N") or nxt.has(r":[GDYM]|" + _CONJUGATED.pattern):
        return False
    after = sentence[i + 2].low if i + 2 < len(sentence) else ""
    if after in DETERMINERS - {"de", "d'", "du", "des"}:
        return False  # "(où travail mon frère)": a misspelt verb before its inverted subject
    inside = takewhile(lambda t: t.text != ")", sentence[i + 1 :])
    return not any(t.kind == "word" and t.has(_CONJUGATED.pattern) for t in inside)


def _lone_noun(sentence: list[Token], i: int, rest: list[Token]) -> bool:
    """ "nez où gorge.": one word after "où" ends the clause, a noun that is also a verb, after
    a noun; a relative "où" needs a subject for its verb ("où il habite", "où vivent…")."""
    return (
        len(rest) == 1
        and plain_word(rest[0])
        and rest[0].has(r":N")
        and sentence[i - 1].kind == "word"
        and sentence[i - 1].text.islower()
        and sentence[i - 1].has(r":N")
    )


def rule_ou_ou(sentence: list[Token], question: bool) -> Iterator[Finding]:
    """ "enceinte où si vous prévoyez" → "ou"; "Ou est la gare ?" → "Où"; "d'ou" → "d'où"."""
    for i, token in enumerate(sentence):
        prev = sentence[i - 1].low if i > 0 else ""
        nxt = sentence[i + 1] if i + 1 < len(sentence) else None
        if token.low == "ou" and (
            prev == "d'"
            or (i == 0 and question and nxt is not None and nxt.low in {"est", "sont"})
            or (i == 0 and question and _where_question(sentence))
            or _spoken_where(sentence, i)
        ):
            yield _finding(
                token,
                "Confusion : « où » (lieu) s’écrit avec un accent.",
                [_same_case(token.text, "où")],
                "ou_lieu",
            )
        elif token.low == "où" and i > 0 and nxt is not None and nxt.kind in {"word", "elided"}:
            if prev in {"là", "d'", "par", "jusqu'", "partout", "importe"} or nxt.has(r":Y"):
                continue
            if nxt.low == "d'" and i + 2 < len(sentence) and sentence[i + 2].low == "autre":
                continue  # "je ne sais pas où d'autre"
            after_verb = sentence[i - 1].has(r">(?:être|aller)/:V.*:(?:Ip|Iq|If)")
            if after_verb and (nxt.has(r":[NM]") or nxt.text[:1].isupper()) and nxt.low != "non":
                continue  # "t'es où connasse, …": where, asked after the verb ("est où non": or)
            if nxt.low == "non" and i + 2 < len(sentence) and sentence[i + 2].low == "seulement":
                continue  # "un pays où non seulement les prix…": the relative
            if (
                nxt.low in {"si", "sans", "non", "pas", "alors"}
                or _ou_between(sentence, i, question)
                or (prev == "(" and _other_name(sentence, i))
            ):
                yield _finding(
                    token,
                    "Confusion : la conjonction « ou » (ou bien), sans accent.",
                    [_same_case(token.text, "ou")],
                    "ou_conjonction",
                )
                continue
            rest = []
            j = i + 1  # where the words after "où" stop
            while j < len(sentence):
                t = sentence[j]
                if t.kind == "punct" or (t.low in CLAUSE_BREAKS and t.low not in {"qui", "que"}):
                    break
                rest.append(t)
                j += 1
            lone_noun = _lone_noun(sentence, i, rest)
            verb = (
                not rest
                or _coordinated_subject_verb(sentence, i, j)
                or any(
                    t.low in _CLAUSE_WORD
                    or t.low in {"là", "ici", "aussi"}
                    or (t.has(r":Y") and not (k > 0 and rest[k - 1].low in _GOVERN_INFINITIVE))
                    or (t.low in CLITICS and _verb_next(rest, k))
                    or (
                        "-" in t.low
                        and t.has(_CONJUGATED.pattern)
                        and (k == 0 or rest[k - 1].low not in DETERMINERS)  # "un rendez-vous"
                    )
                    or (
                        t.has(_CONJUGATED.pattern)
                        # "où quelqu'un dit": "un" is the pronoun's end, not a determiner
                        and (
                            k == 0
                            or rest[k - 1].low not in DETERMINERS
                            or (k >= 2 and rest[k - 2].low == "quelqu")
                        )
                        and not lone_noun
                    )
                    for k, t in enumerate(rest)
                )
            )
            # "tu vas où ce soir ?": a spoken question, unless no verb at all ("Un blanc où
            # un rosé ?", proof19n)
            if (
                not verb
                and (not question or not _any_verb(sentence))
                and not _spoken_where(sentence, i)
            ):
                yield _finding(
                    token,
                    "Confusion : la conjonction « ou » (ou bien), sans accent.",
                    [_same_case(token.text, "ou")],
                    "ou_conjonction",
                )


def check(text: str) -> list[Finding]:
    """Run the ou/où rule over an already masked paragraph."""
    found: list[Finding] = []
    for sentence, question in sentences_with_questions(text):
        found.extend(f for f in rule_ou_ou(sentence, question) if not heading(text, f))
    return found
