"""-er/-é/-ez decided by the words around a first-group verb, where Grammalecte stays quiet.

- "vous" as the subject of its clause, then an infinitive in -er: "Si vous souhaiter annuler"
  → "souhaitez", "Vous penser que…" → "pensez" (Grammalecte reads "vous" as an object there:
  "pour vous aider"; here nothing before "vous" can govern an infinitive);
- a noun phrase, then a transitive verb's infinitive, then its agent ("par") or a
  comparison ("comme"): "un parti créer par…" → "créé", "un serpent vénérer comme un dieu"
  → "vénéré" (a passive participle agreeing with the noun); a verb of perception or
  causation before ("je regarde les gens passer par la porte") keeps the infinitive;
- "tenir" and its object, then an infinitive: "Je vous tiendrai informer" → "informé".

Measured on the tuning part (benchmarks/bench_proofread.py --rules), on injected mistakes
(benchmarks/bench_proofread_synthetic.py --kinds -er/-é/-ez) and for precision on the clean
sentences of both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies import unknown_words
from canned_replies.findings import Finding
from canned_replies.french_rules import (
    _CONJUGATED,
    Token,
    _finding,
)
from canned_replies.french_words import run_rules
from canned_replies.grammalecte_engine import engine, infinitives, morphs
from canned_replies.noun_phrases import phrases_followed, plain

# Words after which "vous" starts a clause as its subject.
_CLAUSE_OPENERS = {
    "si", "s'", "quand", "lorsque", "lorsqu'", "puisque", "puisqu'", "comme", "car", "donc",
    "alors", "et", "mais", "ou", "parce", "dès", "pendant", "tandis", "quoi", ",", "(",
}  # fmt: skip
_ETRE_3S = {"est", "serait", "sera", "était", "fut", "reste", "semble", "demeure"}
# Verbs after which a noun then an infinitive is a valid clause ("voir les gens passer").
_PERCEPTION_CAUSATION = (
    r">(?:voir|regarder|entendre|écouter|sentir|laisser|faire|emmener|envoyer|mener|amener"
    r"|apercevoir|observer|imaginer)/"
)


def _infinitive_er(token: Token) -> bool:
    return plain(token) and token.low.endswith("er") and token.has(r":V1.*:Y")


def _subject_vous(sentence: list[Token], i: int) -> bool:
    """ "vous" at the start of a clause, with no infinitive or verb before it in the sentence
    that could take it as an object ("pour vous aider", "et vous aider à…")."""
    if i == 0:
        return True
    prev = sentence[i - 1].low
    if prev == "que" and i >= 2 and sentence[i - 2].low.endswith("est-ce"):
        return True
    if prev not in _CLAUSE_OPENERS:
        return False
    return not any(
        t.kind == "word" and (t.has(r":V.*:[YQ]") and not t.has(_CONJUGATED.pattern))
        for t in sentence[:i]
    )


def rule_vous_infinitive(sentence: list[Token]) -> Iterator[Finding]:
    """ "Si vous souhaiter annuler" → "souhaitez": the subject "vous" asks for -ez."""
    for i, token in enumerate(sentence[:-1]):
        if token.low != "vous" or not _subject_vous(sentence, i):
            continue
        word = sentence[i + 1]
        if not _infinitive_er(word) or word.has(r":V.*:(?:Ip|E):2p"):
            continue
        after = sentence[i + 2].low if i + 2 < len(sentence) else ""
        if i == 0 and after in _ETRE_3S:
            continue  # "Vous remercier est la moindre des choses": the infinitive is a subject
        yield from vous_ez(word, "vous_infinitif")


# After a passive participle: its agent, a comparison, or a complement of place or time ("un
# médicament utiliser en oncologie" → "utilisé").
_AFTER_PASSIVE = {"par", "comme", "en", "dans", "chez", "depuis", "lors", "avec", "selon"}


def rule_noun_infinitive_agent(sentence: list[Token]) -> Iterator[Finding]:
    """ "un parti politique créer par Jacques Chirac" → "créé": after a noun phrase, an
    infinitive followed by its agent is a passive participle."""
    for i, phrase in phrases_followed(sentence, 2):
        word, nxt = sentence[phrase.end], sentence[phrase.end + 1]
        if nxt.low not in _AFTER_PASSIVE or not _infinitive_er(word) or word.has(r":[NA]"):
            continue
        if not word.has(r":V1_.t"):
            continue  # an intransitive verb has no passive
        if any(t.has(_PERCEPTION_CAUSATION) for t in sentence[:i]):
            continue
        _, genders, numbers = phrase.nouns[-1] if nxt.low == "comme" else phrase.head
        yield from participle_after(
            word, phrase.head[0].text, genders, numbers, "participe_infinitif"
        )


# Determiners that are never object pronouns ("le/la/les/l'" are: "je vais le payer"; "du"
# before an infinitive is "dû": "j'ai du partir").
_ONLY_DETERMINERS = {
    "un", "une", "au", "aux", "des", "ce", "cet", "cette", "ces", "mon", "ton", "son",
    "ma", "ta", "sa", "mes", "tes", "ses", "notre", "votre", "nos", "vos", "leurs", "chaque",
}  # fmt: skip


def rule_determiner_infinitive(sentence: list[Token]) -> Iterator[Finding]:
    """ "le plus grand marcher d'exportation", "un contrat signer" → "marché", "signé": an
    infinitive in -er right after a determiner (and its adjective) is a noun or a participle."""
    for i, token in enumerate(sentence[1:], start=1):
        if not _infinitive_er(token) or token.has(r":[NA]|:V.*:(?:Ip|Iq|Is|If|K|Sp|Sq|Q)"):
            continue
        k = i - 1
        if sentence[k].kind == "word" and sentence[k].only(r":A") and not sentence[k].has(r":N"):
            k -= 1  # "un grand marcher"
        if sentence[k].low not in _ONLY_DETERMINERS:
            continue
        fix = token.text[:-2] + "é"
        if not morphs(fix) or unknown_words.zipf(fix.lower()) < unknown_words.zipf(token.low):
            continue  # "un influencer", "un crier": the -é form must be the common word
        yield _finding(
            token,
            f"Après un déterminant, un nom ou un participe : « {fix} », pas l’infinitif.",
            [fix],
            "determinant_infinitif",
        )


# A complement put first, before an imperative whose comma is missing.
_FRONTED = {
    "pour", "en", "avec", "dans", "sur", "par", "après", "avant", "pendant", "dès", "sans",
    "à", "au", "aux", "de", "du", "des", "d'", "chez", "selon", "si",
}  # fmt: skip


_CLAUSE_START = {",", "(", "et", "puis", "alors", "ensuite", "enfin", "mais", "ou", "donc"}


def _fronted_at_clause_start(sentence: list[Token], k: int) -> bool:
    """A preposition at k opening its clause ("Pour le retour appelez…", "…, dans le bol
    versez…"), or a sentence opened by a complement with no comma yet: an imperative may
    follow. Inside a clause ("lors d'un transfert effectuez par…") the complement is read
    with its noun (proof28: injected -ez slips after "d'", "du", "de" were missed)."""
    if sentence[0].low in _FRONTED and not any(t.kind == "punct" for t in sentence[:k]):
        return True  # "Pour le retour du colis appelez…" (not "En avril, … d'un envoi effectuez")
    if sentence[k].low not in _FRONTED:
        return False
    return k == 0 or sentence[k - 1].low in _CLAUSE_START or sentence[k - 1].kind == "punct"


def _ez_form(token: Token) -> bool:
    """A verb form of "vous", capitalised too (an imperative opening the sentence)."""
    return token.kind == "word" and token.low.endswith("ez") and token.has(r":V.*:(?:Ip|E):2p")


def rule_noun_ez(sentence: list[Token]) -> Iterator[Finding]:
    """ "le prix attribuez à…", "un témoin assistez" → "attribué", "assisté": a form in -ez
    right after a noun phrase, with no "vous" before it, is the participle."""
    for i, phrase in phrases_followed(sentence):
        word = sentence[phrase.end]
        if word.low == "allez" or not (
            plain(word) and word.low.endswith("ez") and word.only(r":V1.*:(?:Ip|E):2p")
        ):
            continue
        if any(t.low in {"vous", "vous-même"} for t in sentence[: phrase.end]):
            continue
        if i > 0 and _fronted_at_clause_start(sentence, i - 1):
            continue  # "Pour le retour appelez le service": an imperative after a complement
        if any(_ez_form(t) for t in sentence[: phrase.end]):
            continue  # "Mélangez dans un bol ajoutez…": the sentence speaks to "vous"
        head, genders, numbers = phrase.nouns[-1]
        yield from participle_after(word, head.text, genders, numbers, "participe_ez")


# Forms of "aller" that take an infinitive ("je vais le faire"), and prepositions before one.
_ALLER = {
    "vais", "vas", "va", "allons", "allez", "vont", "allais", "allait", "allions", "alliez",
    "allaient", "irai", "iras", "ira", "irons", "irez", "iront", "irais", "irait", "irions",
    "iriez", "iraient", "aller", "aille", "ailles", "aillent",
}  # fmt: skip
_BEFORE_INFINITIVE = {"de", "d'", "pour", "sans", "à"}
_OBJECT_PRONOUNS = {
    "le", "la", "les", "l'", "lui", "leur", "me", "m'", "te", "t'", "se", "s'", "nous",
    "vous", "y", "en",
}  # fmt: skip
# After "à", "la"/"l'"/"les"/"le" are articles ("à la dérobée"): only these pronouns.
_ARTICLES = {"le", "la", "les", "l'"}
_PRONOUNS_AFTER_A = _OBJECT_PRONOUNS - _ARTICLES


def rule_pronoun_participle(sentence: list[Token]) -> Iterator[Finding]:
    """ "Je vais le contacté", "Merci de le renvoyé" → "contacter", "renvoyer": after "aller"
    or a preposition, object pronouns are followed by an infinitive, never a participle."""
    for i, token in enumerate(sentence[:-2]):
        if token.low not in _ALLER | _BEFORE_INFINITIVE:
            continue
        allowed = _PRONOUNS_AFTER_A if token.low == "à" else _OBJECT_PRONOUNS
        k = i + 1
        while k < len(sentence) and k <= i + 2 and sentence[k].low in allowed:
            k += 1
        if k == i + 1 or k >= len(sentence):
            continue
        word = sentence[k]
        if not (plain(word) and word.low.endswith(("é", "ée", "és", "ées"))):
            continue
        # After a preposition the participle may be a noun ("pour les initiés", "de l'été");
        # after "aller" + a pronoun only a verb follows ("je vais le traité" → "traiter").
        noun = r":[WGR]" if token.low in _ALLER and word.low != "été" else r":[NWGR]"
        if not word.has(r":V1.*:Q") or word.has(noun + r"|:V.*:(?:Ip|Iq|Is|If|K|Sp|Sq|E)"):
            continue
        article = token.low in _BEFORE_INFINITIVE and sentence[i + 1].low in _ARTICLES
        if article and k + 1 < len(sentence) and sentence[k + 1].has(r":N"):
            continue  # "de la fameuse…": an article and an adjective before a noun
        fixes = infinitives(word.text)
        if fixes:
            yield _finding(
                word,
                f"Après « {token.text} {sentence[i + 1].text} », l’infinitif : « {fixes[0]} ».",
                fixes,
                "pronom_infinitif",
            )


def rule_tenir_participle(sentence: list[Token]) -> Iterator[Finding]:
    """ "Je vous tiendrai informer", "Tenez-moi informer" → "informé": "tenir" takes an
    attribute, never a bare infinitive, so an -er infinitive after it and its pronoun is the
    participle (masculine singular first: the pronoun shows no gender)."""
    for i, token in enumerate(sentence[:-1]):
        verb, _, joined = token.low.partition("-")  # "tenez-moi": the object joined after
        if joined not in {"", "moi", "nous", "le", "la", "les", "lui", "leur"}:
            continue
        if not any(re.search(r">tenir/:V.*:(?:Ip|Iq|If|K|Sp|E)", m) for m in morphs(verb)):
            continue
        if not joined and (i == 0 or sentence[i - 1].low not in _OBJECT_PRONOUNS):
            continue  # "je vous tiens": the object before
        word = sentence[i + 1]
        if plain(word) and word.low.endswith("er") and word.only(r":V1.*:Y"):
            yield from participle_after(word, token.text, {"m"}, {"s"}, "tenir_participe")


RULES = [
    rule_tenir_participle,
    rule_pronoun_participle,
    rule_vous_infinitive,
    rule_noun_infinitive_agent,
    rule_determiner_infinitive,
    rule_noun_ez,
]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)


def _participles(verb: str, genders: set[str], numbers: set[str]) -> list[str]:
    """Grammalecte's past participles of `verb` agreeing with a phrase of those genders and
    numbers (masculine singular unless the phrase is only feminine or only plural)."""
    gender = "f" if genders == {"f"} else "m"
    number = "p" if numbers == {"p"} else "s"
    found = engine().functions.suggVerbPpas(verb, f":{gender}:{number}") or ""
    return [s for s in found.split("|") if s]


def vous_ez(word: Token, rule: str) -> Iterator[Finding]:
    """The -ez form "vous" asks for instead of the infinitive `word`, when it exists."""
    fix = word.text[:-2] + "ez"
    if any(":2p" in m for m in morphs(fix)):
        yield _finding(
            word,
            f"Conjugaison : avec le sujet « vous », « {fix} » (et non l’infinitif).",
            [fix],
            rule,
        )


def participle_after(
    word: Token, head: str, genders: set[str], numbers: set[str], rule: str
) -> Iterator[Finding]:
    """The past participle, agreed with the noun `head`, that the infinitive `word` stands for."""
    fixes = _participles(word.text, genders, numbers)
    if fixes:
        yield _finding(
            word,
            f"Participe passé attendu après « {head} » : « {fixes[0]} ».",
            fixes,
            rule,
        )
