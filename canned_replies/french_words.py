"""What the French rules read: tokens with Grammalecte's morphologies, word classes, noun phrases.

Shared by the rule modules (french_agreement_rules, french_verb_form_rules,
french_confusion_rules, context_rules, homophones); holds no rule itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from canned_replies.auxiliary_forms import AVOIR_FORMS, ETRE_INDICATIVE
from canned_replies.findings import Finding
from canned_replies.grammalecte_engine import engine, morphs
from canned_replies.unknown_words import zipf

_TOKEN = re.compile(
    r"(?P<elided>\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w))"
    r"|(?P<word>\w+(?:-\w+)*)"
    r"|(?P<punct>[.!?…;:,()\"«»—–]+)",
    re.IGNORECASE,
)
_SENTENCE_END = {".", "!", "?", "…", "...", ";", ":"}
_CONJUGATED = re.compile(r":V[0-3].*:(?:Ip|Iq|Is|If|K|Sp|Sq)")


@dataclass(frozen=True)
class Token:
    """A word, an elided word ("l'") or punctuation, with its position in the text."""

    text: str
    start: int
    end: int
    kind: str

    @cached_property  # read about seven thousand times a reply by the rules
    def low(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def morphs(self) -> tuple[str, ...]:
        if self.kind != "word" or "_" in self.text:
            return ()
        return morphs(self.text)

    def has(self, pattern: str, exclude: str | None = None) -> bool:
        """True when one morphology matches pattern (and not exclude)."""
        if self.kind != "word" or "_" in self.text:
            return False
        return _has(self.text, pattern, exclude)

    def only(self, pattern: str) -> bool:
        """True when the word is known and every morphology matches pattern."""
        found = self.morphs
        return bool(found) and all(re.search(pattern, m) for m in found)


# 25,700 (word, pattern) pairs for the project's 1,686 texts; ~200 B each, so at most ~10 MB
# (200,000 would hold 40 MB in every long-lived process for little more hit rate).
@lru_cache(maxsize=50_000)
def _has(word: str, pattern: str, exclude: str | None) -> bool:
    # The rules ask the same few dozen patterns of the same words (a quarter of a million
    # times for 200 replies): answered once per word and pattern.
    return any(
        re.search(pattern, m) and not (exclude and re.search(exclude, m)) for m in morphs(word)
    )


def tokenize(text: str) -> list[Token]:
    """Split text into tokens; placeholders of masked parts come out as words with "_"."""
    return list(_tokens(text))


@lru_cache(maxsize=32)
def _tokens(text: str) -> tuple[Token, ...]:
    # Every sentence rule module tokenizes the same paragraph (28 times a reply): once here.
    # Tokens are frozen, so the modules may share them.
    return tuple(
        Token(m.group(), m.start(), m.end(), m.lastgroup or "word") for m in _TOKEN.finditer(text)
    )


_CLOSING_QUOTES = frozenset('"»”')


def sentences(tokens: list[Token]) -> Iterator[list[Token]]:
    """Group tokens into sentences (clause-ending punctuation closes a sentence)."""
    current: list[Token] = []
    for i, token in enumerate(tokens):
        if token.kind == "punct" and any(c in ".!?…;:" for c in token.text):
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if (
                token.text[-1:] in _CLOSING_QUOTES
                and following is not None
                and following.text[:1].islower()
            ):
                # A quoted exclamation or question inside a sentence goes on after its closing
                # quote ("… comme « c'est nul ! » vous fera exclure"): the subject came before.
                current.append(token)
                continue
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


# ----------------------------------------------------------------------------- word classes

SUBJECT_PERSON = {"nous": ":1p", "vous": ":2p"}
CLITICS = {
    "ne", "n'", "nous", "vous", "le", "la", "les", "l'", "lui", "leur", "en", "y",
    "me", "m'", "te", "t'", "se", "s'",
}  # fmt: skip
# "une cinquantaine de chefs ont été mis": the participle may agree with the complement.
COLLECTIVE_NOUNS = {
    "cinquantaine", "dizaine", "douzaine", "vingtaine", "trentaine", "quarantaine",
    "centaine", "millier", "majorité", "minorité", "partie", "plupart", "moitié", "nombre",
    "foule", "groupe", "série", "quantité", "ensemble", "totalité", "tiers", "quart", "reste",
}  # fmt: skip
# A new clause with its own subject starts after these ("… est requise lorsqu'Aclasta est …").
SUBORDINATORS = {
    "lorsqu'", "lorsque", "puisqu'", "puisque", "quoiqu'", "quoique", "quand", "si", "s'",
    "comme", "car", "mais", "parce", "afin", "tandis", "pendant", "avant", "après",
}  # fmt: skip
# After "et", "nous"/"vous" is usually an object ("…et vous sera livré"): not an opener.
CLAUSE_OPENERS = {",", "mais", "donc", "car", "alors", "si", "que", "qu'", "quand", "lorsque"}
DETERMINERS_SING = {
    "le", "la", "l'", "un", "une", "ce", "cet", "cette", "mon", "ma", "ton", "ta", "son", "sa",
    "notre", "votre", "leur",
}  # fmt: skip
DETERMINERS_PLUR = {"les", "des", "ces", "mes", "tes", "ses", "nos", "vos", "leurs", "aux"}
DETERMINERS = DETERMINERS_SING | DETERMINERS_PLUR | {"du", "au", "d'"}
FEMININE_DETERMINERS = {"la", "une", "cette", "ma", "ta", "sa"}
SUBJECT_PRONOUNS = {"je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"}
ETRE_3RD = {
    "est", "sera", "serait", "était", "soit", "fut", "sont", "seront", "seraient", "étaient",
    "soient", "furent", "été",
}  # fmt: skip
ADVERBS_IN_VERB_GROUP = {
    "bien", "déjà", "pas", "plus", "jamais", "encore", "toujours", "également", "aussi",
    "bientôt", "vite", "rapidement", "ensuite", "enfin", "finalement", "effectivement",
    "malheureusement", "normalement", "automatiquement", "immédiatement", "entièrement",
    "intégralement", "correctement", "directement", "très", "tout",
}  # fmt: skip
# Participles after which "c'est" is really "s'est": verbs almost only used pronominally.
PRONOMINAL_LEMMAS = {
    "produire", "tromper", "dérouler", "avérer", "écouler", "excuser", "renseigner",
    "apercevoir", "glisser", "souvenir", "absenter", "écrouler", "évanouir", "enfuir", "plaindre",
    "inquiéter", "soucier", "efforcer", "moquer", "abstenir", "méfier", "désister", "rendre",
}  # fmt: skip
# Nouns after which "ou" + a clause is the relative "où".
PLACE_TIME_NOUNS = {
    "gare", "jour", "moment", "cas", "adresse", "endroit", "lieu", "ville", "quai", "station",
    "arrêt", "période", "instant", "semaine", "mois", "année", "soir", "soirée", "matin",
    "matinée", "heure", "date", "pays", "région", "magasin", "boutique", "agence", "page",
    "rubrique", "entrepôt", "voiture", "wagon", "rayon", "là", "partout", "d'", "par", "époque",
}  # fmt: skip
# Verbs that introduce an indirect question: "savoir où", "indiquer où".
WHERE_VERBS = {
    "savoir", "indiquer", "préciser", "dire", "demander", "vérifier", "ignorer", "regarder",
    "chercher", "voir", "confirmer", "signaler",
}  # fmt: skip


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _lemmas(token: Token, pattern: str) -> set[str]:
    return {m.split("/")[0][1:] for m in token.morphs if re.search(pattern, m)}


def _finding(token: Token, message: str, suggestions: list[str], rule: str) -> Finding:
    unique = [s for i, s in enumerate(suggestions) if s and s not in suggestions[:i]]
    return Finding(token.start, token.end, message, unique, f"vigie.{rule}", "grammar")


def determiner_or_name_at(sentence: list[Token], k: int) -> bool:
    """A determiner or a capitalised word at index k: a noun phrase or a name starts there
    (the subject of an inverted verb, "que nous a coûté la campagne", "qui sont les fils")."""
    return k < len(sentence) and (sentence[k].low in DETERMINERS or sentence[k].text[:1].isupper())


def number_or_code(token: Token) -> bool:
    """A number, or a reference masked before proofreading ("CMD-482", "14h30" → "___")."""
    return token.kind == "word" and (token.text[:1].isdigit() or token.text[:1] == "_")


def relative_que_before(sentence: list[Token], i: int) -> bool:
    """A relative "que" before index i ("ce que", "tout que", "le problème que vous avez"): the
    verb before i may end the relative clause, and what follows belongs to the main clause
    ("… que vous avez a une solution", "ce que je veux dit")."""
    for j in range(1, i):
        if sentence[j].low in {"que", "qu'"}:
            before = sentence[j - 1]
            if before.low in {"ce", "tout"} or (before.kind == "word" and before.has(r":N")):
                return True
    return False


def _same_case(model: str, word: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


# A verb form that is also a form of a far rarer verb ("étaient": "être", and "étayer" at the
# present) is the common verb's: a reading whose infinitive is this much less written (Zipf,
# ~300 times) gives no suggestion ("étaient" → "était", not "étaye"; "suis" keeps "suivre").
RARE_READING = 2.5


def verb_lemmas(word: str) -> set[str]:
    return {m[1 : m.index("/")] for m in morphs(word.lower()) if ":V" in m and "/" in m}


def verb_forms(verb_text: str, person: str) -> list[str]:
    """The verb conjugated for person (":3p", ":1p"…), other than verb_text, in its case.
    Grammalecte's suggVerb joins the forms from a set, in no fixed order ("apparaît|apparait"):
    the most written first, then alphabetical, so the first suggestion is the same in every
    process. Forms of a far rarer verb the word can also be are left out (RARE_READING)."""
    found = engine().functions.suggVerb(verb_text, person) or ""
    forms = list(dict.fromkeys(s for s in found.split("|") if s and s != verb_text))
    lemmas = verb_lemmas(verb_text)
    if len(lemmas) > 1:
        top = max(zipf(lemma) for lemma in lemmas)
        rare = {lemma for lemma in lemmas if zipf(lemma) < top - RARE_READING}
        kept = [s for s in forms if not (lemmas_of := verb_lemmas(s)) or not lemmas_of <= rare]
        forms = kept or forms
    ordered = sorted(forms, key=lambda s: (-zipf(s.lower()), s))
    return [_same_case(verb_text, s) for s in ordered]


# ----------------------------------------------------------------------------- agreement data


def _gender_number(token: Token, pattern: str) -> tuple[set[str], set[str]]:
    """Genders (m/f) and numbers (s/p) a word can have for morphologies matching pattern."""
    # New sets each time: the callers narrow them in place ("numbers &= {'p'}").
    genders, numbers = _genders_numbers(token.morphs, pattern)
    return set(genders), set(numbers)


_GENDER = re.compile(r":([mfe])(?=[:/#;]|$)")
_NUMBER = re.compile(r":([spi])(?=[:/#;]|$)")


# The rules ask it of the same words thirty thousand times for 200 replies; ~300 B an entry.
@lru_cache(maxsize=20_000)
def _genders_numbers(
    morphologies: tuple[str, ...], pattern: str
) -> tuple[frozenset[str], frozenset[str]]:
    genders: set[str] = set()
    numbers: set[str] = set()
    for m in morphologies:
        if not re.search(pattern, m):
            continue
        # "#G" after the number marks a nationality ("africain/:N:A:m:s#G")
        g = _GENDER.search(m)
        n = _NUMBER.search(m)
        genders |= {"m", "f"} if not g or g.group(1) == "e" else {g.group(1)}
        numbers |= {"s", "p"} if not n or n.group(1) == "i" else {n.group(1)}
    return frozenset(genders), frozenset(numbers)


@dataclass
class NounPhrase:
    """A determiner + noun subject or antecedent, with what it tells about agreement."""

    head: Token
    end_index: int
    genders: set[str]
    numbers: set[str]
    complement: bool = False  # "une cinquantaine de chefs": agreement may follow either noun


def _noun_phrase(sentence: list[Token], i: int) -> NounPhrase | None:
    """Read "det [adj] noun [adj] [de noun]" starting at index i, if there is one."""
    if i >= len(sentence) or sentence[i].low not in DETERMINERS_SING | DETERMINERS_PLUR:
        return None
    det = sentence[i].low
    j = i + 1
    # "une nouvelle date": an adjective before the noun ("nouvelle" is also a noun). Not
    # before avoir or être: "a" and "est" are also nouns ("L'entreprise a été rachetée").
    if (
        j + 1 < len(sentence)
        and sentence[j].has(r":A")
        and sentence[j + 1].has(r":N")
        and sentence[j + 1].low not in AVOIR_FORMS | ETRE_3RD
    ):
        j += 1
    if j >= len(sentence) or not sentence[j].has(r":N"):
        return None
    head = sentence[j]
    genders, numbers = _gender_number(head, r":N")
    if det in DETERMINERS_PLUR:
        numbers &= {"p"}
    elif det not in {"leur"}:
        numbers &= {"s"}
    if det in FEMININE_DETERMINERS:
        genders &= {"f"}
    elif det in {"le", "un", "ce", "cet"}:
        genders &= {"m"}
    j += 1
    # Complements "de livraison", "d'achat" do not change the head.
    complement = False
    while j + 1 < len(sentence) and sentence[j].low in {"de", "d'"} and sentence[j + 1].has(":N"):
        j += 2
        complement = True
    if not genders or not numbers:
        return None
    return NounPhrase(head, j, genders, numbers, complement)


def _participle_mismatch(token: Token, phrase: NounPhrase) -> bool:
    if not token.has(r":Q") or token.has(r":Q:e:i") or "_" in token.text:
        return False
    genders, numbers = _gender_number(token, r":Q")
    return not (genders & phrase.genders) or not (numbers & phrase.numbers)


def _agreed_participle(token: Token, phrase: NounPhrase) -> list[str]:
    gender = "f" if phrase.genders == {"f"} else "m"
    number = "p" if phrase.numbers == {"p"} else "s"
    suggestion = engine().functions.suggVerbPpas(token.text, f":{gender}:{number}")
    return [s for s in suggestion.split("|") if s] if suggestion else []


Rule = Callable[[list[Token]], Iterator[Finding]]


def run_rules(text: str, rules: Sequence[Rule]) -> list[Finding]:
    """Every sentence rule over every sentence of an already masked paragraph."""
    found: list[Finding] = []
    for sentence in sentences(tokenize(text)):
        for rule in rules:
            found.extend(rule(sentence))
    return found


GREETINGS = {"bonjour", "bonsoir", "hello", "salut", "merci", "re"}
# Prepositions a noun phrase follows, never a finite verb: "son" right after one is the
# determiner ("avant son arrivée", "depuis son départ"), not "sont".
NOUN_PHRASE_PREPOSITIONS = frozenset(
    {"de", "d'", "à", "en", "pour", "par", "avec", "sans", "sur", "sous", "dans", "entre",
     "vers", "chez", "contre", "avant", "après", "depuis", "dès", "pendant", "durant",
     "malgré", "selon", "envers", "parmi", "jusqu'à"}
)  # fmt: skip


def _subject_start(sentence: list[Token]) -> int:
    """Index where the subject starts, after a greeting and a name ("Bonjour Léa, votre…")."""
    if not sentence or sentence[0].low not in GREETINGS:
        return 0
    k = 1
    while k < len(sentence) and (sentence[k].text[:1].isupper() or "_" in sentence[k].text):
        k += 1
    return k


# ----------------------------------------------------------------------------- -er / -é / -ez

AUXILIARIES = (AVOIR_FORMS - {"a"}) | ETRE_INDICATIVE | {"été"}
# Verbs followed by an infinitive: "je vais vérifier", "vous pouvez nous envoyer".
MODAL_LEMMAS = {
    "pouvoir", "vouloir", "devoir", "aller", "savoir", "falloir", "faire", "laisser",
    "venir", "souhaiter", "aimer", "préférer", "oser", "espérer", "comptez",
}  # fmt: skip
# "merci de vérifier", "afin de", "avant de", "pour", "sans": an infinitive follows.
INFINITIVE_OPENERS = {"pour", "sans"}
INFINITIVE_AFTER_DE = {"merci", "afin", "avant", "besoin", "envie", "oublier", "oubliez"}
GROUP_ADVERBS = ADVERBS_IN_VERB_GROUP | {
    "ne",
    "n'",
    "vraiment",
    "beaucoup",
    "peu",
    "trop",
    "presque",
}


def _skip(sentence: list[Token], k: int, words: set[str]) -> int:
    while k < len(sentence) and sentence[k].low in words:
        k += 1
    return k


def _first_group_infinitive(token: Token) -> bool:
    return token.kind == "word" and token.low.endswith("er") and token.has(r":V1.*:Y")


def _first_group_participle(token: Token) -> bool:
    """ "vérifié", "envoyées": a participle of an -er verb that is not also a noun."""
    return (
        token.kind == "word"
        and re.search(r"é(?:e|s|es)?$", token.low) is not None
        and token.has(r":V1.*:Q")
        and not token.has(r":N")
        and not token.has(_CONJUGATED.pattern)
    )
