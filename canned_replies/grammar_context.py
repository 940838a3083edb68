"""Contexts where a Grammalecte agreement finding cannot be trusted to block a send.

Grammalecte checks an adjective against the noun right before it. In long noun phrases the
adjective often belongs to the head noun before a complement: "les patients à risque élevé",
"des valeurs de calcémie inférieures", "le procureur de la République de l'Essonne chargé",
"Recours en cassation rejeté". On the tuning part of the development set (medical leaflets,
Wikipedia, questions), the noun-phrase agreement rules over two or three words blocked 16
clean sentences for 3 annotated mistakes caught; most of those alarms were this pattern.
When the adjective agrees with a noun of the phrase before a preposition, the finding is
advice (shown, never blocks); when nothing before it can carry it ("les positions française",
"une chasse aux sorcières lancé"), it still blocks.
"""

from __future__ import annotations

import re

from canned_replies.french_words import GREETINGS
from canned_replies.grammalecte_engine import engine, morphs
from canned_replies.unknown_words import distance

PREPOSITIONS = frozenset(
    {"à", "de", "d'", "du", "des", "en", "aux", "au", "par", "pour", "sans", "sur", "contre",
     "avec", "chez", "entre", "dans", "sous"}
)  # fmt: skip
DETERMINERS = frozenset(
    {"le", "la", "l'", "les", "un", "une", "ce", "cet", "cette", "ces", "mon", "ma", "mes",
     "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos", "leur", "leurs",
     "plusieurs", "quelques", "certains", "certaines", "chaque", "tout", "toute", "tous",
     "toutes"}
)  # fmt: skip
_TOKEN = re.compile(r"[^\W\d_]+['’](?=\w)|[^\W\d_]+(?:-[^\W\d_]+)*|\d+(?:[.,]\d+)?|[^\w\s]")
# A tag ends at ":", "/", the end, or a "#…"/";…" suffix (":N:A:f:s#G#L": "française").
_GENDER = re.compile(r":([mfe])(?=[:/#;]|$)")
_NUMBER = re.compile(r":([spi])(?=[:/#;]|$)")
_PLURAL_DETERMINERS = frozenset(
    {"les", "des", "aux", "ces", "mes", "tes", "ses", "nos", "vos", "leurs", "plusieurs",
     "quelques", "certains", "certaines", "tous", "toutes"}
)  # fmt: skip
_SINGULAR_DETERMINERS = DETERMINERS - _PLURAL_DETERMINERS - {"leur"} | {"du", "au"}
# How far back to look for the head noun (tokens), and how many complements to cross.
_WINDOW = 14
_HOPS = 3


def _forms(word: str, classes: str) -> set[tuple[str, str]]:
    """(gender, number) pairs of a word read as one of these classes ("N", "AQ")."""
    found = set()
    for morph in morphs(word.replace("’", "'")):
        tags = morph.split("/", 1)[-1]
        if not any(f":{c}" in tags for c in classes):
            continue
        gender, number = _GENDER.search(tags), _NUMBER.search(tags)
        found.add((gender.group(1) if gender else "e", number.group(1) if number else "i"))
    return found


def _agree(a: set[tuple[str, str]], b: set[tuple[str, str]]) -> bool:
    return any(
        (ga == gb or "e" in (ga, gb)) and (na == nb or "i" in (na, nb))
        for ga, na in a
        for gb, nb in b
    )


def agrees_with_head(text: str, start: int, end: int) -> bool:
    """True when the adjective at text[start:end] agrees with a noun of its phrase before a
    preposition ("les patients à risque élevé", "serpent à plumes vénéré"), or follows a
    closing quotation mark or bracket."""
    word = text[start:end]
    before = text[text.rfind("\n", 0, start) + 1 : start]
    closing = re.search(r"[)\]\"»”]\s*$", before)
    if closing is not None and (closing.group()[0] != '"' or before.count('"') % 2 == 0):
        # After a closing quotation mark or bracket ("les parjures" chère, "sources [4] payé"):
        # the adjective need not belong to what the quotation or the reference ends with.
        return True
    own = _forms(word, "AQ")
    if not own or " " in word.strip():
        return False
    tokens = _TOKEN.findall(text[max(0, start - 160) : start])[-_WINDOW:]
    low = [t.lower().replace("’", "'") for t in tokens]
    if not tokens or low[-1] in DETERMINERS or not _forms(tokens[-1], "NM"):
        return False  # the word before is not a noun ("la premier", "le première")
    nearest = _forms(tokens[-1], "N")
    if len(low) > 1 and low[-2] in _PLURAL_DETERMINERS | _SINGULAR_DETERMINERS:
        # "des colis abîmé": the determiner tells the number of a noun that has both.
        number = "p" if low[-2] in _PLURAL_DETERMINERS else "s"
        nearest = {(g, number if n == "i" else n) for g, n in nearest}
    i = len(tokens) - 2
    hops = 0
    while i >= 0 and hops < _HOPS:
        # Cross the complement's determiner and adjectives ("de la Quatrième République")
        # back to its preposition.
        skipped = 0
        while i >= 0 and skipped < 3 and (low[i] in DETERMINERS or _forms(tokens[i], "NAQ")):
            i -= 1
            skipped += 1
        if i < 0 or low[i] not in PREPOSITIONS:
            return False
        if hops == 0 and _agree(own, nearest):
            return True  # "à risque élevé": it agrees with the complement itself
        hops += 1
        i -= 1
        # The noun (or nouns, with their adjectives, commas, "et") the complement belongs to:
        # a noun phrase, so what comes before it is a determiner, a preposition, a number,
        # punctuation or the start ("reçu des colis abîmé": "reçu" is the verb's participle;
        # "Merci pour vos réponses rapide": "merci" is not a head).
        agreeing = False
        while (
            i >= 0
            and low[i] not in DETERMINERS
            and (low[i] in {",", "et"} or _forms(tokens[i], "NAQ"))
        ):
            if low[i] not in {",", "et"} and _agree(own, _forms(tokens[i], "N")):
                agreeing = agreeing or low[i] not in GREETINGS
            i -= 1
        if agreeing:
            return (
                i < 0 or low[i] in DETERMINERS or low[i] in PREPOSITIONS or not low[i][:1].isalpha()
            )
    return False


# Nouns naming the people a service serves or works with, which customer-service French sets
# after another noun without a preposition and without agreeing: "la relation client",
# "l'expérience utilisateur", "la satisfaction usager", "une offre partenaire". Grammalecte
# reads them as adjectives ("cliente"). Nationalities and true adjectives are not here: "une
# politique français" still blocks.
APPOSED_ROLES = frozenset(
    {"client", "clients", "usager", "usagers", "utilisateur", "utilisateurs", "patient",
     "patients", "voyageur", "voyageurs", "adhérent", "adhérents", "abonné", "abonnés",
     "consommateur", "consommateurs", "collaborateur", "collaborateurs", "fournisseur",
     "fournisseurs", "visiteur", "visiteurs"}
)  # fmt: skip


def apposed_role(text: str, start: int, end: int) -> bool:
    """True when the word at text[start:end] is a role noun set right after a noun ("la
    relation client"): an apposition, not an adjective to agree."""
    if text[start:end].lower() not in APPOSED_ROLES:
        return False
    tokens = _TOKEN.findall(text[max(0, start - 60) : start])
    return bool(tokens) and bool(_forms(tokens[-1], "N")) and tokens[-1].lower() not in DETERMINERS


_FEMININE_DETERMINERS = frozenset({"la", "une", "cette", "ma", "ta", "sa"})


def feminine_title(text: str, start: int, end: int, suggestions: list[str]) -> bool:
    """True when a masculine title after a feminine determiner is the epicene use of the title
    ("la professeur", "la chef", "une poète"): French accepts it for titles whose feminine
    only adds a letter or "-esse" ("professeure", "cheffe", "poétesse"). Adjectives ("une
    vrai", "la premier"), nouns that are also adjectives ("la maître"), feminines of another
    form ("la chanteur" → "chanteuse", "la vendeur") and a determiner on a noun that has no
    feminine ("la colis") stay mistakes."""
    word = text[start:end].lower()
    if not _forms(word, "N") or _forms(word, "A") or not suggestions:
        return False  # a noun only: "une vrai salaud" is an adjective's slip
    before = _TOKEN.findall(text[max(0, start - 20) : start])
    if not before or before[-1].lower() not in _FEMININE_DETERMINERS:
        return False
    after = _TOKEN.findall(text[end : end + 30])
    if after and _forms(after[0], "N") and not _forms(after[0], "AV") and after[0].islower():
        return False  # an adjective before its noun: "la premier option" → "première"
    plain = _plain(word)
    return any(
        _plain(s.lower()) in {plain + "e", plain + "fe", plain + "sse", plain + "esse"}
        for s in suggestions
    )


def _plain(word: str) -> str:
    return word.translate(str.maketrans("éèêëîïôûç", "eeeeiiouc"))


def verb_noun_compound(text: str, start: int, end: int, suggestions: list[str]) -> bool:
    """True for a verb + noun compound keeping its plural noun in the singular ("le
    vide-greniers", as "un porte-clés", "un compte-gouttes"): both spellings are in use;
    the dictionary knows only some ("vide-grenier" only)."""
    word = text[start:end]
    first, _, rest = word.partition("-")
    if not rest or word[-1:] not in ("s", "x") or word[:-1] not in suggestions:
        return False
    return any(":V" in m and ":3s" in m for m in morphs(first.lower()))


def head_agreement_first(text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    """An adjective after "noun + preposition + noun" that agrees with neither: Grammalecte
    offers the complement's agreement ("une chasse aux sorcières lancé" → "lancées"); the
    head's form comes first when fewer letters from what was written ("lancée": a slip of
    one letter is likelier than of two)."""
    word = text[start:end]
    if not suggestions or not _forms(word, "AQ") or " " in word.strip():
        return suggestions
    tokens = _TOKEN.findall(text[max(0, start - 120) : start])[-_WINDOW:]
    low = [t.lower().replace("’", "'") for t in tokens]
    i = len(tokens) - 1
    skipped = 0
    while i >= 0 and skipped < 3 and (low[i] in DETERMINERS or _forms(tokens[i], "NAQ")):
        i -= 1
        skipped += 1
    if i < 1 or skipped == 0 or low[i] not in PREPOSITIONS - {"des", "du"}:
        return suggestions
    i -= 1
    if low[i] in DETERMINERS or not _forms(tokens[i], "N"):
        return suggestions
    head = _forms(tokens[i], "N")
    if i > 0 and low[i - 1] in _PLURAL_DETERMINERS | _SINGULAR_DETERMINERS:
        number = "p" if low[i - 1] in _PLURAL_DETERMINERS else "s"
        head = {(g, number if n == "i" else n) for g, n in head}
    functions = engine().functions
    forms = {
        form
        for name in ("suggMasSing", "suggMasPlur", "suggFemSing", "suggFemPlur")
        for form in (getattr(functions, name)(word) or "").split("|")
        if form and form != word and _agree(_forms(form, "AQ"), head)
    }
    if not forms:
        return suggestions
    best = min(forms, key=lambda f: (distance(word, f), f))
    if distance(word, best) >= distance(word, suggestions[0]):
        return suggestions
    return [best, *[s for s in suggestions if s != best]]
