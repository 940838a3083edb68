"""Homophones of short words decided by the word class the grammar needs next to them.

Each rule reads one position where only one of the homophones is grammatical, whatever the
sentence is about:
- "ça" is a pronoun, never a determiner: before a feminine noun that is nothing else, after a
  verb or a preposition → "sa" ("il a perdu ça carte"); "sa" is a determiner, never a subject:
  before a clitic or a verb that is nothing else → "ça" ("sa ne marche pas");
- "n'y" is followed by a verb (or "en"): before a word that is never a verb → "ni" ("ni sucre
  n'y sel"); "ni" before a form of "avoir" after a subject → "n'y" ("il ni a plus");
- a subject pronoun, then "la"/"ta"/"ma"/"sa" and a past participle that is not also a
  conjugated verb of that subject: the object pronoun and "avoir" ("tu la reçu" → "l'as",
  "il ta envoyé" → "t'a", "il sa trompé" → "s'est"); also "ne la pas vu";
- a subject of the 3rd person, then "sait/ces/ses/c'est" and a participle that is nothing
  else → "s'est" ("il sait trompé"); "je/tu (ne) c'est" → "sais" ("je ne c'est pas");
- "quel/quelle" + a conjugated verb that is nothing else (not "être", "avoir" nor a verb that
  takes an attribute: "quel sera", "quelle peut être") → "qu'elle" ("je pense quel arrivera");
- "sûr" after a verb or a noun, before a determiner → the preposition "sur" ("posé sûr la
  table"); "sur" ending a clause after "être" → "sûr" ("j'en suis sur !");
- "mais" after a preposition or a verb, before a plural noun that is nothing else and no
  verb → "mes" ("pour mais enfants", "j'ai reçu mais messages hier").

Written from French grammar on Grammalecte's morphology, tested on sentences written for
tests/canned_replies/test_homophones_short_words.py; precision read on the tuning part's
clean sentences and on outside text (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, DETERMINERS, Token, _finding, _same_case
from canned_replies.grammalecte_engine import morphs
from canned_replies.homophones import PREPOSITIONS, run_rules

_CLITICS_AFTER_SUBJECT = {"ne", "n'", "me", "m'", "te", "t'", "se", "s'", "y", "lui", "nous",
                          "vous"}  # fmt: skip
# "avoir" after an object pronoun, by subject ("tu la reçu" → "tu l'as reçu").
_AVOIR_BY_SUBJECT = {
    "je": "ai", "j'": "ai", "tu": "as", "il": "a", "elle": "a", "on": "a", "qui": "a",
    "nous": "avons", "vous": "avez", "ils": "ont", "elles": "ont",
}  # fmt: skip
_PERSON = {"je": ":1s", "tu": ":2s", "il": ":3s", "elle": ":3s", "on": ":3s", "qui": ":3s",
           "nous": ":1p", "vous": ":2p", "ils": ":3p", "elles": ":3p"}  # fmt: skip
_NEGATION_ADVERBS = {"pas", "jamais", "plus", "toujours", "encore", "déjà", "même", "rien"}
_ETRE_FORMS = {"suis", "es", "est", "sommes", "êtes", "sont", "étais", "était", "étions",
               "étiez", "étaient", "serai", "sera", "serons", "serez", "seront", "serais",
               "serait", "serions", "seriez", "seraient", "sois", "soit", "soyez", "être",
               "été"}  # fmt: skip
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
    if not _lower_word(token) or not token.has(r":V[0-3][^/]*:Q") or token.has(r":[GW]"):
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
                and sentence[i - 1].low not in _AVOIR_BY_SUBJECT
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


def rule_sur_sur(sentence: list[Token]) -> Iterator[Finding]:
    """ "posé sûr la table" → "sur"; "j'en suis sur !" → "sûr"."""
    for i, token in enumerate(sentence[1:], start=1):
        prev = sentence[i - 1]
        nxt = sentence[i + 1] if i + 1 < len(sentence) else None
        if token.low == "sûr" and nxt is not None and nxt.low in DETERMINERS - {
            "du", "d'", "des", "de", "ce"
        }:  # fmt: skip
            verb_or_noun = _lower_word(prev) and (prev.has(r":V[0-3][^/]*:Q") or prev.has(r":N"))
            if verb_or_noun and not prev.has(r":[GW]") and prev.low not in _ETRE_FORMS:
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


def rule_mais_mes(sentence: list[Token]) -> Iterator[Finding]:
    """ "pour mais enfants", "j'ai reçu mais messages hier" → "mes"."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.low != "mais":
            continue
        prev, noun = sentence[i - 1], sentence[i + 1]
        after = sentence[i + 2] if i + 2 < len(sentence) else None
        if not _lower_word(noun) or not noun.has(r"/:N[^/]*:[mfe]:p"):
            continue
        if noun.has(r"/:N:A|/:[AGWR]|:3p"):
            continue  # "mais gentils", "mais plus", "mais viennent"
        if prev.low in PREPOSITIONS:
            pass  # a conjugated verb cannot follow a preposition: "pour mais commandes"
        elif not (
            _lower_word(prev)
            and prev.has(r":V[0-3]_.t")
            and not prev.has(r":[GW]")
            and noun.only(r":N")
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


_TES_ADVERBS = {"pas", "où", "là", "vraiment", "encore", "toujours", "déjà", "jamais", "en",
                "dans", "chez", "à", "au", "sûr", "sûre", "sur", "trop", "tellement"}  # fmt: skip


def rule_tes_t_es(sentence: list[Token]) -> Iterator[Finding]:
    """ "tes prêt pour ce soir ?", "tes où ?" → "t'es": the plural determiner "tes" is never
    followed by an adverb, a preposition or a singular adjective ending its phrase."""
    for i, token in enumerate(sentence[:-1]):
        if token.low != "tes":
            continue
        nxt = sentence[i + 1]
        after = sentence[i + 2] if i + 2 < len(sentence) else None
        ends = after is None or after.kind == "punct" or after.low in PREPOSITIONS | {
            "que", "qu'", "pour", "comme", "ou", "et", "mais"
        }  # fmt: skip
        singular_describer = (
            _lower_word(nxt)
            and nxt.has(r"/:N:A|/:A|:Q")
            and all(re.search(r":[mfe]:s(?:/|$)", m) for m in nxt.morphs if "/:V" not in m)
            and not nxt.has(r":[GW]")
        )
        if (
            nxt.low in _TES_ADVERBS - {"trop", "tellement"}
            or (nxt.low in {"trop", "tellement"} and after is not None and after.has(r":A"))
            or (singular_describer and ends)
        ):
            yield _finding(
                token,
                "Confusion : « t’es » (tu es), pas le déterminant « tes ».",
                [_same_case(token.text, "t'es")],
                "t_es",
            )


_ETRE_AUXILIARY = {"suis", "es", "est", "sommes", "êtes", "sont", "étais", "était", "étions",
                   "étiez", "étaient", "serai", "sera", "serons", "serez", "seront", "soit",
                   "soient"}  # fmt: skip
_BETWEEN = {"bien", "déjà", "pas", "jamais", "toujours", "enfin", "encore", "vite"}
# ("c'est chose faite": a bare feminine noun after "c'est" is an idiom, left)
_MASCULINE_SUBJECTS = {"il", "on", "ça", "cela", "qui"}


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


RULES = [
    rule_participle_accent,
    rule_tes_t_es,
    rule_ca_sa,
    rule_ny_ni,
    rule_object_pronoun_avoir,
    rule_s_est_sais,
    rule_quel_qu_elle,
    rule_sur_sur,
    rule_mais_mes,
]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
