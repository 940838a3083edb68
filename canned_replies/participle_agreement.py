"""Past participles that Grammalecte and context_rules leave: agreement with a subject opened
by "quel" or "aucun", with a subject inverted after a question word, after "avoir" when the
direct object follows, and a form in -ez after "été" ("le colis a été livrez" → "livré").

- "Quelle planète est connu…", "Quel produit est vendue…", "Aucune trace n'a été trouvé" →
  the participle agrees with the subject's noun: the phrase is read as context_rules reads a
  subject opened by an article ("quel" read as "le", "quelle" as "la"…), so the same checks
  apply (the verb's number matches the noun's, a collective may agree with its complement);
- "Où est situé la boutique ?", "Quand sont arrivé les colis ?" → the subject follows the
  participle in a question: it agrees with that noun phrase;
- "La boutique a vendue cet article", "Quelle boutique a vendue cet article ?" → after
  "avoir", a participle agrees only with a direct object placed before it; an object after
  it (a determiner, a number, a noun "avoir" takes bare: "a eue lieu") shows there is none
  before, so it stays masculine singular (participle_avoir does this after a subject
  pronoun). Quiet when "que", an object pronoun
  or a question word may be the object before, and before words of time ("la veille").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from canned_replies.context_rules import rule_subject_participle
from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, DETERMINERS, Token, _finding
from canned_replies.french_words import run_rules
from canned_replies.homophones import _numeral
from canned_replies.noun_phrases import (
    ETRE_PLUR,
    ETRE_SING,
    agreed_forms,
    agrees,
    noun_phrase,
    plain,
)
from canned_replies.participle_avoir import (
    agreed_participle_at,
    masculine_singular,
    quel_phrase_is_not_subject,
)

# A determiner the noun-phrase reader does not know, read as the article of the same gender
# and number.
_AS_ARTICLE = {
    "quel": "le", "quelle": "la", "quels": "les", "quelles": "les", "aucun": "un",
    "aucune": "une",
}  # fmt: skip
_QUESTION_WORDS = {"où", "quand", "comment", "pourquoi", "d'où"}
_ADVERBS = {"bien", "déjà", "pas", "jamais", "plus", "toujours", "vraiment", "enfin",
            "aussi", "encore", "également", "souvent", "finalement", "récemment"}  # fmt: skip
_AVOIR = {"a", "ont", "avait", "avaient", "aura", "auront", "aurait", "auraient", "eut",
          "eurent"}  # fmt: skip
# Words that may stand for a direct object placed before the verb, anywhere before it.
_OBJECT_WORDS = {"que", "qu'", "combien", "lequel", "laquelle", "lesquels", "lesquelles"}
# Object pronouns, read in the chain of pronouns right before "avoir" ("il la lui a
# donnée"); elsewhere "le", "la", "les" are determiners ("La boutique a vendue…").
_DIRECT_PRONOUNS = {"l'", "la", "les", "le", "me", "m'", "te", "t'", "se", "s'", "nous", "vous"}
_PRONOUN_CHAIN = _DIRECT_PRONOUNS | {"lui", "leur", "en", "y", "ne", "n'"}
# Complements of time look like objects: "les pommes qu'il a mangées la veille".
_TIME_NOUNS = {
    "veille", "lendemain", "semaine", "nuit", "journée", "matinée", "soirée", "année", "fois",
    "heure", "minute", "seconde", "mois", "jour", "an", "matin", "soir", "week-end",
    "dernière", "dernier", "prochaine", "prochain", "même", "moitié", "plupart",
}  # fmt: skip


def rule_quel_subject(sentence: list[Token]) -> Iterator[Finding]:
    """ "Quelle planète est connu comme…" → "connue"."""
    if not sentence or sentence[0].low not in _AS_ARTICLE:
        return
    first = sentence[0]
    article = Token(_AS_ARTICLE[first.low], first.start, first.end, "word")
    feminine_plural = first.low == "quelles"
    if feminine_plural:
        return  # "quelles" read as "les": the gender would not be checked
    for finding in rule_subject_participle([article, *sentence[1:]]):
        yield replace(finding, rule="vigie.accord_sujet_quel")


def _possessive_before_vowel(sentence: list[Token], i: int) -> bool:
    """ "mon aide", "son écharpe": a masculine possessive before a feminine noun."""
    following = sentence[i + 1].low if i + 1 < len(sentence) else ""
    return sentence[i].low in {"mon", "ton", "son"} and following[:1] in set("aâeéèêiîoôuûyh")


def rule_inverted_subject(sentence: list[Token]) -> Iterator[Finding]:
    """ "Où est situé la boutique ?" → "située": the subject after the participle."""
    for i, token in enumerate(sentence[:-2]):
        if token.low not in _QUESTION_WORDS or (i > 0 and sentence[i - 1].kind == "word"):
            continue
        verb = sentence[i + 1].low
        if verb not in ETRE_SING | ETRE_PLUR:
            continue
        k = i + 2
        while k < len(sentence) and sentence[k].low in _ADVERBS:
            k += 1
        if k + 1 >= len(sentence):
            continue
        word = sentence[k]
        if not (plain(word) and word.has(r":V.*:Q")) or word.has(_CONJUGATED.pattern):
            continue
        if word.has(r":Q:e:i"):
            continue
        phrase = noun_phrase(sentence, k + 1)
        if phrase is None or _possessive_before_vowel(sentence, k + 1):
            continue
        _, head_g, head_n = phrase.head
        if not ((verb in ETRE_SING and head_n == {"s"}) or (verb in ETRE_PLUR and head_n == {"p"})):
            continue
        if any(agrees(word, g, n) for _, g, n in phrase.nouns):
            continue
        fixes = agreed_forms(word, head_g, head_n)
        if fixes:
            yield _finding(
                word,
                f"Accord avec le sujet « {phrase.head[0].text} », placé après le verbe : "
                "le participe doit s’accorder.",
                fixes,
                "accord_sujet_inverse",
            )


# Nouns "avoir" (and "eu") takes bare, as its object.
_LOCUTION_NOUNS = {"lieu", "besoin", "peur", "envie", "faim", "soif", "raison", "tort", "honte",
                   "droit", "accès", "recours", "confiance", "conscience"}  # fmt: skip


def _object_follows(sentence: list[Token], k: int) -> bool:
    """A direct object right after the participle: a determiner (not of a complement of time),
    a number, or a clause opened by "que"."""
    if k >= len(sentence):
        return False
    word = sentence[k]
    if _numeral(word):
        return True
    if word.low in _LOCUTION_NOUNS:
        return True  # "a eu lieu", "avait eu besoin"
    if word.low in {"que", "qu'"} and not sentence[k - 1].has(r":N"):
        return True  # "il a découverte que…": the clause is the object (not "a vue que")
    if word.text[:1].isupper() and word.kind == "word" and sentence[k - 1].has(r":V"):
        return True  # "Qui a peinte Olympia ?": a name as the object
    if word.has(r":Y") and not word.has(r":A") and not sentence[k - 1].has(r":N"):
        return True  # "il a reconnue avoir…", "a faite apparaître": an infinitive object
    if word.low not in DETERMINERS - {"d'", "au"} | {"des"}:
        return False
    after = sentence[k + 1] if k + 1 < len(sentence) else None
    return after is not None and after.kind == "word" and after.low not in _TIME_NOUNS


def _only_adverb(token: Token) -> bool:
    return token.has(r":W") and not token.has(r":[NAVQGD]")


def _conjunction_que(sentence: list[Token], k: int) -> bool:
    """ "Il est probable que ce blocage a…", "dire que votre avion a…": a "que" after a verb or
    an adjective opens a clause, it stands for no object (after a noun or "ce" it may)."""
    if sentence[k].low not in {"que", "qu'"}:
        return False
    while k > 0 and sentence[k - 1].low in {"et", "ou"}:  # "… que vous rentrez et que…"
        k = next((j for j in range(k - 2, -1, -1) if sentence[j].low in {"que", "qu'"}), 0)
        if k == 0:
            return False
    before = sentence[k - 1] if k else None
    return before is not None and (
        before.has(r":Y") or (before.has(r":[VA]") and not before.has(r":[NGD]"))
    )


def _object_before(sentence: list[Token], i: int) -> bool:
    """Something before "avoir" at i that may be its direct object: a relative or question
    word ("la lettre qu'il a reçue", "Quelles lettres a reçues le client ?") or an object
    pronoun in the chain right before the verb ("il nous a aidées")."""
    for k in range(i - 1, -1, -1):
        if sentence[k].low in _OBJECT_WORDS and not _conjunction_que(sentence, k):
            return True
    if quel_phrase_is_not_subject(sentence[:i], sentence[i]):
        return True  # "Quelles lettres a reçues le client ?"
    j = i - 1
    while j >= 0 and sentence[j].low in _PRONOUN_CHAIN:
        if sentence[j].low in _DIRECT_PRONOUNS:
            return True
        j -= 1
    return False


def rule_participle_before_object(sentence: list[Token]) -> Iterator[Finding]:
    """ "La boutique a vendue cet article" → "vendu"."""
    for i, token in enumerate(sentence[1:-2], start=1):
        if token.text not in _AVOIR or sentence[i - 1].low in {"y", "n'", "ne"}:
            continue
        if _object_before(sentence, i):
            continue
        # a noun too ("vue", "prise") is read as the participle only because an object
        # follows ("a vue sur" is left)
        k = agreed_participle_at(sentence, i + 1, _ADVERBS, noun_too=True)
        if k is None:
            continue
        after = k + 1
        while after < len(sentence) and _only_adverb(sentence[after]):
            after += 1  # "a réduite significativement le risque"
        if not _object_follows(sentence, after):
            continue
        participle = sentence[k]
        fixes = masculine_singular(participle)
        if fixes:
            yield _finding(
                participle,
                "Accord : après « avoir », le participe ne s’accorde pas avec le complément "
                f"d’objet placé après lui ; ici « {fixes[0]} ».",
                fixes,
                "participe_avoir_objet_apres",
            )


def rule_ete_ez(sentence: list[Token]) -> Iterator[Finding]:
    """ "le colis a été livrez" → "livré": after "été", a participle."""
    for i, token in enumerate(sentence[1:], start=1):
        if sentence[i - 1].low != "été" or not token.low.endswith("ez") or not token.text.islower():
            continue
        if not token.has(r":V1.*:2p") or token.has(r":[NA]"):
            continue
        fixes = masculine_singular(token)
        if fixes:
            yield _finding(
                token,
                "Après « été », le participe passé (-é), pas la forme en -ez.",
                fixes,
                "participe_apres_ete",
            )


RULES = [rule_quel_subject, rule_inverted_subject, rule_participle_before_object, rule_ete_ez]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
