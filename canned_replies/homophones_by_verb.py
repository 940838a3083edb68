"""Homophones of short grammatical words decided by the verb next to them.

- "ont" before a finite verb of the 3rd person singular with no subject of its own → "on"
  ("mais ont continue", "ont aurait dit"): the auxiliary is followed by a participle, not by
  a conjugated verb; nouns that "avoir" takes bare ("ont envie", "ont trait") are left, and so
  is a verb in -e after a subject, which may be a participle missing its accent;
- "on" between a subject and a participle that is not also a present → "ont" ("les
  résultats on mis en évidence"; "on fait appel" is left);
- "son" before a participle, a plural-only adjective, an adverb of the verb or an article →
  "sont" ("ces données son issues", "les colis son mis de côté"); "sont" before a singular
  noun alone → "son" ("il a oublié sont sac"; "sont fonction de" is left);
- "leurs" before a conjugated verb → "leur" ("le service leurs est fermé"), not after an
  article ("les leurs sont partis");
- "ce" between a subject pronoun and a verb → "se" ("il ce serait trompé");
- "se" opening a clause before a form of "être" and a determiner → "ce" ("parce que se sont
  mes amis", "plutôt que se soit la panne");
- "ce" + a present participle → "se" ("les magistrats ce heurtant", "en ce basant";
  "ce faisant" is left);
- "ce sont" + a participle after its subject → "se sont" ("les vendeurs ce sont trompés":
  "ce sont" is followed by a noun phrase, never by a bare participle);
- "à" after a noun, a name or a pronoun and before a participle → "a" ("le magasin à écrit");
  a participle in -é only after a name or a pronoun ("salle à mangé" wants "manger");
- "est" + a stressed pronoun + a verb of the plural → "et" ("ma mère est moi étions");
- "est" between two adjectives or participles only plural → "et" ("des perfusions uniques
  est multiples");
- "où" before "plus"/"moins" ending the phrase, or before "qui" → "ou" ("2 semaines où plus",
  "enceinte où qui allaite").

Written from French grammar and Grammalecte's morphology, measured on mistakes injected into
the tuning part's clean sentences (benchmarks/bench_proofread_synthetic.py) and for precision
on its clean sentences (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, DETERMINERS, Token, _finding, _same_case
from canned_replies.french_words import NOUN_PHRASE_PREPOSITIONS
from canned_replies.homophones import CLAUSE_BREAKS, _numeral, run_rules

# Nouns "avoir" takes without a determiner, some also verb forms ("ils ont envie de").
_AVOIR_NOUNS = {
    "envie", "hâte", "part", "trait", "cours", "faim", "soif", "peur", "honte", "raison", "tort",
    "lieu", "droit", "accès", "recours", "besoin", "mal", "pitié", "horreur", "soin",
    "confiance", "conscience", "intérêt", "tendance", "vocation", "coutume", "affaire", "marre",
    "froid", "chaud", "sommeil", "mission", "charge", "vent", "espoir", "souvenir", "rendez",
}  # fmt: skip
_SUBJECT_PRONOUNS = {"il", "elle", "on", "ils", "elles", "je", "tu", "nous", "vous"}
_ETRE = {"sont", "soit", "soient", "sera", "seront", "serait", "seraient", "fut", "furent",
         "était", "étaient", "est"}  # fmt: skip
_OBJECT_CLITICS = {"l'", "le", "la", "les", "en", "y", "lui", "leur", "me", "m'", "te", "t'"}
# Adverbs that may sit between an auxiliary and its participle.
_ADVERBS = {"déjà", "bien", "pas", "jamais", "toujours", "aussi", "également", "enfin",
            "encore", "souvent", "récemment", "finalement", "vraiment"}  # fmt: skip
# Participles that are also nouns after "à" ("à découvert", "tout à fait").
_A_LOCUTIONS = {"découvert", "couvert", "fait", "dit", "jeun", "prix"}
_PRONOUN_SUBJECTS = {"qui", "cela", "ça", "ceci", "celui", "celle", "chacun", "personne",
                     "quelqu'un", "tout", "rien"}  # fmt: skip


def _finite_3s(token: Token) -> bool:
    """A conjugated verb of the 3rd person singular, not a participle nor an infinitive."""
    return (
        token.kind == "word"
        and token.text.islower()
        and any(_CONJUGATED.search(m) and ":3s" in m for m in token.morphs)
        and not token.has(r":V[0-3].*:[QY]")
    )


def rule_ont_on(sentence: list[Token]) -> Iterator[Finding]:
    """ "mais ont continue" → "on"."""
    for i, token in enumerate(sentence[:-1]):
        if token.low != "ont":
            continue
        prev = sentence[i - 1] if i > 0 else None
        nxt = sentence[i + 1]
        if prev is not None and (prev.low in {"ils", "elles"} or prev.kind == "elided"):
            continue  # "ils m'ont mute": the verb avoir after its object
        if nxt.low in _AVOIR_NOUNS or not _finite_3s(nxt):
            continue
        clause_start = prev is None or prev.kind == "punct" or prev.low in CLAUSE_BREAKS
        # "les clients ont visite…": a participle missing its accent after a subject
        if not clause_start and nxt.has(r":N") and nxt.low.endswith("e"):
            continue
        yield _finding(
            token,
            "Confusion : le pronom « on » (sujet du verbe qui suit), pas l’auxiliaire « ont ».",
            [_same_case(token.text, "on")],
            "on_sujet_verbe",
        )


def _participle_not_3s(token: Token) -> bool:
    """A participle that is not also a present of the 3rd person ("reçu", "mis", "été"; not
    "fait", "dit": "on fait appel")."""
    return (
        token.kind == "word"
        and token.text.islower()
        and token.has(r":V[0-3].*:Q")
        and not token.has(r":V[0-3].*:Y")
        and not any(_CONJUGATED.search(m) and ":3s" in m for m in token.morphs)
    )


def rule_on_participle(sentence: list[Token]) -> Iterator[Finding]:
    """ "les résultats on mis en évidence" → "ont": a subject, then "on" and a participle
    (Grammalecte conjugates the participle instead: "mit")."""
    for i, token in enumerate(sentence[1:-1], start=1):
        prev, nxt = sentence[i - 1], sentence[i + 1]
        if token.text != "on" or not _participle_not_3s(nxt):
            continue
        if prev.low in {"l'", "si", "que", "qu'", "et", "quand", "où", "comme", "ou", "mais"}:
            continue  # "si on été…": "on a été" as likely
        if prev.kind == "word" and not prev.morphs and not prev.text[:1].isdigit():
            continue  # an unknown word: English ("based on shared…"), a name
        then = sentence[i + 2] if nxt.low == "été" and i + 2 < len(sentence) else nxt
        plural = then.has(r":Q.*:p") and not then.has(r":Q.*:[si](?:/|$)")
        if prev.kind == "punct" and not plural:
            continue  # ", on été…": "on a été" may be meant
        yield _finding(
            token,
            "Confusion : l’auxiliaire « ont » devant un participe passé.",
            ["ont"],
            "ont_auxiliaire_participe",
        )


# Adverbs that may open a noun phrase before an adjective ("son très grand frère").
_DEGREE = {"très", "plus", "moins", "si", "trop", "tout", "aussi", "assez", "bien", "fort",
           "peu", "tellement", "vraiment", "presque", "non", "seul", "même"}  # fmt: skip
_ARTICLES = {"le", "la", "les", "l'", "un", "une", "des", "du"}


def _plural_only_describer(token: Token) -> bool:
    """An adjective or participle that is only plural and not a noun ("rares", "issues")."""
    return (
        token.kind == "word"
        and token.text.islower()
        and token.has(r":[AQ]")
        and not token.has(r":[NGWRY]")
        and not token.has(_CONJUGATED.pattern)
        and all(re.search(r":p(?:/|$)", m) for m in token.morphs)
    )


def rule_son_sont(sentence: list[Token]) -> Iterator[Finding]:
    """ "ces données son issues", "les colis son mis de côté", "ils son le…" → "sont";
    "il a oublié sont sac" → "son" (a singular noun alone after "sont")."""
    for i, token in enumerate(sentence[1:-1], start=1):
        prev, nxt = sentence[i - 1], sentence[i + 1]
        after = sentence[i + 2] if i + 2 < len(sentence) else None
        if prev.low in DETERMINERS | NOUN_PHRASE_PREPOSITIONS:
            continue
        if token.text == "son":
            participle = (
                nxt.kind == "word"
                and nxt.text.islower()
                and nxt.has(r":V[0-3].*:Q")
                and not nxt.has(r":V[0-3].*:Y")
                # a noun too only when plural ("son accusés"; "son reçu" is a noun phrase)
                and (not nxt.has(r":N") or all(re.search(r":p(?:/|$)", m) for m in nxt.morphs))
                and not any(_CONJUGATED.search(m) and ":3s" in m for m in nxt.morphs)
                and (after is None or not after.has(r":N"))  # "son regretté mari"
            )
            adverb = nxt.only(r":W") and nxt.low not in _DEGREE
            if not (participle or adverb or _plural_only_describer(nxt) or nxt.low in _ARTICLES):
                continue
            yield _finding(
                token,
                "Confusion : le verbe être, « sont ».",
                ["sont"],
                "sont_verbe_etre",
            )
        elif (
            token.text == "sont"
            and prev.low not in {"ce", "c'", "qui", "ils", "elles", "eux", "tous", "toutes"}
            and not prev.has(r":[NAQ].*:[pi](?:/|$)")  # "les féministes sont cancer": a verb
            and not prev.text[:1].isupper()
        ):
            noun = (
                nxt.kind == "word"
                and nxt.text.islower()
                and nxt.only(r":N.*:[mfe]:s(?:/|$)")
                and (after is None or after.low not in {"de", "d'", "à", "du", "des"})
            )
            if noun:
                yield _finding(
                    token,
                    "Confusion : le déterminant possessif « son » devant un nom singulier.",
                    ["son"],
                    "son_possessif_nom",
                )


def rule_leurs_verb(sentence: list[Token]) -> Iterator[Finding]:
    """ "le service leurs est fermé" → "leur"."""
    for i, token in enumerate(sentence[:-1]):
        if token.low != "leurs" or (i > 0 and sentence[i - 1].low in {"les", "des", "aux"}):
            continue
        nxt = sentence[i + 1]
        verb = nxt.kind == "word" and nxt.text.islower() and nxt.has(_CONJUGATED.pattern)
        if not verb or (nxt.has(r":[NA]") and not nxt.has(r":V0")):
            continue
        yield _finding(
            token,
            "Confusion : devant un verbe, le pronom « leur » (invariable).",
            [_same_case(token.text, "leur")],
            "leur_pronom_verbe",
        )


def _verb_or_clitic(token: Token) -> bool:
    if token.low in _OBJECT_CLITICS:
        return True
    return (
        token.kind == "word"
        and token.text.islower()
        and token.has(_CONJUGATED.pattern)
        and (token.has(r":V0") or not token.has(r":[NAGW]"))
    )


def rule_ce_se(sentence: list[Token]) -> Iterator[Finding]:
    """ "il ce serait trompé" → "se"; "parce que se sont mes amis" → "ce";
    "les vendeurs ce sont trompés" → "se"."""
    for i, token in enumerate(sentence[:-2]):
        prev = sentence[i - 1] if i > 0 else None
        nxt, after = sentence[i + 1], sentence[i + 2]
        if token.low == "ce" and prev is not None and prev.low in _SUBJECT_PRONOUNS - {"je", "tu"}:
            inverted = (
                i >= 2
                and sentence[i - 2].kind == "word"
                and sentence[i - 2].has(_CONJUGATED.pattern)
            )
            if not inverted and _verb_or_clitic(nxt):
                yield _finding(
                    token,
                    "Confusion : le pronom réfléchi « se » devant le verbe.",
                    [_same_case(token.text, "se")],
                    "se_pronom_verbe",
                )
        elif (
            token.text == "ce"
            and nxt.kind == "word"
            and nxt.low not in {"faisant", "disant"}
            and nxt.has(r":V[0-3].*:P")
            and (not nxt.has(r":[NA]") or (prev is not None and prev.low == "en"))
        ):
            yield _finding(
                token,
                "Confusion : le pronom réfléchi « se » devant le participe présent.",
                ["se"],
                "se_participe_present",
            )
        elif token.low == "se" and nxt.low in _ETRE:
            opens = prev is None or prev.kind == "punct" or prev.low in {
                "que", "qu'", "si", "quand", "car", "mais", "et", "donc", "alors", "comme",
            }  # fmt: skip
            if opens and after.low in DETERMINERS - {"d'"} | {"des"}:
                yield _finding(
                    token,
                    "Confusion : « ce » (cela) devant le verbe être et un nom.",
                    [_same_case(token.text, "ce")],
                    "ce_demonstratif_etre",
                )
        elif (
            token.text == "ce"
            and nxt.low == "sont"
            and prev is not None
            and ((prev.kind == "word" and prev.has(r":N")) or prev.text in {")", ","})
            and after.kind == "word"
            and after.text.islower()
            and after.has(r":V[0-3].*:Q")
            and not after.has(r":N")
            and not after.has(_CONJUGATED.pattern)
        ):
            yield _finding(
                token,
                "Confusion : « se sont » + participe (verbe pronominal), pas « ce sont ».",
                ["se"],
                "se_sont_participe",
            )


def _participle_after(sentence: list[Token], k: int) -> Token | None:
    while k < len(sentence) and sentence[k].low in _ADVERBS:
        k += 1
    if k >= len(sentence):
        return None
    word = sentence[k]
    after = sentence[k + 1].low if k + 1 < len(sentence) else ""
    # a set phrase, unless a clause follows as its object ("à découvert que" is "a découvert")
    if (
        word.kind != "word"
        or not word.text.islower()
        or (word.low in _A_LOCUTIONS and after not in {"que", "qu'"})
    ):
        return None
    # "à écrit": also "il écrit", but "à" is never followed by a conjugated verb either
    if not word.has(r":V[0-3].*:Q") or word.has(r":V[0-3].*:Y"):
        return None
    if word.has(r":N") and not _object_after(sentence, k):
        return None  # "à pointes", "à écrit": a bare noun after "à", unless an object follows
    return word


def _object_after(sentence: list[Token], k: int) -> bool:
    """A direct object or a clause right after the participle at k ("écrit la musique",
    "découvert que…")."""
    while k + 1 < len(sentence) and sentence[k + 1].low.endswith("ment"):
        if not sentence[k + 1].only(r":W"):
            break
        k += 1  # "à réduit significativement le nombre"
    after = sentence[k + 1].low if k + 1 < len(sentence) else ""
    if k + 2 < len(sentence) and _numeral(sentence[k + 2]):
        return False  # a date, not an object ("à mort le 16 mars")
    return after in DETERMINERS - {"d'", "du", "au"} | {"des", "que", "qu'"}


def rule_a_participle(sentence: list[Token]) -> Iterator[Finding]:
    """ "le magasin à écrit un message" → "a"."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.low != "à" or sentence[i - 1].low == "tout":
            continue
        prev = sentence[i - 1]
        participle = _participle_after(sentence, i + 1)
        if participle is None:
            continue
        # Opening the sentence, a capital is a name only when the word is nothing else.
        name = prev.kind == "word" and prev.text[:1].isupper() and (i > 1 or prev.only(r"/:M"))
        pronoun = prev.low in _PRONOUN_SUBJECTS
        noun = (
            prev.kind == "word"
            and prev.text.islower()
            and prev.has(r":N")
            and not prev.has(r":[AVGWR]")
        )
        in_e = participle.low.endswith(("é", "ée", "és", "ées"))
        # a participle with its object after "à" is a compound tense whatever word ends the
        # subject ("Quel compositeur américain à écrit la musique", "le juge X à découvert que")
        k = sentence.index(participle, i + 1)
        # (not a participle: "condamnés à mort le 16 mars")
        ends_subject = prev.kind == "word" and prev.has(r":[NAM]") and not prev.has(r":[GRV]")
        objected = ends_subject and _object_after(sentence, k)
        if not (name or pronoun or (noun and not in_e) or objected):
            continue
        yield _finding(
            token,
            "Confusion : le verbe avoir, « a », devant un participe passé.",
            [_same_case(token.text, "a")],
            "a_auxiliaire_participe",
        )


def rule_ou_plus(sentence: list[Token]) -> Iterator[Finding]:
    """ "2 semaines où plus" → "ou"; "enceinte où qui allaite" → "ou"."""
    for i, token in enumerate(sentence[1:], start=1):
        if token.low != "où" or sentence[i - 1].low in {"d'", "là", "par"}:
            continue
        nxt = sentence[i + 1] if i + 1 < len(sentence) else None
        after = sentence[i + 2] if i + 2 < len(sentence) else None
        more = (
            nxt is not None
            and nxt.low in {"plus", "moins"}
            and (after is None or after.kind == "punct")
        )
        if more or (nxt is not None and nxt.low == "qui"):
            yield _finding(
                token,
                "Confusion : la conjonction « ou » (ou bien).",
                [_same_case(token.text, "ou")],
                "ou_conjonction_alternative",
            )


_DISJUNCTIVE = {"moi": ":1p", "toi": ":2p", "lui": ":3p", "eux": ":3p", "elle": ":3p",
                "elles": ":3p"}  # fmt: skip


def rule_est_pronoun_verb(sentence: list[Token]) -> Iterator[Finding]:
    """ "ma mère est moi étions…" → "et": two subjects joined, then their plural verb."""
    for i, token in enumerate(sentence[1:-2], start=1):
        person = _DISJUNCTIVE.get(sentence[i + 1].low)
        if token.text != "est" or person is None or sentence[i - 1].low in {"c'", "ce", "qui"}:
            continue
        verb = sentence[i + 2]
        if (
            verb.kind == "word"
            and any(_CONJUGATED.search(m) and person in m for m in verb.morphs)
            and not verb.has(r":3s")
        ):
            yield _finding(
                token,
                "Confusion : deux sujets coordonnés, la conjonction « et ».",
                ["et"],
                "et_sujets_coordonnes",
            )


def rule_est_plural(sentence: list[Token]) -> Iterator[Finding]:
    """ "des perfusions uniques est multiples" → "et": "est" between two adjectives or
    participles that are only plural (after a noun, "sont" or an agreement slip is as
    likely: left to Grammalecte)."""
    for i, token in enumerate(sentence[1:-1], start=1):
        prev, nxt = sentence[i - 1], sentence[i + 1]
        plural = (
            nxt.kind == "word"
            and nxt.text.islower()
            and nxt.has(r":[NAQ]")
            and not nxt.has(r":[GWRYB]")
            and not nxt.has(_CONJUGATED.pattern)
            and all(re.search(r":p(?:/|$)", m) for m in nxt.morphs)
        )
        if token.text != "est" or not plural:
            continue
        if prev.kind != "word" or not prev.text.islower() or prev.low in {"on", "qui", "ce"}:
            continue
        # two plural adjectives joined ("uniques est multiples"); after a noun, "mon père est
        # fiers" is an agreement slip, not "et"
        if prev.has(r":[AQ]") and not prev.has(r":[NGRWV]") and _plural_only_describer(prev):
            yield _finding(
                token,
                "Confusion : « est » ne s’accorde pas avec un mot au pluriel, ici la "
                "conjonction « et ».",
                ["et"],
                "et_avant_pluriel",
            )


RULES = [
    rule_ont_on,
    rule_on_participle,
    rule_son_sont,
    rule_leurs_verb,
    rule_ce_se,
    rule_a_participle,
    rule_ou_plus,
    rule_est_pronoun_verb,
    rule_est_plural,
]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
