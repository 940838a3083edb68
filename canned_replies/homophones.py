"""Homophones decided by the words around them (et/est, son/sont, la/là), with a question's
inverted subject written without its hyphen (inversion_hyphen); a/à, ou/où and on/ont have
their own modules (homophone_a, homophone_ou, homophone_on), which read the vocabulary and
the sentence splitting kept here.

These rules read word classes on both sides (Grammalecte's dictionary), past the fixed phrases
Grammalecte and french_rules know; each measured on mistakes injected into the tuning part's
clean sentences (bench_proofread_synthetic.py) and for precision on the sentences themselves
(bench_proofread.py --rules), quiet where both readings are French ("elle et moi", "là où").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from canned_replies.findings import Finding
from canned_replies.french_rules import (
    _CONJUGATED,
    CLITICS,
    DETERMINERS,
    Token,
    _finding,
    _same_case,
    tokenize,
)
from canned_replies.grammalecte_engine import morphs
from canned_replies.inversion_hyphen import INVERTED_ENDINGS, SUBJECT_CLITICS, rule_inversion_hyphen

_QUESTION_END = re.compile(r"^[^.!?…]*\?")
# Words after which a new clause (with its own subject) starts.
CLAUSE_BREAKS = {
    ",", "et", "ou", "mais", "donc", "car", "que", "qu'", "qui", "dont", "où", "si", "s'",
    "quand", "lorsque", "lorsqu'", "puisque", "puisqu'", "comme", "parce", "tandis", "ni",
    "quoique", "quoiqu'", "(", ")", "«", "»", '"', "—", "–", "-", "afin", "pendant", "avant",
}  # fmt: skip
PREPOSITIONS = {
    "avec", "pour", "de", "d'", "à", "dans", "par", "sur", "sous", "chez", "sans", "contre",
    "vers", "après", "selon", "entre", "depuis", "pendant", "malgré", "envers", "parmi",
}  # fmt: skip
PLURAL_DETERMINERS = {"des", "les", "mes", "tes", "ses", "nos", "vos", "leurs", "ces"}
NUMERALS = {
    "un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "quinze", "vingt", "trente", "cent", "mille",
}  # fmt: skip
# Adverbs that follow a verb but cannot sit between "son" and its noun.
VERB_ADVERBS = {
    "désormais", "déjà", "toujours", "souvent", "actuellement", "également", "vraiment",
    "tous", "toutes", "parfois", "généralement", "encore", "maintenant", "partis", "là",
}  # fmt: skip


def _numeral(token: Token) -> bool:
    return token.low in NUMERALS or bool(re.fullmatch(r"\d+(?:[.,]\d+)?%?", token.text))


def _verb_only(token: Token) -> bool:
    """A finite verb form that is nothing else ("boit", "va", "peut")."""
    return (
        token.kind == "word"
        and token.has(_CONJUGATED.pattern)
        and not token.has(r":[NAQWYGRDCOXM]")
        and not token.has(r">(?:être|avoir)/")
    )


def _participle_lookalike(token: Token) -> bool:
    """A finite form spelled like a participle plus a letter ("partit", "finit", "prit") or
    "-ez" for "-é" ("disculpez"): "il est partit" is a misspelt participle, not "et" + verb."""
    low = token.low
    forms = {low[:-1], low[:-1] + "s", low[:-2] + "s", low[:-2] + "é" if low[-2:] == "ez" else ""}
    return any(any(re.search(r":V.*:Q", m) for m in morphs(f)) for f in forms if len(f) > 1)


def _participle_only(token: Token) -> bool:
    """A past participle that is not also a noun, adjective or finite form ("augmenté")."""
    if token.low == "été":
        return True
    return (
        token.kind == "word"
        and token.low not in CLITICS
        and token.has(r":V.*:Q")
        and not token.has(r":[NAGP]|:R")
        and not token.has(_CONJUGATED.pattern)
    )


_ETRE_AVOIR_FINITE = r">(?:être|avoir)/:V0[ea][^/]*:(?:Ip|Iq|If|K|Is):(?!3s)"


def _participles(sentence: list[Token], k: int) -> bool:
    """Two past participles around "et"/"ou" at k, the second no noun or finite verb."""
    first, second = sentence[k - 1], sentence[k + 1]
    plain_second = second.has(r":V.*:Q") and not second.has(r":N|" + _CONJUGATED.pattern)
    return first.has(r":V.*:Q") and plain_second


def _finite_verb_before(sentence: list[Token], i: int) -> bool:
    """A finite verb earlier in the same clause (no conjunction, relative, comma between)."""
    for k in range(i - 1, -1, -1):
        token = sentence[k]
        if token.low in {"et", "ou"} and 0 < k < i - 1 and _participles(sentence, k):
            continue  # "sera disjoint et confié a deux juges": one auxiliary for both
        if token.low in CLAUSE_BREAKS or token.kind == "punct":
            return False
        if token.low == "a" and token.text == "a":
            # "tout ce qu'il a acheté a un défaut": the relative clause's auxiliary
            return not _in_relative(sentence, k)
        if token.kind == "word" and token.low.endswith(INVERTED_ENDINGS):  # "ai-je droit a…"
            return any(_CONJUGATED.search(m) for m in morphs(token.low.split("-")[0]))
        if token.kind != "word" or token.low == "à" or token.text[:1].isupper():
            continue  # a name is not a verb ("Marie", "Pierre")
        previous = sentence[k - 1].low if k > 0 else ""
        if previous in DETERMINERS:
            continue  # "les affiches": a noun, whatever the dictionary also says
        if token.low in {"est", "sont", "ont", "était", "sera", "fut", "avait", "va", "peut"}:
            return True
        if _verb_only(token):
            # "ce que je dis a du sens", "le client qui pense à Noël a un cadeau": the verb of a
            # relative clause inside the subject
            return not _in_relative(sentence, k)
        if (
            token.has(_ETRE_AVOIR_FINITE) or token.has(_CONJUGATED.pattern)
        ) and _main_subject_before(sentence, k):
            return True  # "tu es a la table", "je joue a ce jeu" (a noun too, after "je")
    return False


_RELATIVES = {"que", "qu'", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles"}


def _in_relative(sentence: list[Token], k: int) -> bool:
    """The finite verb at k opens no main clause: its subject is a relative "qui" (not the
    question's first word) or a pronoun after "que", "dont"…"""
    j = k - 1
    while j >= 0 and sentence[j].low in CLITICS - SUBJECT_CLITICS | {"ne", "n'"}:
        j -= 1
    if j >= 1 and sentence[j].low == "qui":
        return True
    return _main_subject_before(sentence, k) is False


def _main_subject_before(sentence: list[Token], k: int) -> bool | None:
    """A subject pronoun right before the verb at k (object pronouns between), itself not in a
    relative clause: in "le problème que vous avez a une solution", "a" is the main verb.
    None when no subject pronoun is there, False when it opens a relative clause."""
    j = k - 1
    while j >= 0 and sentence[j].low in CLITICS - SUBJECT_CLITICS | {"ne", "n'"}:
        j -= 1
    if j < 0 or sentence[j].low not in SUBJECT_CLITICS:
        return None
    if j >= 1 and sentence[j - 1].low in _RELATIVES:
        # "est-ce que vous avez a…" asks a question: "que" is not a relative there
        return j >= 2 and sentence[j - 2].low.replace(" ", "-").endswith("est-ce")
    return True


_SINGULAR_OPENERS = {"un", "une", "le", "la", "l'", "ce", "cet", "cette", "ton", "ta", "votre"}


def _asks(token: Token) -> bool:
    """A question word: "Qui et quoi ?", "Qui et pourquoi ?" join two questions."""
    return token.low in {"quoi", "pourquoi", "comment", "où", "quand", "combien", "que"}


def _subject_then_et(sentence: list[Token], i: int) -> bool:
    """ "le soleil et revenu", "Quel cancer et généralement associé": a clause's determiner
    and noun, "et", adverbs, then a participle or adjective that cannot be a noun."""
    if i < 2 or i + 1 >= len(sentence):
        return False
    end = min(i + 3, len(sentence) - 1)  # adverbs only, lowercase: "et généralement associé"
    j = next(
        (
            k
            for k in range(i + 1, end)
            if not sentence[k].only(r":W") or sentence[k].text[0].isupper()
        ),
        end,
    )
    noun, det, nxt = sentence[i - 1], sentence[i - 2], sentence[j]
    quel = {"quel", "quelle", "quels", "quelles"}
    if i >= 3 and noun.only(r":A") and sentence[i - 3].low in quel and _participle_only(nxt):
        noun, det, i = det, sentence[i - 3], i - 1  # "Quel président américain et apparu"
    clause_start = i == 2 or sentence[i - 3].low in {",", "sinon", "mais", "donc", "alors"}
    return (
        clause_start
        and det.low in (DETERMINERS - {"d'", "du", "au"}) | quel
        and noun.has(r":N")
        and nxt.kind == "word"
        and nxt.text.islower()
        and nxt.has(r":[AQ]")
        and (not nxt.has(r":N") or nxt.has(r":V.*:Q"))  # "un violeur et pédophile": two nouns
        and not nxt.has(_CONJUGATED.pattern)
    )


def _starts(sentence: list[Token], k: int) -> bool:
    """The word at k starts its clause ("elle et partie", not "mentionner elle et pas moi")."""
    return k == 0 or sentence[k - 1].kind == "punct" or sentence[k - 1].low in {
        "et", "mais", "donc", "car", "alors", "puis", "si", "quand", "que", "qu'",
    }  # fmt: skip


def _in_complement(sentence: list[Token], k: int) -> bool:
    """The noun at k sits in a complement ("1 000 mg de calcium", "d'amende"), so it is not
    the subject of a clause run on without punctuation ("… le chat est là")."""
    while k >= 0 and sentence[k].kind == "word" and sentence[k].has(r":[NA]"):
        if sentence[k].low in DETERMINERS | {"de", "à", "en"}:
            break
        k -= 1
    return k >= 0 and (
        sentence[k].low in {"de", "d'", "du", "des", "à", "au", "aux", "en"}
        or _numeral(sentence[k])
    )


def _clause_after(sentence: list[Token], k: int) -> bool:
    """A subject pronoun or a clitic then a finite verb that is not a participle
    ("tu es", "s'est", "ne peut"): after "est", a new clause, not an inverted subject."""
    if k + 1 >= len(sentence):
        return False
    first, verb = sentence[k], sentence[k + 1]
    if first.low not in SUBJECT_CLITICS | {"se", "s'", "ne", "n'", "me", "m'", "te", "t'"}:
        return False
    if k + 2 < len(sentence) and sentence[k + 2].low in SUBJECT_CLITICS:
        return False  # "ne vous …", "se peut-il": unsure
    if verb.has(r">(?:penser|croire|trouver|savoir|supposer|imaginer|sembler|dire|avouer)/"):
        return False  # "Le mieux est je pense d'attendre": an aside without its commas
    return (
        verb.kind == "word"
        and verb.has(_CONJUGATED.pattern)
        and not verb.has(r":V.*:[QY]")
        and (verb.has(r":V0") or not verb.has(r":[NA]"))
    )


# A relative or subordinate clause may sit inside the subject ("ce que je veux faire est").
_SUBORDINATE = {
    "que", "qu'", "qui", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles", "c'",
    "quoi", "si", "quand", "lorsque", "lorsqu'", "comme",
}  # fmt: skip


# A pronoun that only "est" can follow ("il et …" is never written for "il est"): the word
# after it is the predicate, whatever its dictionary reading ("il est vénère", verlan).
_SUBJECT_BEFORE_EST = frozenset({"il", "elle", "on", "ça", "cela", "ceci", "qui", "tout"})


# Degree adverbs before an attribute: "elle et trop gentille".
_DEGREE_ADVERBS = frozenset({"trop", "vraiment", "super", "tellement", "assez", "plutôt",
                             "hyper", "vachement"})  # fmt: skip


def rule_et_est(sentence: list[Token], question: bool) -> Iterator[Finding]:
    """ "il et parti" → "est"; "Quelle et la devise" → "est"; "1 % est 5 %" → "et"."""
    for i, token in enumerate(sentence[:-1]):
        prev = sentence[i - 1] if i > 0 else None
        nxt = sentence[i + 1]
        if nxt.low in {"demi", "demie", "quart"} or (token.low, nxt.low) == ("est", "peut"):
            continue  # "une heure et demie"; "il est peut être dû" (vigie.peut_etre)
        if token.low == "et" and prev is not None and _subject_then_et(sentence, i):
            yield _finding(
                token,
                "Confusion : le verbe être, « est ».",
                [_same_case(token.text, "est")],
                "est_verbe_sujet",
            )
        elif token.low == "et" and prev is not None:
            then = sentence[i + 2].low if i + 2 < len(sentence) else ""
            describes = nxt.kind == "word" and (
                nxt.only(r":[AQ]")
                or nxt.low in {"en", "très", "bien", "déjà", "pas", "ici"}
                or nxt.low in _DEGREE_ADVERBS
                # an adjective that is also a verb, opening its complement ("fréquente chez")
                or (nxt.has(r":A") and not nxt.has(r":[NGW]") and then in PREPOSITIONS)
            )
            if (
                prev.low in {"il", "on", "c'", "quel", "quelle", "quels", "quelles"}
                or (prev.low == "qui" and (i == 1 or _participle_only(nxt)) and not _asks(nxt))
                # a participle that is also a noun, opening its complement ("qui et écrit sur")
                or (prev.low == "qui" and nxt.has(r":V.*:Q") and then in PREPOSITIONS)
                # "Mais qui et un connard ?": the question's subject, then a noun phrase
                or (
                    prev.low == "qui"
                    and question
                    and _starts(sentence, i - 1)
                    and nxt.low in _SINGULAR_OPENERS
                )
                or (
                    prev.low in {"elle", "ça", "cela", "ceci"}
                    and describes
                    and _starts(sentence, i - 1)
                )
            ) and nxt.kind in {"word", "elided"}:
                if prev.low in {"quels", "quelles"}:
                    continue  # "quelles et" → "sont", not "est": left to the reader
                yield _finding(
                    token,
                    "Confusion : le verbe être, « est ».",
                    [_same_case(token.text, "est")],
                    "est_verbe_sujet",
                )
        elif token.low == "est" and prev is not None and token.text != "Est":
            # "le TGV Est": the cardinal point; "le bus 12 est un…": an article, no number
            between_numbers = _numeral(prev) and _numeral(nxt) and nxt.low not in {"un", "une"}
            two_verbs = (
                _verb_only(nxt)
                and prev.low not in {"c'", "ce", "qu'", "n'"}
                # "il est vénère" (verlan): after a subject pronoun "est" is the verb
                and prev.low not in _SUBJECT_BEFORE_EST
                and not _participle_lookalike(nxt)
            )
            after = sentence[i + 2] if i + 2 < len(sentence) else None
            two_verbs |= nxt.text == "a" and after is not None and after.has(r":V.*:Q")
            if between_numbers or two_verbs:
                yield _finding(
                    token,
                    "Confusion : la conjonction « et ».",
                    [_same_case(token.text, "et")],
                    "et_conjonction_contexte",
                )
            elif (
                token.text == "est"
                and prev.low not in {"c'", "ce", "qu'", "n'", "où"}
                and _clause_after(sentence, i + 1)
            ):
                # "…, est tu es à la table" / "…, est s'est intéressée": a new clause follows.
                yield _finding(
                    token,
                    "Confusion : une nouvelle proposition commence, la conjonction « et ».",
                    ["et"],
                    "et_conjonction_proposition",
                )
            elif (
                token.text == "est"
                and prev.kind == "word"
                and _in_complement(sentence, i - 1)
                and (nxt.low in DETERMINERS or _numeral(nxt))
                and prev.has(r":[NA]")
                and not prev.has(r":[GR]")
                and not any(t.low in _SUBORDINATE for t in sentence[:i])
                and _finite_verb_before(sentence, i)
            ):
                # "ont reçu 1 000 mg de calcium est 800 UI": the clause has its verb already.
                yield _finding(
                    token,
                    "Confusion : la proposition a déjà son verbe, ici la conjonction « et ».",
                    ["et"],
                    "et_conjonction_verbe_avant",
                )


def rule_son_sont(sentence: list[Token], question: bool) -> Iterator[Finding]:
    """ "ils son là", "ce son mes amis" → "sont"; "avec sont ami" → "son"."""
    for i, token in enumerate(sentence[:-1]):
        prev = sentence[i - 1].low if i > 0 else ""
        nxt = sentence[i + 1]
        if token.low == "son":
            verb = prev in {"ils", "elles", "quels", "quelles"}
            verb |= prev == "ce" and nxt.low in PLURAL_DETERMINERS
            verb |= nxt.low in VERB_ADVERBS and prev not in DETERMINERS | PREPOSITIONS
            if verb:
                yield _finding(
                    token,
                    "Confusion : le verbe être, « sont ».",
                    [_same_case(token.text, "sont")],
                    "sont_verbe",
                )
        elif token.low == "sont":
            noun_follows = nxt.kind == "word" and nxt.only(r":N.*:[me]:s")
            if prev in PREPOSITIONS - {"entre"} and nxt.kind == "word" and not nxt.has(r":V.*:Q"):
                pass
            elif not (prev in {"mais", "et", "ou", "car", "donc"} and noun_follows):
                continue
            if not noun_follows and not nxt.has(r":[NA]"):
                continue
            yield _finding(
                token,
                "Confusion : le déterminant « son ».",
                [_same_case(token.text, "son")],
                "son_determinant",
            )


def rule_la_la(sentence: list[Token], question: bool) -> Iterator[Finding]:
    """ "à là maison" → "la": "là" right before a feminine noun."""
    for i, token in enumerate(sentence[:-1]):
        nxt = sentence[i + 1]
        if token.low == "là" and nxt.kind == "word" and nxt.only(r":N.*:[fe]:[si]"):
            if i == 0 or sentence[i - 1].low not in PREPOSITIONS:
                continue  # "toi là", "cette fois là": an adverb, or a missing hyphen
            yield _finding(
                token,
                "Confusion : l’article « la » devant un nom.",
                [_same_case(token.text, "la")],
                "la_article",
            )


RULES = [
    rule_inversion_hyphen,
    rule_et_est,
    rule_son_sont,
    rule_la_la,
]


def sentences_with_questions(text: str) -> Iterator[tuple[list[Token], bool]]:
    """The sentences of a paragraph, each with whether it ends with a question mark."""
    current: list[Token] = []
    for token in [*tokenize(text), None]:
        if token is not None and not (
            token.kind == "punct" and any(c in ".!?…;:" for c in token.text)
        ):
            current.append(token)
            continue
        if current:
            tail = text[current[-1].end : current[-1].end + 5]
            yield current, bool(_QUESTION_END.match(tail))
        current = []


def heading(text: str, finding: Finding) -> bool:
    """Text in capitals ("COMMENT ACLASTA EST UTILISE") is a heading: no homophone there."""
    return text[finding.start : finding.end].isupper() and finding.end - finding.start > 1


def run_rules(
    text: str, rules: Sequence[Callable[[list[Token]], Iterable[Finding]]]
) -> list[Finding]:
    """Sentence rules that do not ask whether the sentence is a question (homophone_a,
    homophone_et), over an already masked paragraph, headings left alone."""
    found: list[Finding] = []
    for sentence, _question in sentences_with_questions(text):
        for rule in rules:
            found.extend(f for f in rule(sentence) if not heading(text, f))
    return found


def check(text: str) -> list[Finding]:
    """Run the homophone rules over an already masked paragraph."""
    found: list[Finding] = []
    for sentence, question in sentences_with_questions(text):
        for rule in RULES:
            found.extend(f for f in rule(sentence, question) if not heading(text, f))
    return found
