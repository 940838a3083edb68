"""An adjective or participle after a noun and its complement that agrees with none of their
nouns (issue 19, agreement): "Effets indésirables post-commercialisation rapportées" →
"rapportés", "une boîte de bonbons acidulé" → "acidulés".

Grammalecte reads the adjective right after one noun; past a complement ("de", "du", "des",
a bare noun in apposition) it leaves it, since it may describe either noun. When it fits
neither — by gender or number against every noun of the group — it is a slip; the fix is the
form of the nearest noun opening a determined phrase, else of the group's first noun. An
unknown compound is read by its last part ("post-commercialisation").

Quiet when the group is coordinated ("un homme et une femme âgés"), when a word of the
group is unknown (it may be the noun agreed with), when the word is also a noun or a
conjugated verb ("la carte de fidélité client", "satisfait") other than a nationality
("des lots de diamants africain" → "africains"), comes before a noun ("un
faible taux") or "et"/"ou" ("les cuisines française et anglaise"), follows an adverb ("la
plus élevée") or a verb ("donne droit"), is a participle after an auxiliary ("ont une
nouvelle fois demandé"), or agrees with a noun or pronoun before the group in its clause (a
detached attribute of the subject: "Ils sont sortis de la réunion du matin satisfaits").
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import Token, _gender_number, run_rules
from canned_replies.grammalecte_engine import morphs
from canned_replies.noun_phrases import adjective, agreed_forms, agrees
from canned_replies.subject_pronoun import SUBJECT_AGREEMENT

RULE = "accord_adjectif_complement"
MESSAGE = "Accord : « {word} » ne s’accorde avec aucun nom du groupe (« {noun} »…)."
_LINKS = frozenset({"de", "d'", "du", "des", "à", "au", "aux", "en", "pour", "sur"})
_DETERMINED_AFTER = frozenset({"de", "d'", "du", "des", "au", "aux", "l'", "le", "la", "les"})
_COORDINATION = frozenset({"et", "ou", "ni"})
_AUXILIARY = r"^>(?:avoir|être)/:V"
_FINITE = r":V[^/]*:(?:Ip|Iq|Is|If|K|Sp|Sq)"
_MOST_BACK = 9  # words of the group read before the adjective
# Subject pronouns and the agreement they give ("on", "vous": either).
_SUBJECTS = {**SUBJECT_AGREEMENT, "on": ({"m", "f"}, {"s", "p"}), "vous": ({"m", "f"}, {"s", "p"})}


def _noun_features(token: Token) -> tuple[set[str], set[str]] | None:
    """Gender and number of a noun, a hyphenated compound read by its last part
    ("post-commercialisation"); None for a word that is no noun."""
    if token.has(r":[DR]"):
        return None  # "la" (a note), "des", "sous": determiners and prepositions first
    if token.has(r":N"):
        return _gender_number(token, r":N")
    if "-" in token.text and not token.morphs:
        last = token.text.rsplit("-", 1)[1]
        found = [m for m in morphs(last) if ":N" in m]
        if found:
            return _gender_number(Token(last, 0, len(last), "word"), r":N")
    return None


def _group(sentence: list[Token], i: int) -> tuple[list[tuple[Token, bool]], int] | None:
    """The nouns of the group before index i (each with whether a determiner or the group's
    start opens it), nearest first, and the group's first index; None if it cannot be read."""
    nouns: list[tuple[Token, bool]] = []
    j = i - 1
    while j >= 0 and i - j <= _MOST_BACK:
        token = sentence[j]
        if token.kind == "punct" or token.low in _COORDINATION or token.has(_AUXILIARY):
            break  # "cette fille est": a verb ends the group
        features = _noun_features(token) if token.kind == "word" else None
        if features is not None:
            opened = (
                j == 0 or sentence[j - 1].low in _DETERMINED_AFTER or sentence[j - 1].has(r":D")
            )
            nouns.append((token, opened))
        elif token.kind == "word" and not token.morphs:
            return None  # an unknown word may be the noun agreed with
        elif token.low == "l'" or token.has(r":D"):
            if token.low not in _LINKS and (j == 0 or sentence[j - 1].low not in _LINKS):
                j -= 1
                break  # a determiner after no "de": the group opens here
        elif not (token.low in _LINKS or _adjective(token) or token.has(r":A")):
            break
        j -= 1
    start = j + 1
    if j >= 0 and sentence[j].low in _COORDINATION:
        return None
    if len(nouns) < 2:
        return None
    return nouns, start


def _adjective(token: Token) -> bool:
    """An adjective or participle (noun_phrases.adjective), or an adjective that is also a
    noun of the same form ("africain", "public", "française")."""
    return adjective(token) or (
        token.kind == "word" and token.only(r":N:A") and not token.has(r":[GRWDV]")
    )


def _gentile(token: Token) -> bool:
    """A nationality or an inhabitant's name, adjective and noun of one form ("africain",
    "belge"; the lexicon's "#G"): after a noun group it describes one of its nouns."""
    return bool(token.morphs) and all(":N:A" in m and "#G" in m for m in token.morphs)


def _agrees_before(sentence: list[Token], start: int, word: Token) -> bool:
    """Whether a subject pronoun or a noun before the group, in its clause (since the last
    punctuation), agrees with the word."""
    clause = start
    while clause > 0 and sentence[clause - 1].kind != "punct":
        clause -= 1
    for token in sentence[clause:start]:
        if token.low in _SUBJECTS:
            genders, numbers = _SUBJECTS[token.low]
            if agrees(word, genders, numbers):
                return True
        elif (
            token.kind == "word"
            and token.has(r":N")
            and agrees(word, *_gender_number(token, r":N"))
        ):
            return True
    return False


def rule_adjective_past_complement(sentence: list[Token]) -> Iterator[Finding]:
    for i in range(1, len(sentence)):
        word = sentence[i]
        if word.kind != "word" or not word.text.islower():
            continue
        if not (adjective(word) or _gentile(word)):
            # not a word that is also a noun of the same form ("la carte de fidélité client"),
            # but a nationality ("des diamants de la région africain")
            continue
        after = sentence[i + 1] if i + 1 < len(sentence) else None
        before_noun = after is not None and bool(_noun_features(after)) and not after.has(_FINITE)
        if after is not None and (after.low in _COORDINATION or before_noun):
            continue  # "française et anglaise"; "un faible taux": the next noun's
        if word.has(r":Q") and any(t.has(_AUXILIARY) for t in sentence[:i]):
            continue  # "ont une nouvelle fois demandé": a compound tense's participle
        before = sentence[i - 1]
        if before.kind != "word" or before.has(r":W"):
            continue  # "la plus élevée": the adverb's article gives the agreement
        if _noun_features(before) is None and not _adjective(before):
            continue
        if before.has(_FINITE):
            continue  # "l'offre donne droit": a verb's complement, not an adjective
        found = _group(sentence, i)
        if found is None:
            continue
        nouns, start = found
        features = [_noun_features(noun) for noun, _ in nouns]
        if any(f is None or agrees(word, *f) for f in features):
            continue
        if _agrees_before(sentence, start, word):
            continue
        chosen = next((k for k, (_, opened) in enumerate(nouns) if opened), len(nouns) - 1)
        genders, numbers = features[chosen] or ({"m", "f"}, {"s", "p"})
        forms = agreed_forms(word, genders, numbers)
        if not forms:
            continue
        yield Finding(
            word.start,
            word.end,
            MESSAGE.format(word=word.text, noun=nouns[chosen][0].text),
            forms[:3],
            f"vigie.{RULE}",
            "grammar",
        )


def check(text: str) -> list[Finding]:
    """Blocking findings on a masked paragraph."""
    return run_rules(text, (rule_adjective_past_complement,))
