"""a/à decided by the words around it: "il à reçu" → "a" (a subject before, a participle
after); "mettre un terme a sa collaboration" → "à" (the clause's verb is already conjugated,
or a word that asks for the preposition is before it); "les frais a la charge du client",
"allergique a la pénicilline" → "à" (a word that cannot be the subject of "a" before, a
noun phrase after).

Split from homophones.py (which keeps the vocabulary both read); measured on the tuning part
(benchmarks/bench_proofread.py --rules) and on injected mistakes
(benchmarks/bench_proofread_synthetic.py --kinds=a/à).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.auxiliary_forms import AVOIR_FORMS, ETRE_CONDITIONAL, ETRE_INDICATIVE
from canned_replies.findings import Finding
from canned_replies.french_rules import (
    _CONJUGATED,
    DETERMINERS,
    Token,
    _finding,
    _same_case,
)
from canned_replies.french_words import relative_que_before
from canned_replies.homophones import (
    PLURAL_DETERMINERS,
    PREPOSITIONS,
    SUBJECT_CLITICS,
    _finite_verb_before,
    _numeral,
    run_rules,
)


def _word_a(sentence: list[Token], i: int) -> bool:
    """ "a" as a word, not a letter of a spelled-out word ("h a n d i") nor the verb after an
    elided pronoun ("l'a", "m'a")."""
    near = [sentence[k] for k in (i - 1, i + 1) if 0 <= k < len(sentence)]
    if any(len(t.text) == 1 and t.text.isalpha() for t in near):
        return False
    if i > 1 and sentence[i - 1].low == "en" and sentence[i - 2].low == "y":
        return False  # "y'en a cent": chat's "il y en a"
    return i == 0 or sentence[i - 1].low not in {"l'", "m'", "t'", "s'", "n'", "y"}


_ETRE_AVOIR_BEFORE = (ETRE_INDICATIVE | ETRE_CONDITIONAL | AVOIR_FORMS) - {"a"}
_LATIN_A = {"priori", "posteriori", "fortiori", "minima", "maxima", "contrario"}


_PRET = {"prêt", "prête", "prêts", "prêtes"}


def _next_is(sentence: list[Token], i: int, noun: str) -> bool:
    """ "a l'époque": "l'" and the noun after "a" at i."""
    return i + 2 < len(sentence) and sentence[i + 1].low == "l'" and sentence[i + 2].low == noun


def rule_a_a(sentence: list[Token]) -> Iterator[Finding]:
    """ "il à reçu" → "a"; "mettre un terme a sa collaboration" → "à"."""
    for i, token in enumerate(sentence[:-1]):
        prev = sentence[i - 1].low if i > 0 else ""
        nxt = sentence[i + 1]
        if token.low == "à":
            before = sentence[i - 2].low if i > 1 else ""
            subject = prev in {"il", "on", "n'"} or (prev == "y" and before in {"il", "n'"})
            subject |= prev == "qui" and i == 1 and nxt.has(r":V.*:Q")
            subject |= prev == "elle" and before not in PREPOSITIONS | {"à", "et", "ou"}
            # "à le"/"à les" before a noun is never the preposition (it would be "au"/"aux"):
            # after a subject or "qui", the verb ("qui à le plus grand nombre")
            article = (
                (subject or prev == "qui")
                and nxt.low in {"le", "les"}
                and i + 2 < len(sentence)
                and sentence[i + 2].text.islower()
                and (
                    sentence[i + 2].low in {"plus", "moins", "mieux"}  # a superlative
                    or (
                        sentence[i + 2].has(r":[NAW]")
                        and not sentence[i + 2].has(r":Y|:G:O|:V.*:(?:Ip|Iq|Is|If|K)")
                    )
                )
            )
            # "avoir lieu": "à lieu" is never the preposition ("au lieu de" has its article)
            article |= nxt.low == "lieu" and prev not in {"au", "aux"}
            if article or (subject and nxt.low not in {"l'", "la", "le", "les"} | PREPOSITIONS):
                yield _finding(
                    token,
                    "Confusion : le verbe avoir, « a ».",
                    [_same_case(token.text, "a")],
                    "a_verbe_sujet",
                )
        elif token.low == "a" and token.text == "a" and _word_a(sentence, i):
            # "quelle a raison" is "qu'elle a": Grammalecte says so, not "à".
            quel = {"quel", "quelle", "quels", "quelles"}
            if prev in SUBJECT_CLITICS | quel | {"y", "qui", "n'", "ça", "cela", "ce", "tout"}:
                continue
            if nxt.kind == "punct" or nxt.has(r":V.*:Q") or nxt.low.startswith("-"):
                continue
            if nxt.low in {"été", "eu", "pu", "dû", "su", "vu", "bien", "déjà", "pas", "plus"}:
                continue
            if nxt.low in _LATIN_A:
                continue  # "a priori", "a contrario": Latin, written without the accent
            left = sentence[i - 1] if i > 0 else None
            # "contrairement a", "jusqu'a", "de 4 a 12": a word that asks for the
            # preposition, or a range between two numbers.
            asks = left is not None and (
                left.low in {"jusqu'", "grâce", "quant", "face", "suite"}
                or (left.low.endswith("ment") and left.only(r":W"))
                or (_numeral(left) and left.low not in {"un", "une"} and _numeral(nxt))
                # "par rapport a", "prête a l'emploi", "prêt a partir", "…, a l'époque"
                or (left.low == "rapport" and i > 1 and sentence[i - 2].low == "par")
                or (left.low in _PRET and (nxt.has(r":Y") or _next_is(sentence, i, "emploi")))
                or _next_is(sentence, i, "époque")
            )
            # "que je serai a l'heure": "être" or "avoir" right before is not followed by the
            # verb "a" ("il y a a…", the end of a relative clause aside)
            asks = asks or (
                left is not None
                and left.low in _ETRE_AVOIR_BEFORE
                and not (i > 1 and sentence[i - 2].low == "y")
                and not relative_que_before(sentence, i)
            )
            if not asks and not _finite_verb_before(sentence, i):
                continue
            yield _finding(
                token,
                "Confusion : le verbe de la phrase est déjà conjugué, ici la préposition « à ».",
                ["à"],
                "a_preposition_contexte",
            )


_OBJECT_START = {
    "l'", "d'", "la", "le", "les", "leur", "leurs", "toute", "toutes", "tout", "tous", "chaque",
}  # fmt: skip
# The phrase before "a" is a complement (its head, the subject, is further back): "la qualité
# des produits a", "l'un de ses amis a", "le service aux clients satisfaits a".
_COMPLEMENT_START = {
    "de", "des", "d'", "du", "aux", "à", "au", "en", "par", "pour", "avec", "sans", "sur",
    "sous", "chez", "dans", "entre", "parmi", "contre", "vers", "que", "qu'", "qui", "dont",
}  # fmt: skip


# Prepositions opening a complement before a plural phrase, its subject further back.
_PLACE_PREPOSITIONS = PREPOSITIONS | {"devant", "derrière", "auprès", "près"}


def _plural_word(token: Token) -> bool:
    """A noun, adjective or participle that is only plural ("frais", "opposées")."""
    if token.kind != "word" or not token.text.islower() or not token.has(r":[NAQ]"):
        return False
    if token.has(r":[GRWDCOY]") or token.has(r":V.*:(?:Ip|Iq|Is|If|K|Sp|Sq)"):
        return False
    return all(re.search(r":p(?:/|$)", m) for m in token.morphs)


def _verb_after(sentence: list[Token], k: int) -> bool:
    """A finite verb that is nothing else later in the sentence ("… a la maison jouent")."""
    return any(
        t.kind == "word" and t.has(_CONJUGATED.pattern) and not t.has(r":[NAGW]")
        for t in sentence[k:]
    )


def rule_a_after_plural(sentence: list[Token]) -> Iterator[Finding]:
    """ "les frais a la charge du client" → "à": "a" after a plural phrase that is not a
    complement (so it would be the subject, and "a" cannot agree with it), before a noun
    phrase, a number or a name."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.text != "a" or not _plural_word(sentence[i - 1]):
            continue
        k = i - 1
        while k >= 0 and sentence[k].kind == "word" and sentence[k].has(r":[NAQ]|:M"):
            if sentence[k].low in DETERMINERS or sentence[k].low in _COMPLEMENT_START:
                break
            k -= 1
        stop = sentence[k].low if k >= 0 else ""
        if stop in _COMPLEMENT_START or stop in DETERMINERS - PLURAL_DETERMINERS:
            continue
        if (
            stop in PLURAL_DETERMINERS
            and k > 1
            and sentence[k - 1].low in _PLACE_PREPOSITIONS
            and sentence[k - 2].has(r":V[^/]*:(?:Q|Ip|Iq|Is|If|K)")
        ):
            continue  # "… qui m'a humiliée devant les clients a un chien": a verb's complement
        if stop in PLURAL_DETERMINERS and not _verb_after(sentence, i + 1):
            continue  # "Les enfants a la grippe" may be "ont": a verb must follow
        nxt = sentence[i + 1]
        names = nxt.kind == "word" and nxt.text[:1].isupper() and nxt.text[1:].islower()
        if not (nxt.low in DETERMINERS | _OBJECT_START or _numeral(nxt) or names):
            continue
        yield _finding(
            token,
            f"Confusion : « {sentence[i - 1].text} » (pluriel) ne peut pas être le sujet de "
            "« a » : la préposition « à ».",
            ["à"],
            "a_preposition_apres_pluriel",
        )


# Singular determiners opening a subject ("ton frère à appelé").
_SUBJECT_DETERMINERS = {
    "le", "la", "l'", "mon", "ton", "son", "ma", "ta", "sa", "notre", "votre", "leur", "ce",
    "cet", "cette", "un", "une", "quel", "quelle",
}  # fmt: skip
# Words before the subject's determiner that open a clause.
_CLAUSE_OPENERS = {",", "et", "mais", "que", "qu'", "quand", "si", "car", "donc", "alors",
                   "puis", "parce", "lorsque", "puisque", "comme", "(", "«", '"'}  # fmt: skip
# Participles that follow the preposition in set phrases ("à portée de main", "à découvert",
# "tout à fait", "un combat à mort", "à vue d'œil").
_PREPOSITION_PHRASES = {"portée", "découvert", "couvert", "fait", "mort", "vue", "clos",
                        "prévu", "venu", "entendu", "voulu", "plaisir"}  # fmt: skip


def rule_a_after_noun_subject(sentence: list[Token]) -> Iterator[Finding]:
    """ "ton frère à appelé" → "a": a singular noun phrase opening the clause (determiner,
    noun, maybe one adjective), "à", then a participle: the noun phrase is the subject and
    "à" the verb "avoir" (Grammalecte reads the preposition and leaves it)."""
    for i, token in enumerate(sentence[2:-1], start=2):
        if token.low != "à":
            continue
        nxt = sentence[i + 1]
        if not (nxt.kind == "word" and nxt.text.islower() and nxt.has(r":V[^/]*:Q")):
            continue
        if nxt.low in _PREPOSITION_PHRASES or nxt.has(r":V[^/]*:Y"):
            continue  # a set phrase or an infinitive ("à venir")
        k = i - 1
        if k > 1 and sentence[k].only(r":A") and not sentence[k].has(r":V"):
            k -= 1  # "mon frère aîné à appelé"
        noun = sentence[k]
        # after a singular determiner, an invariable noun is singular ("Quel pays à…")
        singular_noun = noun.has(r":N(?::[A-Za-z]+)*:[mfe]:[si]")
        if not (noun.kind == "word" and noun.text.islower() and singular_noun):
            continue
        if k > 1 and sentence[k - 1].only(r":A") and sentence[k - 1].low not in DETERMINERS:
            k -= 1  # "ma petite soeur à appelé"
        if sentence[k - 1].low not in _SUBJECT_DETERMINERS:
            continue
        if k > 1 and sentence[k - 2].low not in _CLAUSE_OPENERS:
            continue  # "je pense à mon frère à …": a complement, not a subject
        yield _finding(
            token,
            f"Confusion : « {noun.text} » est le sujet, le verbe avoir « a ».",
            [_same_case(token.text, "a")],
            "a_verbe_sujet_nominal",
        )


# Leave-takings that open a sentence with the preposition ("à plus tard", "à tout à l'heure").
_FAREWELLS = (("plus", "tard"), ("toute",), ("tout", "à"), ("la", "prochaine"), ("ce", "soir"),
              ("plus",))  # fmt: skip


# Question words a question opened by "à" takes ("à quelle heure", "à combien").
_QUESTION_AFTER_A = {"quel", "quelle", "quels", "quelles", "combien", "quoi", "partir"}


def rule_a_farewell(sentence: list[Token]) -> Iterator[Finding]:
    """ "a plus tard !" → "à": a lowercase "a" opening the sentence has no subject, so it is
    not "avoir"; a leave-taking follows ("plus" alone only at the sentence's end: "a plus !")."""
    if len(sentence) < 2 or sentence[0].text != "a" or not _word_a(sentence, 0):
        return  # a capital "A" may be "À" unaccented, as capitals often are
    words = [t.low for t in sentence[1:4]]
    if words[0] in _QUESTION_AFTER_A:
        # "a quelle date vais-je… ?", "a combien s'élève… ?", "a partir de…": no subject for
        # "avoir", a question word or "partir" after the preposition
        yield _finding(
            sentence[0],
            "Confusion : la préposition « à » devant le mot interrogatif.",
            [_same_case(sentence[0].text, "à")],
            "a_preposition_debut",
        )
        return
    for farewell in _FAREWELLS:
        if tuple(words[: len(farewell)]) != farewell:
            continue
        after = sentence[1 + len(farewell)] if 1 + len(farewell) < len(sentence) else None
        if farewell == ("plus",) and after is not None and after.kind != "punct":
            continue
        yield _finding(
            sentence[0],
            "Confusion : la préposition « à » (à plus tard).",
            [_same_case(sentence[0].text, "à")],
            "a_salutation",
        )
        return


RULES = [rule_a_a, rule_a_after_plural, rule_a_after_noun_subject, rule_a_farewell]


def check(text: str) -> list[Finding]:
    """Run the a/à rules over an already masked paragraph."""
    return run_rules(text, RULES)
