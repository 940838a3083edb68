"""Homophones of short words decided by the word class the grammar needs next to them.

Each rule reads one position where only one of the homophones is grammatical, whatever the
sentence is about:
- "ça" is a pronoun, never a determiner: before a feminine noun that is nothing else, after a
  verb or a preposition → "sa" ("il a perdu ça carte"); "sa" is a determiner, never a subject:
  before a clitic or a verb that is nothing else → "ça" ("sa ne marche pas");
- "n'y" is followed by a verb (or "en"): before a word that is never a verb → "ni" ("ni sucre
  n'y sel"); "ni" before a form of "avoir" after a subject → "n'y" ("il ni a plus");
- "quel/quelle" + a conjugated verb that is nothing else (not "être", "avoir" nor a verb that
  takes an attribute: "quel sera", "quelle peut être") → "qu'elle" ("je pense quel arrivera");
- "mais" after a preposition or a verb, before a plural noun that is nothing else and no
  verb → "mes" ("pour mais enfants", "j'ai reçu mais messages hier");
- "tes/ces/ses" before an adverb, a preposition or a singular adjective ending its phrase →
  "t'es"/"c'est" ("tes prêt ?", "ses pas grave"); "sans" before a conjugated verb → "s'en";
  "qu'elle" before a noun → "quel(le)"; "est tous seul" → "tout"; "ça mes égal" → "m'est".

sûr/sur are read in homophone_sur.py. The slips around auxiliaries (an object pronoun glued to
"avoir", a participle without its accent after "être") are in auxiliary_slips.py.

Written from French grammar on Grammalecte's morphology, tested on sentences written for
tests/canned_replies/test_homophones_short_words.py; precision read on the tuning part's
clean sentences and on outside text (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.auxiliary_forms import ETRE_AUXILIARY, ETRE_CONDITIONAL
from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, Token, _finding, _same_case
from canned_replies.grammalecte_engine import morphs
from canned_replies.homophones import PREPOSITIONS, run_rules

_CLITICS_AFTER_SUBJECT = {"ne", "n'", "me", "m'", "te", "t'", "se", "s'", "y", "lui", "nous",
                          "vous"}  # fmt: skip
_SUBJECTS = {"je", "j'", "tu", "il", "elle", "on", "qui", "nous", "vous", "ils", "elles"}
_ETRE_FORMS = ETRE_AUXILIARY | ETRE_CONDITIONAL | {"sois", "soit", "soyez", "être", "été"}
# Verbs "quel" may precede as an interrogative ("quel sera", "quelle peut être la cause").
_QUEL_VERB_LEMMAS = re.compile(
    r">(?:être|avoir|pouvoir|devoir|sembler|paraître|rester|demeurer|devenir|aller|"
    r"falloir|valoir)/"
)


def _lower_word(token: Token) -> bool:
    return token.kind == "word" and token.text.islower() and bool(token.morphs)


def _verb_only(token: Token) -> bool:
    """A conjugated verb that is no noun, adjective, pronoun or adverb ("arrivera", "aime")."""
    return _lower_word(token) and token.has(_CONJUGATED.pattern) and not token.has(r":[NAGWQ]")


def _participle_only(token: Token, person: str | None = None) -> bool:
    """A past participle that is no noun and, for that subject, no conjugated verb
    ("trompé", "reçu" after "tu"; not "fait" after "il": "il la fait")."""
    if not _lower_word(token) or not token.has(r":V[0-3][^/]*:Q") or token.has(r":G(?!:R)|:W"):
        return False
    return not any(_CONJUGATED.search(m) and (person is None or person in m) for m in token.morphs)


def rule_ca_sa(sentence: list[Token]) -> Iterator[Finding]:
    """ "il a perdu ça carte" → "sa"; "sa ne marche pas" → "ça"."""
    for i, token in enumerate(sentence[:-1]):
        prev = sentence[i - 1] if i > 0 else None
        nxt = sentence[i + 1]
        if token.low == "ça" and prev is not None and _lower_word(nxt):
            after_verb = prev.low in PREPOSITIONS or (
                _lower_word(prev) and prev.has(r":V[0-3]") and not prev.has(r":[GW]")
            )
            noun = (
                nxt.has(r"/:N[^/]*:[fe]:s")
                and not nxt.has(r"/:N:A|/:[AGWR]")  # "je trouve ça débile"
                and nxt.low not in {"personne", "fois"}
            )
            # "ça tombe bien": a verb of its own; "il a perdu ça carte": "carter" takes an
            # object, and a participle is not followed by a new clause without a comma
            verb_too = nxt.has(r":V[0-3]") and (
                nxt.has(r":V[0-3]_i") or not (prev.has(r":Q") or prev.low in PREPOSITIONS)
            )
            if after_verb and noun and not verb_too:
                yield _finding(
                    token,
                    "Confusion : devant un nom, le déterminant possessif « sa ».",
                    [_same_case(token.text, "sa")],
                    "sa_possessif",
                )
        elif token.low == "sa" and (
            nxt.low in _CLITICS_AFTER_SUBJECT - {"nous", "vous", "lui"}
            or nxt.low in {"va", "fait", "marche", "suffit", "dépend", "arrive", "change"}
            or _verb_only(nxt)
        ):
            if nxt.low in {"y", "s'"} and i + 2 < len(sentence) and sentence[i + 2].has(r":N"):
                continue
            if prev is not None and prev.low in _SUBJECTS:
                continue  # "il sa lave": "se", left to Grammalecte
            yield _finding(
                token,
                "Confusion : le pronom « ça » (sujet du verbe qui suit), pas le possessif « sa ».",
                [_same_case(token.text, "ça")],
                "ca_pronom",
            )


def rule_ny_ni(sentence: list[Token]) -> Iterator[Finding]:
    """ "ni sucre n'y sel" → "ni"; "il ni a plus" → "n'y"."""
    for i, token in enumerate(sentence[:-1]):
        nxt = sentence[i + 1]
        if token.low == "n'" and nxt.low == "y" and i + 2 < len(sentence):
            after = sentence[i + 2]
            if (
                _lower_word(after)
                and not after.has(r":V")
                and not after.has(r":G")
                and i > 0
                and sentence[i - 1].kind == "word"
                and sentence[i - 1].has(r":N")
                and sentence[i - 1].low not in _SUBJECTS
            ):
                yield Finding(
                    token.start,
                    nxt.end,
                    "Confusion : « ni » (et non plus), « n'y » est suivi d'un verbe.",
                    ["ni"],
                    "vigie.ni_conjonction",
                    "grammar",
                )
        elif (
            token.low == "ni"
            and i > 0
            and sentence[i - 1].low == "il"
            and nxt.low in {"a", "avait", "aura", "aurait", "ait", "eut"}
        ):
            yield _finding(
                token,
                "Confusion : « n'y » (il n'y a), pas « ni ».",
                [_same_case(token.text, "n'y")],
                "n_y_a",
            )


def rule_quel_qu_elle(sentence: list[Token]) -> Iterator[Finding]:
    """ "je pense quel arrivera" → "qu'elle"."""
    for i, token in enumerate(sentence[:-1]):
        if token.low not in {"quel", "quelle", "quels", "quelles"}:
            continue
        nxt = sentence[i + 1]
        if not _verb_only(nxt) or nxt.has(_QUEL_VERB_LEMMAS.pattern):
            continue
        if nxt.low.endswith("e") and any(":Q" in m for m in morphs(nxt.text[:-1] + "é")):
            continue  # "quel attarde": a participle missing its accent
        fix = "qu'elles" if token.low.endswith("s") else "qu'elle"
        yield _finding(
            token,
            "Confusion : « que » + « elle » devant un verbe, pas le déterminant « quel ».",
            [_same_case(token.text, fix)],
            "qu_elle_verbe",
        )


# After these, "mais" cannot be the conjunction: "ce sont mais amis", "le livre et mais notes".
_NO_CONJUNCTION_AFTER = {"sont", "étaient", "seront", "et", "ou"}


def _plural_adjective(token: Token) -> bool:
    """An adjective only, plural, that may open a noun phrase ("nouveaux", "petites")."""
    return _lower_word(token) and token.only(r":A") and token.has(r":A[^/]*:[pi](?:/|$)")


def rule_mais_mes(sentence: list[Token]) -> Iterator[Finding]:
    """ "pour mais enfants", "j'ai reçu mais messages hier", "à mais amies", "ce sont mais
    petits plaisirs" → "mes"."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.low != "mais":
            continue
        prev = sentence[i - 1]
        k = i + 2 if _plural_adjective(sentence[i + 1]) and i + 2 < len(sentence) else i + 1
        noun = sentence[k]
        after = sentence[k + 1] if k + 1 < len(sentence) else None
        if not _lower_word(noun) or not noun.has(r"/:N[^/]*:[mfe]:p"):
            continue
        if noun.has(r"/:[GWR]|:3p"):
            continue  # "mais plus", "mais viennent"
        # "mais gentils": an adjective may follow the conjunction, not a preposition, "sont"
        # or a plural adjective ("à mais amies", "mais nouveaux voisins")
        determiner_place = prev.low in PREPOSITIONS | _NO_CONJUNCTION_AFTER or k > i + 1
        if noun.has(r"/:N:A|/:A") and not determiner_place:
            continue
        if prev.low in PREPOSITIONS | _NO_CONJUNCTION_AFTER:
            pass  # a conjugated verb cannot follow a preposition: "pour mais commandes"
        elif not (
            _lower_word(prev)
            and prev.has(r":V[0-3]_.t")
            and not prev.has(r":[GW]")
            and (noun.only(r":N") or k > i + 1)
        ):
            continue
        if after is not None and (after.has(_CONJUGATED.pattern) or after.low in {"ne", "n'"}):
            continue  # "…, mais problèmes persistent": a clause of its own
        yield _finding(
            token,
            f"Confusion : le déterminant possessif « mes » devant « {noun.text} ».",
            [_same_case(token.text, "mes")],
            "mes_possessif",
        )


# Words that never follow a determiner: after "mes", the writer meant "mais".
# Forms of "avoir"/"être" that are never nouns after a determiner ("a" is a letter too).
_AUXILIARY_VERBS = {"a", "ont", "avait", "avaient", "est", "sont", "était", "étaient"}
_NOT_AFTER_DETERMINER = {
    "non", "oui", "ouais", "alors", "enfin", "bref", "sinon", "pourtant",
    # a pronoun, a conjunction, another determiner: a clause or a phrase starts
    "ça", "cela", "ceci", "comme", "quand", "ne", "n'", "c'", "qu'", "est-ce", "un", "une",
    "le", "la", "les", "l'", "du", "des", "ce", "cette", "mon", "ma", "ton", "ta", "son", "sa",
}  # fmt: skip
# Adverbs that may stand between a determiner and its adjective ("mes très chers amis").
_DEGREE_ADVERBS = {"très", "plus", "moins", "si", "trop", "assez", "aussi", "tout", "bien",
                   "fort", "vraiment", "tellement", "super", "hyper"}  # fmt: skip


def rule_mes_mais(sentence: list[Token]) -> Iterator[Finding]:
    """ "mes non c'est pas vrai", "mes je sais pas", "mes à part ça", "mes, si tu veux", "mes
    franchement", "mes a refusé" → "mais": a determiner is never followed by a preposition, a
    pronoun, an interjection, another determiner, a comma, a verb or an adverb other than one
    of degree."""
    for i, token in enumerate(sentence[:-1]):
        nxt = sentence[i + 1]
        if token.low != "mes" or (nxt.kind == "punct" and nxt.text != ","):
            continue
        if not (
            nxt.text == ","  # a determiner never ends its phrase: "mes, si tu veux"
            or nxt.low in _NOT_AFTER_DETERMINER  # "mes c'est", "mes n'a pas"
            or nxt.low in _AUXILIARY_VERBS  # "mes a refusé", "mes sont privées"
            or _verb_only(nxt)  # "mes perd sa place"
            or nxt.only(r"/:G:R")  # "à", "pour", "avec"
            or nxt.only(r"/:G:Os")  # "je", "on"
            or (nxt.only(r":W") and nxt.low not in _DEGREE_ADVERBS)  # "mes franchement"
        ):
            continue
        yield _finding(
            token,
            "Confusion : la conjonction « mais » (le possessif « mes » annonce un nom).",
            [_same_case(token.text, "mais")],
            "mais_conjonction",
        )


_TES_ADVERBS = {"vraiment", "encore", "toujours", "déjà", "jamais", "en", "dans", "chez", "à",
                "au", "sûr", "sûre", "sur"}  # fmt: skip
# the verb form each determiner is mistaken for
_DETERMINER_FOR_VERB = {"tes": "t'es", "ces": "c'est", "ses": "c'est"}


def _singular_describer(token: Token) -> bool:
    """An adjective or participle that is only singular ("prêt", "vrai", "bon")."""
    return (
        _lower_word(token)
        and token.has(r"/:N:A|/:A|:Q")
        and all(re.search(r":[mfe]:s(?:/|$)", m) for m in token.morphs if "/:V" not in m)
        and not token.has(r":[GW]")
    )


def rule_tes_t_es(sentence: list[Token]) -> Iterator[Finding]:
    """ "tes prêt pour ce soir ?", "tes où ?" → "t'es"; "ces vrai", "ses pas grave" →
    "c'est": a plural determiner is never followed by an adverb, a preposition or a singular
    adjective ending its phrase ("tes pas" and "ses pas" may be the noun: only before a
    singular adjective)."""
    for i, token in enumerate(sentence[:-1]):
        fix = _DETERMINER_FOR_VERB.get(token.low)
        if fix is None:
            continue
        nxt = sentence[i + 1]
        after = sentence[i + 2] if i + 2 < len(sentence) else None
        ends = after is None or after.kind == "punct" or after.low in PREPOSITIONS | {
            "que", "qu'", "pour", "comme", "ou", "et", "mais"
        }  # fmt: skip
        adverbs = _TES_ADVERBS | ({"où", "là"} if token.low == "tes" else set())
        if (
            nxt.low in adverbs
            or (
                nxt.low in {"trop", "tellement", "pas", "très", "si"}
                and after is not None
                and _singular_describer(after)
            )
            or (
                _singular_describer(nxt)
                and ends
                and (token.low == "tes" or not nxt.has(r"/:N"))  # "ces réfugié d'être"
            )
        ):
            yield _finding(
                token,
                f"Confusion : « {fix} », pas le déterminant « {token.text} ».",
                [_same_case(token.text, fix)],
                "t_es" if token.low == "tes" else "c_est_determinant",
            )


def rule_sans_s_en(sentence: list[Token]) -> Iterator[Finding]:
    """ "il sans va" → "s'en": before a conjugated verb that is nothing else."""
    for i, token in enumerate(sentence[1:-1], start=1):
        # a preposition is never followed by a conjugated verb; "je/tu/nous/vous" want
        # "m'en", "t'en"…
        if token.low != "sans" or sentence[i - 1].low in {"je", "j'", "tu", "nous", "vous"}:
            continue
        if _verb_only(sentence[i + 1]):
            yield _finding(
                token,
                "Confusion : « s’en » (pronoms devant le verbe), pas « sans ».",
                [_same_case(token.text, "s'en")],
                "s_en_verbe",
            )


_QUEL_BY_AGREEMENT = {"m:s": "quel", "f:s": "quelle", "e:s": "quelle", "m:p": "quels",
                      "f:p": "quelles", "e:p": "quelles"}  # fmt: skip


def rule_qu_elle_quelle(sentence: list[Token]) -> Iterator[Finding]:
    """ "je ne sais pas qu'elle robe choisir" → "quelle": a subject pronoun is followed by a
    verb, never by a noun (a rare verb of the same spelling aside: "rober")."""
    for i, token in enumerate(sentence[:-2]):
        if token.low != "qu'" or sentence[i + 1].low not in {"elle", "elles"}:
            continue
        noun = sentence[i + 2]
        if not _lower_word(noun) or not noun.has(r"/:N:[mfe]:[sp]") or noun.has(r"/:[AGW]|:A:"):
            continue
        if any("/:V" in m and "zz" not in m for m in noun.morphs):
            continue
        agreement = re.search(r"/:N:([mfe]:[sp])", next(m for m in noun.morphs if "/:N" in m))
        if agreement is None:
            continue
        yield Finding(
            token.start,
            sentence[i + 1].end,
            "Confusion : le déterminant « quel » devant un nom, pas « qu’elle ».",
            [_same_case(token.text, _QUEL_BY_AGREEMENT[agreement.group(1)])],
            "vigie.quelle_determinant",
            "grammar",
        )


def rule_tous_tout(sentence: list[Token]) -> Iterator[Finding]:
    """ "il est tous seul" → "tout": after a singular form of "être", the adverb before a
    singular adjective."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.low != "tous" or sentence[i - 1].low not in {
            "suis", "es", "est", "étais", "était", "sera", "serait", "reste", "semble"
        }:  # fmt: skip
            continue
        nxt = sentence[i + 1]
        if _singular_describer(nxt) and not nxt.has(r"/:N:[mfe]:s(?:/|$)"):
            yield _finding(
                token,
                "Confusion : l’adverbe « tout » (tout à fait) devant un adjectif singulier.",
                [_same_case(token.text, "tout")],
                "tout_adverbe",
            )


def rule_mes_m_est(sentence: list[Token]) -> Iterator[Finding]:
    """ "ça mes égal" → "m'est": a subject, then "mes" and an adjective with no noun."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.low != "mes" or sentence[i - 1].low not in {"ça", "cela", "il", "elle", "on"}:
            continue
        nxt = sentence[i + 1]
        if _singular_describer(nxt) and not nxt.has(r"/:N:[mfe]:s(?:/|$)"):
            yield _finding(
                token,
                "Confusion : « m’est » (pronom et verbe être), pas le déterminant « mes ».",
                [_same_case(token.text, "m'est")],
                "m_est",
            )


# ("c'est chose faite": a bare feminine noun after "c'est" is an idiom, left)
_MASCULINE_SUBJECTS = {"il", "on", "ça", "cela", "qui"}


RULES = [
    rule_sans_s_en,
    rule_qu_elle_quelle,
    rule_tous_tout,
    rule_mes_m_est,
    rule_tes_t_es,
    rule_ca_sa,
    rule_ny_ni,
    rule_quel_qu_elle,
    rule_mais_mes,
    rule_mes_mais,
]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
