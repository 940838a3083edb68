"""Number agreement after words of quantity, where Grammalecte stays quiet.

- a subject made of an adverb of quantity, "de" and a plural noun takes a plural verb:
  "Trop de gens pense" → "pensent", "Beaucoup de clients a appelé" → "ont" (the verb agrees
  with the noun after "de", not with the adverb);
- words that are only determiners of a plural ("certaines", "diverses", "de nombreuses",
  a plural determiner then a number) take a plural noun: "Certaines personne" → "personnes",
  "ces deux produit" → "produits".

Both read Grammalecte's morphology only; each stays quiet when the word after could be read
another way (a noun that is also an adjective, an invariable noun, a name). Measured on the
tuning part (benchmarks/bench_proofread.py --rules) and on clean text for precision.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import Token, _finding, _gender_number
from canned_replies.french_words import _CONJUGATED, run_rules, verb_forms
from canned_replies.grammalecte_engine import engine
from canned_replies.noun_phrases import adjective, agreed_forms, plain

QUANTITY_ADVERBS = {
    "beaucoup", "trop", "peu", "assez", "tant", "autant", "énormément", "tellement",
}  # fmt: skip
# Words after which a new clause (and so a subject) can start.
_CLAUSE_START = {",", "et", "mais", "que", "qu'", "car", "donc", "si", "quand", "lorsque",
                 "puisque", "parce", "alors", "(", "«", '"'}  # fmt: skip
# Object pronouns and "ne" between a subject and its verb.
_BEFORE_VERB = {"ne", "n'", "se", "s'", "me", "m'", "te", "t'", "nous", "vous", "lui", "leur",
                "les", "le", "la", "l'", "y", "en"}  # fmt: skip
_THIRD_SINGULAR = r":V[^/]*:(?:Ip|Iq|If|Is|K)(?::[^/:]+)*:3s"
_PLURAL_ONLY_NOUN = r":N(?::[A-Za-z]+)*:[mfe]:p(?:/|$)"
# Determiners (or adjectives in determiner place) that are always plural.
PLURAL_ONLY_DETERMINERS = {
    "certaines", "certains", "diverses", "divers", "nombreuses", "nombreux", "différentes",
    "différents", "maintes", "maints", "plusieurs",
}  # fmt: skip
PLURAL_DETERMINERS = {"les", "des", "ces", "mes", "tes", "ses", "nos", "vos", "leurs"}
NUMBERS = {"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
           "douze", "quinze", "vingt", "trente", "cent", "mille"}  # fmt: skip


def _singular_noun(token: Token) -> bool:
    """A common noun that can only be singular (not a name, a compound or a verb form)."""
    return (
        plain(token)
        and token.has(r":N")
        and token.has(r":N(?::[A-Za-z]+)*:[mfe]:s(?:/|$)")
        and not token.has(r":[NA](?::[A-Za-z]+)*:[mfe]:[pi](?:/|$)")
        and not token.has(r":[WRBM]")
    )


def _plural_verb(verb: Token, message: str, rule: str) -> Iterator[Finding]:
    plural = verb_forms(verb.text, ":3p")
    if plural:
        yield _finding(verb, message, plural[:3], rule)


def rule_quantity_subject(sentence: list[Token]) -> Iterator[Finding]:
    """ "Trop de gens pense" → "pensent": adverb of quantity + de + plural noun + verb."""
    for i, token in enumerate(sentence[:-3]):
        plupart = token.low == "plupart" and i > 0 and sentence[i - 1].low == "la"
        if token.low not in QUANTITY_ADVERBS and not plupart:
            continue
        start = i - 1 if plupart else i
        if start > 0 and sentence[start - 1].low not in _CLAUSE_START:
            continue  # "il a beaucoup de amis": an object, not a subject
        if sentence[i + 1].low not in ({"des"} if plupart else {"de", "d'"}):
            continue
        noun = sentence[i + 2]
        if not plain(noun) or not noun.has(_PLURAL_ONLY_NOUN) or noun.has(r":[si](?:/|$)"):
            continue
        k = i + 3
        while k < len(sentence) and sentence[k].low in _BEFORE_VERB:
            k += 1
        if k >= len(sentence):
            continue
        verb = sentence[k]
        if verb.low in ETRE_PLURAL:
            yield from _plural_attribute(sentence, k + 1, noun)
            continue
        if not plain(verb) or not verb.has(_THIRD_SINGULAR) or verb.has(r":3p"):
            continue
        if verb.has(r":[NAQ]") and not verb.has(r":V0"):
            continue  # "beaucoup de gens livre…": the word may be a noun or an adjective
        yield from _plural_verb(
            verb, f"Accord : le sujet est « {noun.text} », le verbe se met au pluriel.",
            "accord_quantite_verbe",
        )  # fmt: skip


# Before "de": quantities whose noun a relative "qui" takes up ("plein de gens qui…"); and
# "d'autres", the plural of "un autre".
_QUANTITY_BEFORE_DE = QUANTITY_ADVERBS | {"plein", "combien", "autres"}
_THIRD_PLURAL = r":V[^/]*:(?:Ip|Iq|If|Is|K)(?::[^/:]+)*:3p"


def rule_quantity_relative(sentence: list[Token]) -> Iterator[Finding]:
    """ "Il y a plein de gens qui pense" → "pensent", "d'autres clients qui se plaint" →
    "plaignent": after a quantity, "de" and a plural noun, "qui" takes up that noun (the
    quantity has no number of its own), so its verb is plural. Right after "qui" a form that
    is also a noun or an adjective is the verb ("qui produit"). Grammalecte reads "des",
    "les", "plusieurs" + noun + "qui", not these."""
    for i, token in enumerate(sentence[:-4]):
        if token.low not in _QUANTITY_BEFORE_DE:
            continue
        if token.low == "autres":
            if i == 0 or sentence[i - 1].low != "d'":
                continue
            k = i + 1  # "d'autres" is itself the determiner
        elif sentence[i + 1].low in {"de", "d'"}:
            k = i + 2
        else:
            continue
        noun = sentence[k]
        if not plain(noun) or not noun.has(_PLURAL_ONLY_NOUN) or noun.has(r":[si](?:/|$)"):
            continue
        k += 1
        if plain(sentence[k]) and sentence[k].only(r":A") and not sentence[k].has(r":[si]"):
            k += 1  # "plein de gens différents qui"
        if k >= len(sentence) or sentence[k].low != "qui":
            continue
        k += 1
        while k < len(sentence) and sentence[k].low in _BEFORE_VERB:
            k += 1
        if k >= len(sentence):
            continue
        verb = sentence[k]
        if not plain(verb) or not verb.has(_THIRD_SINGULAR) or verb.has(_THIRD_PLURAL):
            continue
        if verb.has(r":[WGR]"):
            continue
        yield from _plural_verb(
            verb, f"Accord : « qui » reprend « {noun.text} », le verbe se met au pluriel.",
            "accord_quantite_qui",
        )  # fmt: skip


# Words after which "de" + a noun has no determiner and no other head ("pas de précautions
# particulières", "beaucoup de clients satisfaits").
_BARE_DE_BEFORE = QUANTITY_ADVERBS | {"pas", "plus", "jamais", "point", "guère", "moins",
                                      "combien", "plein", "sans"}  # fmt: skip


def rule_quantity_noun_adjective(sentence: list[Token]) -> Iterator[Finding]:
    """ "Pas de précautions particulière" → "particulières": after a negation or a quantity,
    "de" and a noun, the adjective right after can only describe that noun. Grammalecte
    reads a noun phrase from its determiner, and here there is none."""
    for i, token in enumerate(sentence[:-3]):
        if token.low not in _BARE_DE_BEFORE or sentence[i + 1].low not in {"de", "d'"}:
            continue
        noun, word = sentence[i + 2], sentence[i + 3]
        if not plain(noun) or not noun.has(r":N") or noun.has(r":[VGWRB]"):
            continue  # not "plus de mille exemplaires": a number
        genders, numbers = _gender_number(noun, r":N")
        # right after a bare noun, a noun-adjective or a participle is the adjective
        describes = plain(word) and word.has(r":[AQ]") and not word.has(r":[GRWDYBCO]|:V.*:P")
        if len(numbers) != 1 or not describes:
            continue
        after = sentence[i + 4] if i + 4 < len(sentence) else None
        if word.has(_CONJUGATED.pattern) and after is not None and after.kind == "word":
            continue  # "Combien de milles fait une course ?": a verb and its object
        if word.has(r":[AQ](?::[^/:]+)*:[mfe]:[" + next(iter(numbers)) + "i](?:/|$)"):
            continue  # the number agrees (the gender: Grammalecte's lexicon is less sure)
        if after is not None and after.has(r":N") and not after.has(r":[GR]"):
            continue  # the adjective may open the next noun ("pas de grande maison")
        fixes = agreed_forms(word, genders, numbers)
        if fixes:
            yield _finding(
                word,
                f"Accord : « {word.text} » se rapporte à « {noun.text} ».",
                fixes,
                "accord_quantite_adjectif",
            )


ETRE_PLURAL = {"sont", "étaient", "seront", "seraient", "soient", "furent", "restent"}
_ATTRIBUTE_ADVERBS = {"très", "trop", "si", "tellement", "vraiment", "super", "bien", "pas",
                      "plus", "toujours", "souvent", "assez", "peu", "encore", "déjà", "tous",
                      "toutes", "ne", "n'"}  # fmt: skip


def _plural_attribute(sentence: list[Token], k: int, noun: Token) -> Iterator[Finding]:
    """ "Beaucoup de gens sont gentil" → "gentils": the attribute agrees with the noun."""
    while k < len(sentence) and sentence[k].low in _ATTRIBUTE_ADVERBS:
        k += 1
    if k >= len(sentence):
        return
    word = sentence[k]
    if not plain(word) or not word.has(r":[AQ]") or word.has(r":[GWRB]"):
        return
    if word.has(r":[AQ](?::[^/:]+)*:[pi](?:/|$)"):
        return  # already plural (or invariable)
    genders, _ = _gender_number(noun, r":N")
    functions = engine().functions
    plural = functions.suggFemPlur(word.text) if genders == {"f"} else ""
    plural = plural or functions.suggMasPlur(word.text) or functions.suggPlur(word.text)
    if plural:
        yield _finding(
            word,
            f"Accord : l’attribut se rapporte à « {noun.text} », au pluriel.",
            plural.split("|")[:3],
            "accord_quantite_attribut",
        )


def rule_plural_determiner(sentence: list[Token]) -> Iterator[Finding]:
    """ "Certaines personne" → "personnes", "ces deux produit" → "produits"."""
    for i, token in enumerate(sentence[:-1]):
        prev = sentence[i - 1] if i > 0 else None
        if token.low in PLURAL_ONLY_DETERMINERS:
            # In determiner place: sentence start, after a preposition, a verb, "de"/"des"/"les".
            if (
                prev is not None
                and prev.kind == "word"
                and prev.has(r":N")
                and not (prev.has(r":[RDGV]"))
            ):
                continue  # "des résultats certains": an adjective after its noun
        elif token.low in NUMBERS:
            if prev is None or prev.low not in PLURAL_DETERMINERS:
                continue
            if i > 1 and sentence[i - 2].low in {"tous", "toutes"}:
                continue  # "ils font tous les deux partie": a pronoun, not a determiner
        else:
            continue
        k = i + 1
        nxt = sentence[k]
        if plain(nxt) and nxt.only(r":A") and nxt.has(r":[pi](?:/|$)") and k + 1 < len(sentence):
            k += 1  # "de nombreuses petite…": an adjective before the noun
            nxt = sentence[k]
        if not _singular_noun(nxt):
            continue
        if k + 1 < len(sentence) and sentence[k + 1].low in {"et", "ou"}:
            continue  # "plusieurs aller et retour": a set pair of nouns
        if nxt.has(r":V[^/]*:(?:Ip|Iq|If|Is|K)") and token.low in {"certains", "certaines"}:
            continue  # "certains pense": a pronoun and a verb, Grammalecte's conjugation
        plural = engine().functions.suggPlur(nxt.text)
        if plural:
            yield _finding(
                nxt,
                f"Accord de nombre : « {token.text} » annonce un nom au pluriel.",
                plural.split("|")[:3],
                "accord_determinant_pluriel",
            )


def _plural_noun_only(token: Token) -> bool:
    return plain(token) and token.has(_PLURAL_ONLY_NOUN) and not token.has(r":[NA][^/]*:[si]")


def rule_plural_determiner_adjective(sentence: list[Token]) -> Iterator[Finding]:
    """ "de nombreux produits toxique", "plusieurs clients mécontent" → "toxiques",
    "mécontents": after a determiner that is only plural and its plural noun, an adjective
    that is only singular (Grammalecte reads "les", "des", not "nombreux", "plusieurs")."""
    for i, token in enumerate(sentence[:-2]):
        if token.low not in PLURAL_ONLY_DETERMINERS:
            continue
        prev = sentence[i - 1] if i > 0 else None
        if (
            prev is not None
            and prev.kind == "word"
            and prev.has(r":N")
            and not prev.has(r":[RDGV]")
        ):
            continue  # "des résultats certains": an adjective after its noun
        k = i + 1
        if plain(sentence[k]) and sentence[k].only(r":A") and k + 2 < len(sentence):
            k += 1  # "plusieurs petits commerces…"
        if not _plural_noun_only(sentence[k]) or k + 1 >= len(sentence):
            continue
        noun, word = sentence[k], sentence[k + 1]
        # a noun-adjective too ("française", "fidèle"): a noun cannot follow a plural noun
        describes = adjective(word) or (
            plain(word) and word.has(r":N:A") and not word.has(r":[GWRVM]")
        )
        if not describes or word.has(r":[AQ][^/]*:[pi](?:/|$)"):
            continue  # already plural or invariable
        after = sentence[k + 2] if k + 2 < len(sentence) else None
        noun_after = after is not None and after.has(r":N") and not after.has(r":[GV]")
        if noun_after and not word.has(r":Q"):
            continue  # the adjective may open the next noun phrase
        if after is not None and after.low in {"de", "d'", "que", "qu'"} and word.has(r":Q"):
            continue  # a participle with its own complement
        genders, _ = _gender_number(noun, r":N")
        fixes = agreed_forms(word, genders, {"p"})
        if fixes:
            yield _finding(
                word,
                f"Accord : « {word.text} » se rapporte à « {noun.text} » (pluriel).",
                fixes,
                "accord_determinant_pluriel_adjectif",
            )


RULES = [
    rule_quantity_subject,
    rule_quantity_relative,
    rule_quantity_noun_adjective,
    rule_plural_determiner,
    rule_plural_determiner_adjective,
]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
