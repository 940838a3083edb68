"""Agreement and homophones decided by a noun phrase or the words around them, from
Grammalecte's morphology (the phrases themselves are read in noun_phrases.py).

- a noun then an adjective or participle that agrees with no noun of its phrase
  ("de commissions installés" → "installées", "des banques française" is Grammalecte's);
- a subject noun phrase with complements ("Le montant des factures", "la commande de Paul"),
  at the start of a sentence or after an opening phrase and its comma, and the participle
  after "est/sont/fut/a été…" that agrees neither with it nor with a complement when the head
  is collective ("Le montant des fausses factures est estimée" → "estimé");
- ces/ses/c'est/s'est: "ses jours-ci" → "ces", "ces propres enfants" → "ses", "ces pas
  grave"/"ses vrai" → "c'est", "il ses trompé" → "s'est";
- a subject phrase then "et"/"à" where the verb belongs, "leur" before a plural noun, "est"
  between two coordinated names.

Each rule stays quiet when one reading is valid French; measured on the tuning part
(benchmarks/bench_proofread.py --rules) and on injected mistakes
(benchmarks/bench_proofread_synthetic.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import (
    _CONJUGATED,
    AUXILIARIES,
    COLLECTIVE_NOUNS,
    DETERMINERS_PLUR,
    DETERMINERS_SING,
    Token,
    _finding,
    _same_case,
    sentences,
    tokenize,
)
from canned_replies.french_words import number_or_code
from canned_replies.noun_phrases import (
    ETRE_PLUR,
    ETRE_SING,
    adjective,
    agreed_forms,
    agrees,
    noun_phrase,
    participle_after_etre,
    plain,
    subject_starts,
)

# ----------------------------------------------------------------------------- rules


def rule_noun_adjective(sentence: list[Token]) -> Iterator[Finding]:
    """An adjective or participle right after a noun agrees with a noun of its phrase."""
    for i, token in enumerate(sentence):
        if token.low not in DETERMINERS_SING | DETERMINERS_PLUR:
            continue
        prev = sentence[i - 1] if i > 0 else None
        if prev is not None and (
            prev.low in {"de", "d'", "du", "des", "et", "ou", "ni"}
            # "le procès des HLM de Paris consacré…": the phrase may depend on a noun before.
            or (prev.has(r":[NA]") and not prev.has(r":[RGWDC]"))
            # "ont une nouvelle fois demandé", "l'avoir aidée", "Tu l'a payée".
            or prev.low in AUXILIARIES | {"a"}
        ):
            continue
        phrase = noun_phrase(sentence, i)
        if phrase is None:
            continue
        # A capital opening the sentence is the determiner ("Les mesures …"): the pronoun
        # needs its subject before it.
        opening = i == 0 and token.text[:1].isupper()
        if (
            token.low in {"l'", "le", "la", "les"}
            and not opening
            and phrase.head[0].has(r":V.*:(?:Y|Ip|Iq|Is|If|K|Sp|Sq)")
        ):
            continue  # "l'" may be a pronoun: "l'a payée", "l'avoir aidée"
        # Each adjective right after a noun of the phrase.
        head_index = sentence.index(phrase.head[0], i)
        for k in range(head_index + 1, phrase.end):
            word = sentence[k]
            if not adjective(word) or not sentence[k - 1].has(r":N"):
                continue
            if sentence[k - 1].low in {"plus", "moins"}:
                continue  # "l'une des plus élevées": a superlative, "plus" is no noun
            if any(agrees(word, g, n) for _, g, n in phrase.nouns):
                continue
            if sentence[k - 1].low == "fois" and word.has(r":Q"):
                continue  # "une fois arrivé à la gare": "once there", not "fois" described
            after = sentence[k + 1].low if k + 1 < len(sentence) else ""
            if after in {"que", "qu'", "de", "d'"} and word.has(r":Q"):
                continue  # "… estimé de…", a participle with its own complement: unsure
            if k + 1 < len(sentence) and sentence[k + 1].has(r":N") and not word.has(r":Q"):
                continue  # "avec ta bénédiction cher ami": the adjective opens the next noun
            _, g, n = [noun for noun in phrase.nouns if noun[0].end <= word.start][-1]
            fixes = agreed_forms(word, g, n)
            if fixes:
                yield _finding(
                    word,
                    f"Accord : « {word.text} » ne s’accorde avec aucun nom du groupe.",
                    fixes,
                    "accord_nom_adjectif",
                )
            break


def rule_subject_participle(sentence: list[Token]) -> Iterator[Finding]:
    """ "Le montant des fausses factures est estimée" → "estimé": the participle after être
    agrees with the subject's head noun (or a complement when the head is a collective)."""
    for start in subject_starts(sentence):
        phrase = noun_phrase(sentence, start)
        if phrase is None:
            continue
        k = phrase.end
        while k < len(sentence) and sentence[k].low in {"ne", "n'"}:
            k += 1
        if k >= len(sentence):
            continue
        verb = sentence[k].low
        k += 1
        avoir = verb in {"a", "avait", "aura", "ont", "avaient", "auront"}
        if avoir and k < len(sentence) and sentence[k].low == "été":
            verb = "est" if verb in {"a", "avait", "aura"} else "sont"
            k += 1
        _, head_g, head_n = phrase.head
        singular = verb in ETRE_SING and head_n == {"s"}
        if not (singular or (verb in ETRE_PLUR and head_n == {"p"})):
            continue
        word = participle_after_etre(sentence, k, _CONJUGATED.pattern)
        if word is None:
            continue
        candidates = phrase.nouns if phrase.head[0].low in COLLECTIVE_NOUNS else [phrase.head]
        if any(agrees(word, g, n) for _, g, n in candidates):
            continue
        fixes = agreed_forms(word, head_g, head_n)
        if fixes:
            yield _finding(
                word,
                f"Accord avec le sujet « {phrase.head[0].text} » : le participe doit s’accorder.",
                fixes,
                "accord_sujet_groupe",
            )


_ET_ADVERBS = {
    "très", "bien", "déjà", "toujours", "vraiment", "trop", "plus", "pas", "encore",
    "désormais", "bientôt", "enfin", "aussi", "si", "tout", "maintenant", "actuellement",
}  # fmt: skip


def _finite_verb_after(sentence: list[Token], k: int) -> bool:
    for token in sentence[k:]:
        if token.kind == "punct":
            return False
        if token.kind == "word" and token.has(_CONJUGATED.pattern) and not token.has(r":[NA]"):
            return True
    return False


def rule_phrase_then_homophone(sentence: list[Token]) -> Iterator[Finding]:
    """A subject noun phrase then "et" or "à" where the verb belongs: "La livraison de la
    commande et prévue demain" → "est"; "Le conseiller du magasin à répondu" → "a"."""
    for start in subject_starts(sentence):
        phrase = noun_phrase(sentence, start)
        if phrase is None or phrase.end + 1 >= len(sentence):
            continue
        k = phrase.end
        head, head_g, head_n = phrase.head
        if head_n != {"s"}:
            continue
        token = sentence[k]
        n = k + 1
        while n < len(sentence) and sentence[n].low in _ET_ADVERBS:
            n += 1
        if n >= len(sentence) or not plain(sentence[n]):
            continue
        word = sentence[n]
        after = sentence[n + 1] if n + 1 < len(sentence) else None
        if token.low == "et":
            if word.has(r":N") or not word.has(r":[AQ]") or word.has(_CONJUGATED.pattern):
                continue
            if sentence[k - 1] is not phrase.nouns[-1][0] and not (
                word.has(r":V.*:Q") and not sentence[k - 1].has(r":V.*:Q")
            ):
                continue  # "Le service rapide et efficace": two adjectives coordinated
            if not agrees(word, head_g, head_n) or _finite_verb_after(sentence, n + 1):
                continue
            if after is not None and after.has(r":N") and not after.has(r":W"):
                continue  # "… et prévue demain", but "… et nouvelle commande": a noun after
            yield _finding(
                token,
                f"Confusion : le verbe être, « est » (le sujet est « {head.text} »).",
                [_same_case(token.text, "est")],
                "est_apres_groupe_nominal",
            )
        elif token.low == "à" and n == k + 1:
            if not (word.has(r":V.*:Q") and word.only(r":V.*:Q|:V.*:Y")) or word.has(r":Y"):
                continue
            if _finite_verb_after(sentence, n + 1):
                continue
            yield _finding(
                token,
                f"Confusion : le verbe avoir, « a » (le sujet est « {head.text} »).",
                [_same_case(token.text, "a")],
                "a_apres_groupe_nominal",
            )


_PRONOUN_BEFORE_LEUR = {
    "je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "ne", "n'", "qui",
    "le", "la", "les", "l'", "se", "s'", "en", "y",
}  # fmt: skip


def rule_leur_plural(sentence: list[Token]) -> Iterator[Finding]:
    """ "leur factures" → "leurs": the determiner before a noun that can only be plural
    ("tu leur factures" keeps the pronoun: a verb after a subject)."""
    for i, token in enumerate(sentence[:-1]):
        if token.low != "leur":
            continue
        word = sentence[i + 1]
        if not plain(word) or not word.has(r":N.*:p(?:[:/;]|$)") or word.has(r":[NA].*:[si]"):
            continue
        prev = sentence[i - 1].low if i > 0 else ""
        verb = word.has(_CONJUGATED.pattern) or word.has(r":V.*:[YQ]")
        if verb and (prev in _PRONOUN_BEFORE_LEUR or not prev):
            continue
        yield _finding(
            token,
            f"Accord : « leurs » devant un nom au pluriel (« {word.text} »).",
            [_same_case(token.text, "leurs")],
            "leurs_determinant",
        )


def rule_est_conjunction(sentence: list[Token]) -> Iterator[Finding]:
    """ "entre Londres est Plymouth" → "et"; "Où et né Victor Hugo ?" → "est" ("quel et" is
    in homophones)."""
    for i, token in enumerate(sentence[:-1]):
        nxt = sentence[i + 1]
        if token.low == "est":
            back = sentence[max(0, i - 4) : i]
            start = next((k for k, t in enumerate(back) if t.low == "entre"), None)
            between = back[start + 1 :] if start is not None else []
            # "entre les deux offres est faible": the "entre" group is complete (plural), and
            # an adjective follows; "entre Paris est Lyon", "entre la commande est la…".
            second = nxt.low in DETERMINERS_SING or (nxt.text[:1].isupper() and nxt.kind == "word")
            # "entre 2 °C est 8 °C", "entre 10h est 12h" (a time is masked): number and number
            second |= number_or_code(nxt) and any(number_or_code(t) for t in between)
            plural = any(
                t.low in DETERMINERS_PLUR | {"eux", "nous", "vous", "elles", "deux"}
                or t.has(r":N.*:p(?:[:/;]|$)")
                for t in between
            )
            if (
                between
                and second
                and not plural
                and not any(t.low == "et" for t in between)  # "entre Lisieux et Caen est"
                and not any(
                    t.kind == "punct"
                    or (t.low != "entre" and t.has(_CONJUGATED.pattern) and not t.has(r":[NAG]"))
                    for t in back[start or 0 :]  # "(entre 2 °C est 8 °C)"
                )
            ):
                yield _finding(
                    token,
                    "Confusion : la conjonction « et ».",
                    [_same_case(token.text, "et")],
                    "et_conjonction_liste",
                )
        elif token.low == "et" and i > 0 and sentence[i - 1].low == "où":
            participle = plain(nxt) and nxt.has(r":V.*:Q") and not nxt.has(r":N")
            if participle or nxt.low in {"le", "la", "l'", "les"}:
                yield _finding(
                    token,
                    "Confusion : le verbe être, « est ».",
                    [_same_case(token.text, "est")],
                    "est_verbe_sujet_ou",
                )


_C_EST_NEXT = {
    "vrai", "trop", "très", "super", "juste", "déjà", "un", "une", "le", "la", "du", "ça",
    "à", "au", "moi", "toi", "lui", "eux", "quoi", "normal", "dommage", "génial", "parfait",
    "clair", "sûr", "possible", "impossible", "pareil", "bon", "mieux", "pour", "en", "grave",
    "bizarre", "ici", "fini", "comme", "quand", "pourquoi", "mon", "ton", "notre",
    "votre", "cela", "ce", "cette", "cet", "sa",
}  # fmt: skip
_S_EST_SUBJECTS = {"il", "elle", "on", "qui", "ça", "cela", "ce", "tout", "rien"}


_POSSESSIVE_3S = {"son", "sa", "ses"}


def _coordinated_possessive(sentence: list[Token], i: int) -> bool:
    """ "son athéisme et ces sympathies", "ces collègues et ses subordonnés": a possessive
    of the 3rd person coordinated with this determiner, with one noun between."""
    before = sentence[i - 3 : i]
    after = sentence[i + 2 : i + 4]
    return (
        len(before) == 3
        and before[0].low in _POSSESSIVE_3S
        and before[1].has(r":N")
        and before[2].low in {"et", "ou"}
    ) or (
        len(after) == 2
        and after[0].low in {"et", "ou"}
        and after[1].low == "ses"
        and sentence[i + 1].has(r":N")
    )


def rule_ces_ses(sentence: list[Token]) -> Iterator[Finding]:
    """ces/ses/c'est/s'est decided by the next word."""
    for i, token in enumerate(sentence[:-1]):
        if token.low not in {"ces", "ses"}:
            continue
        nxt = sentence[i + 1]
        after = sentence[i + 2].low if i + 2 < len(sentence) else ""
        prev = sentence[i - 1].low if i > 0 else ""
        fix = ""
        if token.low == "ses" and re.search(r"\w-(?:ci|là)$", nxt.low):
            fix = "ces"
        elif token.low == "ces" and _coordinated_possessive(sentence, i):
            fix = "ses"
        elif token.low == "ces" and nxt.low == "propres" and i + 2 < len(sentence):
            fix = "ses" if sentence[i + 2].has(r":N") else ""
        elif prev in _S_EST_SUBJECTS and nxt.has(r":V.*:Q") and not nxt.has(r":[NA].*:p|:N"):
            fix = "s'est"
        elif nxt.low in _C_EST_NEXT or (
            # "ses pas grave" → "c'est"; "il a suivi ses pas." is the noun (proof19n)
            nxt.low == "pas"
            and after not in {"de", "d'"}
            and i + 2 < len(sentence)
            and sentence[i + 2].has(r"/:A|/:N:A|:Q|/:W")
        ):
            fix = "c'est"
        if not fix:
            continue
        message = {
            "ces": "Confusion : le démonstratif « ces » (ces jours-ci), pas le possessif.",
            "ses": "Confusion : le possessif « ses » (ses propres…), pas le démonstratif.",
            "s'est": "Confusion : « s’est » (verbe pronominal au passé), pas « ces/ses ».",
            "c'est": "Confusion : « c’est » (cela est), pas « ces/ses ».",
        }[fix]
        yield _finding(token, message, [_same_case(token.text, fix)], "ces_ses")


RULES = [
    rule_noun_adjective,
    rule_subject_participle,
    rule_phrase_then_homophone,
    rule_ces_ses,
    rule_leur_plural,
    rule_est_conjunction,
]


_EST_OU = re.compile(r"\b(est)/ou\b", re.IGNORECASE)
_ET_OU_ACCENT = re.compile(r"\bet/(où)(?!\w)", re.IGNORECASE)


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    found: list[Finding] = [
        Finding(m.start(1), m.end(1), "Confusion : « et/ou ».", ["et"], "vigie.et_ou", "grammar")
        for m in _EST_OU.finditer(text)
    ]
    found.extend(
        Finding(m.start(1), m.end(1), "Confusion : « et/ou ».", ["ou"], "vigie.et_ou", "grammar")
        for m in _ET_OU_ACCENT.finditer(text)
    )
    for sentence in sentences(tokenize(text)):
        for rule in RULES:
            found.extend(
                f
                for f in rule(sentence)
                # Text in capitals ("EFFETS INDESIRABLES") is a heading.
                if not (text[f.start : f.end].isupper() and f.end - f.start > 1)
            )
    return found
