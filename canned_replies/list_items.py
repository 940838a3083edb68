"""a/à and et/est decided by a coordination: the items of a list share their preposition.

"Demandez à votre médecin, a votre pharmacien ou à votre infirmière", "confiée à Jean Dupont
et a Marie Durand", "au contrôle et a la répression": after a phrase opened by "à"/"au"/"aux",
a "," / "et" / "ou" / "ni" then "a" before a determiner, a number or a name is the next item of
the same list, so the preposition "à". Read as the verb "avoir" it would need a subject of its
own; the verb coordinated after an "à" phrase is followed by its participle or its object
("a parlé à Paul et a pris le train", "et a une fille": a determiner too, which is why the
items must match: determiner with determiner, name with name, number with number). No verb,
relative word or clause punctuation may stand between the two items.

"est" right after a complement ("à X", "de X", "chez X") of a clause whose verb came before,
then a determiner, a number or the same preposition, joins a second item to that complement:
"et" ("Le médecin peut vous conseiller un apport de calcium est de vitamine D", "ne doit pas
être utilisé chez l'enfant est l'adolescent"). The noun before it sits in a complement, so it
is no subject of "est", and the clause already has its verb; a relative or subordinate word,
a comma or a conjunction before (a new clause: "…, le délai de livraison est de 5 jours") or
a verb of saying or thinking with no "que" ("je pense le prix du billet est…") keeps it.

Written from French grammar on Grammalecte's morphology, tested on sentences written for
tests/canned_replies/test_lists_and_participles.py; precision read on the tuning part's clean
sentences (benchmarks/bench_proofread.py --rules): "et a" + a determiner after an "à" phrase
occurs in none of its 5,116 clean sentences.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.et_est_second_verb import nouns_joined
from canned_replies.findings import Finding
from canned_replies.french_rules import (
    _CONJUGATED,
    DETERMINERS,
    DETERMINERS_PLUR,
    Token,
    _finding,
)
from canned_replies.homophones import CLAUSE_BREAKS, _main_subject_before, _numeral, run_rules

_JOINERS = {",", "et", "ou", "ni"}
_PREPOSITIONS_A = {"à", "au", "aux"}
# Words of a noun phrase or a name that may sit inside a list item ("à l'un des autres
# composants", "à Renaud Van Ruymbeke").
_INSIDE_ITEM = {"de", "d'", "du", "des", "l'", "la", "le", "les", ",", "(", ")", "-"}
# A relative or subordinate word opens a clause whose "a" is a verb ("à ceux qui a…").
_CLAUSE_WORDS = {"qui", "que", "qu'", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles"}


def _item_kind(token: Token, sentence_start: bool) -> str | None:
    """What opens a list item: a determiner, a number or a name."""
    if token.low in DETERMINERS | {"l'", "d'", "leur", "chaque", "tout", "toute"}:
        return "det"
    if _numeral(token):
        return "num"
    if token.kind == "word" and token.text[:1].isupper() and not sentence_start:
        return "name"
    return None


def _verb_only(token: Token) -> bool:
    return (
        token.kind == "word"
        and token.has(_CONJUGATED.pattern)
        and not token.has(r":[NAQWYGRDCOXM]")
        and not token.text[:1].isupper()
    )


def rule_a_in_list(sentence: list[Token]) -> Iterator[Finding]:
    """ "à votre médecin, a votre pharmacien" → "à": the next item of a list opened by "à"."""
    for i, token in enumerate(sentence[2:-1], start=2):
        if token.text != "a" or sentence[i - 1].low not in _JOINERS:
            continue
        kind = _item_kind(sentence[i + 1], False)
        if kind is None:
            continue
        k = i - 2
        while k >= 0:
            t = sentence[k]
            if t.low in _PREPOSITIONS_A:
                break
            if t.low in _CLAUSE_WORDS or (t.kind == "punct" and t.text not in _INSIDE_ITEM):
                k = -1
                break
            if t.kind == "word" and (_verb_only(t) or t.low in {"a", "est", "sont", "ont"}):
                k = -1
                break
            if t.low not in _INSIDE_ITEM and t.kind not in {"word", "elided"}:
                k = -1
                break
            k -= 1
        if k < 0 or k + 1 >= i - 1:
            continue
        first = sentence[k + 1]
        first_kind = "det" if sentence[k].low in {"au", "aux"} else _item_kind(first, k + 1 == 0)
        if first_kind != kind:
            continue  # "parle à Paul et a une idée": not two items of one kind
        yield _finding(
            token,
            f"Confusion : la préposition « à », comme devant « {first.text} ».",
            ["à"],
            "a_preposition_liste",
        )


_OPENERS = {"à", "au", "aux", "de", "d'", "du", "des", "chez", "avec", "pour", "en", "sur",
            "dans", "par", "sans", "contre", "entre", "vers", "sous"}  # fmt: skip
_DE = {"de", "d'", "du", "des"}
# Determiners the shared list lacks: a noun after them is no verb ("toute commande de…").
_QUANTIFIERS = {"tout", "toute", "tous", "toutes", "chaque", "quelques", "plusieurs",
                "certains", "certaines", "aucun", "aucune", "nul", "nulle"}  # fmt: skip
_FINITE_OR_IMPERATIVE = _CONJUGATED.pattern[:-1] + "|E)"
# A verb of saying or thinking may take a clause without "que" in chat ("je pense le prix…").
_SAYING = (
    r">(?:penser|croire|trouver|dire|savoir|espérer|sembler|paraître|imaginer|supposer|avouer"
    r"|voir|confirmer|préciser|indiquer|rappeler|signaler|répondre|écrire|expliquer)/"
)


def _complement_opener(sentence: list[Token], i: int) -> int | None:
    """Index of the preposition opening the complement that ends right before i (brackets
    skipped: "de façon fréquente (1/10)"), if the words between are a noun phrase."""
    k = i - 1
    if k >= 0 and sentence[k].text == ")":
        while k >= 0 and sentence[k].text != "(":
            k -= 1
        k -= 1
    end = k
    while k >= 0:
        t = sentence[k]
        if t.low in _OPENERS:
            break
        if t.kind == "punct" or _verb_only(t) or t.low in CLAUSE_BREAKS:
            return None
        if k < end and sentence[k + 1].start - t.end > 1:
            return None  # an emoji or a symbol between ("… bougies 😭 ma meilleure amie")
        k -= 1
    if k < 0 or k == end:
        return None
    item = sentence[k + 1 : end + 1]
    return k if any(t.has(r":N") or _numeral(t) for t in item) else None


def _clause_verb_before(sentence: list[Token], k: int) -> Token | None:
    """The finite verb of the clause before index k (no comma, conjunction or relative
    between), if there is one."""
    for j in range(k - 1, -1, -1):
        t = sentence[j]
        if t.low in CLAUSE_BREAKS or t.kind == "punct":
            return None
        if t.kind != "word" or t.text[:1].isupper() or t.low == "à":
            continue
        if j > 0 and sentence[j - 1].low in DETERMINERS | _QUANTIFIERS:
            continue  # "les affiches", "toute commande": a noun
        if (
            t.text in {"a", "est", "sont", "ont", "était", "avait", "fut"}
            or _verb_only(t)
            or (t.has(_FINITE_OR_IMPERATIVE) and not t.has(r":[NA]"))
            or (t.has(_CONJUGATED.pattern) and _main_subject_before(sentence, j))
        ):
            return None if _subordinate(sentence, j) else t
    return None


def _subordinate(sentence: list[Token], j: int) -> bool:
    """The verb at j is in a relative or subordinate clause ("le produit que vous avez acheté
    en magasin est…": "est" is the main verb)."""
    for t in reversed(sentence[:j]):
        if t.kind == "punct":
            return False
        if t.low in CLAUSE_BREAKS - {",", "et", "ou", "mais", "donc", "car", "ni"}:
            return True
    return False


def rule_est_joining_items(sentence: list[Token]) -> Iterator[Finding]:
    """ "un apport de calcium est de vitamine D" → "et": a second item after a complement of
    a clause that has its verb."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.text != "est" or sentence[i - 1].kind == "elided":
            continue  # "c'est", "n'est", "s'est": the verb itself
        nxt = sentence[i + 1]
        opener = _complement_opener(sentence, i)
        if opener is None:
            continue
        same = nxt.low == sentence[opener].low or (nxt.low in _DE and sentence[opener].low in _DE)
        if not (same or (nxt.low in DETERMINERS and nxt.low != "d'") or _numeral(nxt)):
            continue
        verb = _clause_verb_before(sentence, opener)
        if verb is None or verb.has(_SAYING):
            continue
        yield _finding(
            token,
            "Confusion : la proposition a déjà son verbe, ici la conjonction « et ».",
            ["et"],
            "et_entre_complements",
        )


def _name(token: Token) -> bool:
    """A capitalised word (inside the sentence: a name, "Marcel Carton", "Revers")."""
    return token.kind == "word" and token.text[:1].isupper() and "_" not in token.text


def _plural_noun(sentence: list[Token], j: int) -> bool:
    """A plural noun at j ("les juges", "ses deux fils")."""
    t = sentence[j]
    if t.kind != "word" or t.text[:1].isupper() or not t.has(r":N.*:[pi]"):
        return False
    if not t.has(r":N.*:[si]"):
        return True
    before = sentence[j - 1] if j > 0 else None
    return before is not None and (before.low in DETERMINERS_PLUR or _numeral(before))


def _plural_verb_after(sentence: list[Token], j: int) -> bool:
    """The next finite verb from j on, past appositions between commas, is plural only
    ("…, est François Ciolina, son ex-adjoint, sont mis en examen"), before any conjunction
    or relative word gives it a subject of its own."""
    for t in sentence[j:]:
        if t.low in CLAUSE_BREAKS - {","} or (t.kind == "punct" and t.text not in {",", "(", ")"}):
            return False
        if t.low.endswith(("-ils", "-elles")) and t.kind == "word":
            return True  # "Cushman est Wakefield sont-ils connus ?"
        if t.kind != "word" or t.text[:1].isupper() or not t.has(_CONJUGATED.pattern):
            continue
        if t.has(r":[NAQ]") and t.low not in {"sont", "ont", "étaient", "avaient"}:
            continue
        return not t.has(r":[123]s|:[12]p")
    return False


def _names_listed(sentence: list[Token], s: int) -> bool:
    """A comma at s closes a name that follows a comma or a colon: the names before "est" are
    a list ("Philippe Rochot, Georges Hansen, Aurel Cornéa est…")."""
    if s < 1 or sentence[s].text != ",":
        return False
    k = s - 1
    while k > 0 and _name(sentence[k]):
        k -= 1
    # (one name and a comma may be a vocative, "Paul, Marie est Julie ?": two listed)
    return k < s - 1 and sentence[k].text in {",", ":"}


def rule_est_between_names(sentence: list[Token]) -> Iterator[Finding]:
    """ "les juges Pons est d'Huy", "Georges Pérol, ancien directeur, est François Ciolina, son
    adjoint, sont mis en examen" → "et": "est" between two names, when what stands around
    them is plural: a plural noun the first name is in apposition to, or a verb that can only
    be plural after the second. "X est Y" between two names may be an identity ("Romain Gary
    est Émile Ajar"): left without that evidence."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.text != "est":
            continue
        end = i + 2 if sentence[i + 1].low in {"d'", "de"} else i + 1
        if end >= len(sentence) or not _name(sentence[end]):
            continue
        end += 1
        while end < len(sentence) and _name(sentence[end]):
            end += 1
        s = i - 1
        while s > 0 and _name(sentence[s]):
            s -= 1
        if s == i - 1 and sentence[s].text != ",":
            continue  # no name before "est"
        if s == i - 1:  # an apposition closed by a comma: the plural verb must show it
            plural = _plural_verb_after(sentence, end)
        else:
            k = s - 1 if sentence[s].text == "," else s
            before = k >= 0 and (_plural_noun(sentence, k) or sentence[k].low == "entre")
            plural = before or _plural_verb_after(sentence, end) or _names_listed(sentence, s)
        if not plural:
            continue
        yield nouns_joined(token)


_PREPOSITIONS = {"avant", "après", "pendant", "pour", "contre", "sans", "avec", "sur",
                 "sous", "dans", "devant", "derrière", "entre", "vers", "chez", "depuis",
                 "durant"}  # fmt: skip


def rule_est_between_prepositions(sentence: list[Token]) -> Iterator[Finding]:
    """ "hydratés avant est après le traitement" → "et": a preposition without its
    complement cannot end a subject ("l'avant est…" takes an article), and another one
    follows: the two share the complement."""
    for i, token in enumerate(sentence[1:-2], start=1):
        prev, nxt = sentence[i - 1], sentence[i + 1]
        if token.text != "est" or prev.low not in _PREPOSITIONS or nxt.low not in _PREPOSITIONS:
            continue
        if i > 1 and (sentence[i - 2].low in DETERMINERS or sentence[i - 2].kind == "elided"):
            continue  # "le pour est le contre": nouns
        yield _finding(
            token,
            "Confusion : deux prépositions coordonnées, la conjonction « et ».",
            ["et"],
            "et_entre_complements",
        )


RULES = [
    rule_a_in_list,
    rule_est_joining_items,
    rule_est_between_names,
    rule_est_between_prepositions,
]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
