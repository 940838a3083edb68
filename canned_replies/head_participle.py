"""The participle after "être" agrees with the subject's head noun, read past the adjectives
after the head, complements in any preposition and a modal before "être" (issue 19, step 40):
"Une hausse importante du prix des billets a été constaté" → "constatée", "Une erreur dans le
calcul des frais a été corrigé" → "corrigée", "La dose du matin doit être pris à jeun" →
"prise".

context_rules.rule_subject_participle reads a subject whose words after the head are plain
adjectives and "de" complements, long_subject reads one whose complement opens right after the
head in "de"; both stop at an adjective that is also a noun ("importante", "disponible"), at
"dans", "sur", "pour"…, and neither reads "doit être", "peut être", "va être". The head is the
noun after the determiner that opens the clause (the sentence, or after an opening phrase and
its comma); after it, in order:
- adjectives or participles that agree with the head (an adverb of degree before one);
- complements, each opened by a preposition, holding nouns, names, numbers, adjectives and
  further prepositions; "et" only before another complement ("des prix et des taxes").
Then "ne", a form of "être" ("a été" read as "est"), or a modal and "être" ("doit", "peut",
"pourra", "va", "doivent"…), whose number must be the head's; then the participle (adverbs
between). The participle must agree with the head: a participle that does not is the slip.

Quiet: when the head is a collective or a quantity ("une partie des colis a été livrée",
"le nombre de plaintes"), when a word after the head is no adjective agreeing with it, no
preposition and no complement word (a finite verb, a pronoun, "qui", "que", a comma: another
clause may open there), when "et" starts a second subject ("le prix et la date"), and when the
participle agrees with the head. An adjective after the head that disagrees with it may be a
noun in apposition or the start of something else: not read.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import (
    COLLECTIVE_NOUNS,
    DETERMINERS_PLUR,
    DETERMINERS_SING,
    Token,
    _finding,
    run_rules,
)
from canned_replies.long_subject import (
    _AVOIR,
    _complement_word,
    _etre_at,
    participle_disagreement,
)
from canned_replies.noun_phrases import (
    ETRE_PLUR,
    agreed_forms,
    agrees,
    noun_at,
    participle_after_etre,
    plain,
    skip_adjective_before_noun,
    subject_starts,
)
from canned_replies.subject_verb import QUANTITY_HEADS

_RULE = "accord_sujet_tete"
# Prepositions that open a complement of the head noun.
_PREPOSITIONS = {
    "de", "d'", "du", "des", "à", "au", "aux", "en", "sur", "pour", "par", "avec", "sans",
    "dans", "chez", "contre", "entre", "sous", "envers", "auprès", "concernant", "versus",
    "pendant", "durant", "depuis", "selon", "lors", "via", "parmi", "vers",
}  # fmt: skip
# Determiners the noun reader does not know, read as the article of the same gender and number.
_AS_ARTICLE = {
    "aucun": "un", "aucune": "une", "chaque": "votre", "quel": "un", "quelle": "une",
    "quels": "les", "nul": "un", "nulle": "une",
}  # fmt: skip
# Heads whose participle may agree with the complement instead ("une proportion des patients
# ont été traités").
_COLLECTIVES = COLLECTIVE_NOUNS | QUANTITY_HEADS | {"proportion", "fraction", "pourcentage"}
_COLLECTIVES |= {"huitaine", "quinzaine", "soixantaine"}  # approximate numbers, as "dizaine"
_DEGREE = {"très", "plus", "moins", "si", "trop", "aussi", "bien", "assez", "peu", "tout"}
# A modal before "être", with the number it gives the subject.
_MODALS_SING = {
    "doit", "devra", "devrait", "devait", "peut", "pourra", "pourrait", "pouvait", "va",
    "allait", "semble",
}  # fmt: skip
_MODALS_PLUR = {
    "doivent", "devront", "devraient", "devaient", "peuvent", "pourront", "pourraient",
    "pouvaient", "vont", "allaient", "semblent",
}  # fmt: skip
# Adverbs between the auxiliary or the modal and "été"/"être" ("n'a pas encore été").
_BETWEEN = {"pas", "plus", "jamais", "donc", "bien", "déjà", "encore", "toujours", "également",
            "aussi", "enfin", "finalement", "récemment", "souvent", "ainsi"}  # fmt: skip
_QUESTION_WORDS = {"où", "quand", "comment", "pourquoi", "d'où"}
_QUESTION_PREPOSITIONS = {"de", "en", "à", "par", "avec", "pour", "depuis", "jusqu'à", "dans"}
_MOST_WORDS = 16  # a subject longer than this is not read
_VOWELS = set("aâeéèêiîoôuûyh")


def _agreeing_adjective(token: Token, genders: set[str], numbers: set[str]) -> bool:
    """An adjective or participle after the head that agrees with it ("importante")."""
    return (
        plain(token)
        and token.has(r":[AQ]")
        and not token.has(r":[GRWDYBCO]")
        and agrees(token, genders, numbers)
    )


def _verb_group(sentence: list[Token], k: int) -> tuple[bool, int] | None:
    """(plural, index after "être") for "être", "a été" or a modal and "être" at k."""
    while k < len(sentence) and sentence[k].low in {"ne", "n'"}:
        k += 1
    if k >= len(sentence):
        return None
    etre = _etre_at(sentence, k)
    if etre is not None:
        return etre[0] in ETRE_PLUR, etre[1]
    verb = sentence[k].low
    if verb not in _MODALS_SING | _MODALS_PLUR | set(_AVOIR):
        return None
    j = k + 1
    while j < len(sentence) and sentence[j].low in _BETWEEN:
        j += 1
    if verb in _AVOIR:  # "n'a pas été"
        if j < len(sentence) and sentence[j].low == "été":
            return _AVOIR[verb] in ETRE_PLUR, j + 1
        return None
    if j < len(sentence) and sentence[j].low == "être":
        return verb in _MODALS_PLUR, j + 1
    return None


def _determiner(sentence: list[Token], i: int) -> str:
    """The determiner at i as the noun reader knows it: "aucune" as "une"; "mon", "ton",
    "son" before a vowel as "votre" ("son écharpe": the noun tells the gender)."""
    low = sentence[i].low
    following = sentence[i + 1].low if i + 1 < len(sentence) else ""
    if low in {"mon", "ton", "son"} and following[:1] in _VOWELS:
        return "votre"
    return _AS_ARTICLE.get(low, low)


def _in_complement(token: Token) -> bool:
    """A word a complement may hold: a noun, an adjective, a name, a number, a determiner, an
    elided article, a percent sign, a word the dictionary lacks (a term: "créatininémie")."""
    if token.kind == "elided":
        return token.low in {"l'", "d'"}
    if token.kind != "word":
        return token.text in {"%", "°"}
    return _complement_word(token) or (not token.morphs and token.text.isalpha())


def _subject(
    sentence: list[Token], start: int
) -> tuple[Token, set[str], set[str], bool, int, bool] | None:
    """(head, its genders, its numbers, whether the verb group is plural, index after its
    "être", whether a complement holds "et" before a determiner) for the subject at start."""
    if start >= len(sentence):
        return None
    det = _determiner(sentence, start)
    if det not in DETERMINERS_SING | DETERMINERS_PLUR:
        return None
    j = skip_adjective_before_noun(sentence, start + 1, det)
    found = noun_at(sentence, j, det)
    if found is None:
        return None
    head, genders, numbers = found
    if head.low in _COLLECTIVES:
        return None
    k = j + 1
    while k < len(sentence) and sentence[k].low in _DEGREE | {"particulièrement"}:
        if k + 1 < len(sentence) and _agreeing_adjective(sentence[k + 1], genders, numbers):
            k += 2
        else:
            return None
    while k < len(sentence) and _agreeing_adjective(sentence[k], genders, numbers):
        k += 1
        if k < len(sentence) and sentence[k].low in _DEGREE:
            k += 1
    complement = joined = False
    while k < len(sentence) and k - j <= _MOST_WORDS:
        group = _verb_group(sentence, k)
        if group is not None:
            return head, genders, numbers, *group, joined
        low = sentence[k].low
        if low in _PREPOSITIONS:
            complement = True
        elif low == "et":
            if not complement:
                return None  # "le prix et la date": a second subject
            after = sentence[k + 1].low if k + 1 < len(sentence) else ""
            joined = joined or after not in _PREPOSITIONS
        elif not complement or not _in_complement(sentence[k]):
            return None
        k += 1
    return None


def rule_head_participle(sentence: list[Token]) -> Iterator[Finding]:
    """ "Une hausse importante du prix a été constaté" → "constatée"."""
    for start in subject_starts(sentence):
        subject = _subject(sentence, start)
        if subject is None:
            continue
        head, genders, numbers, plural, k, joined = subject
        if joined and plural:
            continue  # "la notice du produit et la garantie sont…": maybe two subjects
        finding = participle_disagreement(sentence, k, plural, head, genders, numbers, _RULE)
        if finding is not None:
            yield finding


def _question_verb(sentence: list[Token], i: int) -> bool:
    """The word at i closes a question's opening and the verb follows: "où", "quand",
    "comment" at the clause's start, "de quoi", or the noun of "en quelle année", "de quel
    matériau"."""
    token, before = sentence[i], sentence[i - 1].low if i else ""
    if token.low in _QUESTION_WORDS:
        return i == 0 or sentence[i - 1].kind != "word" or before in _QUESTION_PREPOSITIONS
    if token.low == "quoi":
        return before in _QUESTION_PREPOSITIONS
    return before in {"quel", "quelle", "quels", "quelles"} and token.has(r":N")


def rule_inverted_head(sentence: list[Token]) -> Iterator[Finding]:
    """ "Quand a été livré la commande de ma voisine ?" → "livrée": the participle of an
    inverted question agrees with the head of the subject after it."""
    for i in range(len(sentence) - 3):
        if not _question_verb(sentence, i):
            continue
        group = _verb_group(sentence, i + 1)
        if group is None or sentence[i + 1].low in _MODALS_SING | _MODALS_PLUR:
            continue
        plural, k = group
        # right after a question word "est" is the verb: "fait", "dit" are its participles
        word = participle_after_etre(sentence, k, r"(?!)")
        if word is None:
            continue
        j = sentence.index(word, k) + 1
        if j >= len(sentence) or sentence[j].low not in DETERMINERS_SING | DETERMINERS_PLUR:
            continue
        det = _determiner(sentence, j)
        found = noun_at(sentence, skip_adjective_before_noun(sentence, j + 1, det), det)
        if found is None or found[0].low in _COLLECTIVES:
            continue
        head, genders, numbers = found
        if numbers != ({"p"} if plural else {"s"}) or agrees(word, genders, numbers):
            continue
        fixes = agreed_forms(word, genders, numbers)
        if fixes:
            yield _finding(
                word,
                f"Accord avec le sujet « {head.text} », placé après le verbe : "
                "le participe doit s’accorder.",
                fixes,
                _RULE,
            )


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, [rule_head_participle, rule_inverted_head])
