"""Agreement inside and around a noun phrase where Grammalecte reads too little of it.

Each rule reads a whole noun phrase (noun_phrases.noun_phrase: determiner, adjectives, noun,
complements) and Grammalecte's morphology of the words around it, never a list of sentences:
- the subject's verb past object pronouns or a complement: "Le conseiller vous répondront" →
  "répondra", "Les enfants de ma voisine joue" → "jouent" (Grammalecte reads the word before
  the verb only); the subject is read at a sentence start, after an opening phrase and its
  comma, or after a conjunction ("que", "quand", "si"…);
- the verb after "qui" agrees with its antecedent when that is a plain noun phrase with no
  complement and not "un des…" ("Le client qui nous ont écrit" → "a");
- an adjective right after its noun that is also a present participle ("une offre
  intéressant", "la liste suivant"): Grammalecte leaves it, unsure it is an adjective; it is
  read as one when no object follows;
- a second adjective joined by "et" to a first that agrees ("une réponse rapide et précis").

Quiet when either reading is grammatical: a collective or quantity head ("la plupart",
"une dizaine de"), a time noun opening the sentence ("Le lendemain nous sont parvenues…"),
a plural noun with singular adjectives each naming one ("les langues française et anglaise").
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.auxiliary_forms import (
    AVOIR_CONDITIONAL,
    AVOIR_FORMS,
    ETRE_CONDITIONAL,
    ETRE_INDICATIVE,
)
from canned_replies.findings import Finding
from canned_replies.french_words import (
    _CONJUGATED,
    DETERMINERS,
    PLACE_TIME_NOUNS,
    Token,
    _finding,
    _gender_number,
    run_rules,
    verb_forms,
)
from canned_replies.noun_phrases import (
    Phrase,
    adjective,
    agreed_forms,
    agrees,
    noun_phrase,
    past_reference,
    plain,
    subject_starts,
)
from canned_replies.qui_after_name import after_named_person, coordinated_before, question_after
from canned_replies.relative_verb import verb_after_qui
from canned_replies.subject_verb import _BEFORE_VERB, _FINITE, QUANTITY_HEADS

# A time opening the sentence, not its subject ("Le lendemain nous sont parvenues…").
_TIME_HEADS = PLACE_TIME_NOUNS | {"lendemain", "veille", "surlendemain"}
# Words after which a new clause (and its subject) starts.
# Not "comme": it also compares ("des gens comme le directeur nous écrivent").
_CLAUSE_OPENERS = {"que", "qu'", "quand", "lorsque", "lorsqu'", "puisque", "puisqu'", "car",
                   "mais", "parce", "quoique", "quoiqu'"}  # fmt: skip
# "un des clients qui est venu", "celui des trains qui part": "qui" may agree with the first.
_PICKERS = {"de", "d'", "un", "une", "l'un", "l'une", "aucun", "aucune", "chacun", "chacune",
            "celui", "celle", "ceux", "celles", "seul", "seule", "premier", "première",
            "dernier", "dernière", "plupart", "nombre", "partie", "moitié"}  # fmt: skip
_COORDINATORS = {"et", "ou", "ni", "&"}
_ADVERBS = {"très", "trop", "si", "tellement", "vraiment", "assez", "plutôt", "aussi",
            "bien", "peu", "plus", "moins", "particulièrement", "parfaitement"}  # fmt: skip
# After an adjective that is also a present participle, what shows it is the adjective: the
# end of the sentence (a preposition, a quotation or "et" may go on with the participle: "une
# étude portant sur", "une personne criant « … »", "criant et pleurant").
_ADJECTIVE_ENDS = {".", "!", "?", "…", "...", ";", ")"}


def _verb_at(sentence: list[Token], k: int, noun_too: bool = False) -> Token | None:
    """The finite verb after a subject, past "ne" and object pronouns: a word that is only a
    verb form (not "portes", "rencontre": nouns too), or also a noun when noun_too (after a
    whole noun phrase and its complement a bare noun cannot follow: "… de ma voisine joue")."""
    while k < len(sentence) and sentence[k].low in _BEFORE_VERB:
        k += 1
    if k >= len(sentence) or not plain(sentence[k]):
        return None
    verb = sentence[k]
    if not verb.has(_FINITE) or verb.has(r":[AQWGR]" if noun_too else r":[NAQWGR]"):
        return None
    return verb


def _subject_starts(sentence: list[Token]) -> Iterator[int]:
    yield from subject_starts(sentence)
    for i, token in enumerate(sentence[:-1]):
        if token.low in _CLAUSE_OPENERS:
            yield i + 2 if token.low == "parce" and sentence[i + 1].low in {"que", "qu'"} else i + 1


def _doubtful(sentence: list[Token], phrase: Phrase) -> bool:
    """A phrase whose last noun may be the verb, read after an adjective that is a noun too
    ("le conducteur conduit", "ma voisine joue")."""
    last = phrase.nouns[-1][0]
    k = sentence.index(last)
    return k > 0 and sentence[k - 1].has(r":N") and last.has(_FINITE)


def _verb_number_mismatch(phrase: Phrase, verb: Token) -> str | None:
    """The person the verb needs (":3s" or ":3p") when it has only the other one."""
    head, _, numbers = phrase.head
    if head.low in QUANTITY_HEADS:
        return None
    if numbers == {"p"} and verb.has(_FINITE + "3s") and not verb.has(_FINITE + "3p"):
        return ":3p"
    if (
        numbers == {"s"}
        and all(n == {"s"} for _, _, n in phrase.nouns)  # a plural complement: subject_verb
        and verb.has(_FINITE + "3p")
        and not verb.has(_FINITE + "3s")
    ):
        return ":3s"
    return None


def rule_subject_verb(sentence: list[Token]) -> Iterator[Finding]:
    """ "Le conseiller vous répondront" → "répondra"; "Les enfants de ma voisine joue" →
    "jouent": the verb agrees with the head of its subject, past pronouns and complements."""
    seen: set[int] = set()
    for start in _subject_starts(sentence):
        if start in seen:
            continue
        seen.add(start)
        phrase = noun_phrase(sentence, start)
        if phrase is None or phrase.end >= len(sentence) or _doubtful(sentence, phrase):
            continue
        if phrase.end == start + 2 and sentence[phrase.end].low not in _BEFORE_VERB:
            continue  # "les trains est": Grammalecte reads the noun before the verb
        head = phrase.head[0]
        if head.low in _TIME_HEADS and start == 0:
            continue  # "Le lendemain nous sont parvenues…": an opening time, not the subject
        verb = _verb_at(
            sentence, phrase.end, noun_too=len(phrase.nouns) > 1 and phrase.head[2] == {"p"}
        )
        if verb is None:
            continue
        k = sentence.index(verb)
        if verb.has(r":N") and k + 1 < len(sentence) and sentence[k + 1].text[:1].isupper():
            continue  # "les travaux de voirie rue Pasteur": a noun before its name
        person = _verb_number_mismatch(phrase, verb)
        fixes = verb_forms(verb.text, person)[:3] if person else []
        if fixes:
            number = "pluriel" if person == ":3p" else "singulier"
            yield _finding(
                verb,
                f"Accord avec le sujet « {head.text} » : le verbe au {number}.",
                fixes,
                "accord_sujet_verbe_groupe",
            )


def rule_relative_qui(sentence: list[Token]) -> Iterator[Finding]:
    """ "Le client qui nous ont écrit" → "a": after "qui", the verb agrees with the noun
    phrase before it (a plain one: no complement, not "un des…")."""
    for i, token in enumerate(sentence):
        if token.low != "qui" or i < 2:
            continue
        # after a comma, the phrase before it and its reference ("la facture n° 12, qui")
        comma = sentence[i - 1].text == ","
        yield from after_named_person(sentence, i)
        for start in range(max(0, i - (8 if comma else 5)), i - 1):
            phrase = noun_phrase(sentence, start)
            if phrase is None or len(phrase.nouns) != 1:
                continue
            if phrase.end != i and not (comma and past_reference(sentence, phrase.end) == i - 1):
                continue
            before = sentence[start - 1] if start else None
            if comma and coordinated_before(sentence, start):
                break  # "présidé par Paul et dirigé par le directeur, qui…": either, or both
            # a noun that is also a verb is the noun after a determiner ("la fête du village")
            verb_before = before is not None and (
                before.has(r":V")
                and not (before.has(r":N") and start > 1 and sentence[start - 2].low in DETERMINERS)
            )
            if before is not None and (
                before.low in _PICKERS
                or (before.has(r":[NA]") and not verb_before)
                or (comma and (before.low in _COORDINATORS or before.text == ","))
                or (comma and any(c.isdigit() for c in before.text))
                or (sentence[start].low in {"du", "des"} and (comma or not verb_before))
            ):
                break  # "le prix des billets qui…", "un des clients qui…", "le stylo et la
                # gomme, qui…", "1,5 % du marché, qui…", "les bros du serveur qui…": either
            if not comma and (sentence[start].low == "aux" or (before and before.low == "à")):
                break  # "demandez aux agents qui est de service": an indirect question
            # right after "qui" a noun, adjective or participle form is the verb
            verb = verb_after_qui(sentence, i + 1)
            if verb is None or (comma and question_after(sentence, verb)):
                break
            person = _verb_number_mismatch(phrase, verb)
            if person == ":3s" and before is not None and before.low in _COORDINATORS:
                break  # "4 sacs et le coffre qui n'ont pas survécu": both may be meant
            fixes = verb_forms(verb.text, person)[:3] if person else []
            if fixes:
                yield _finding(
                    verb,
                    f"Accord : « qui » reprend « {phrase.head[0].text} », le verbe s'accorde.",
                    fixes,
                    "accord_qui_antecedent",
                )
            elif verb.low in _ETRE:
                yield from _attribute_after_qui(sentence, verb, phrase)
            break


# What stops the reading of a relative clause: another clause or its subject.
_CLAUSE_STOPS = _CLAUSE_OPENERS | {"qui", "et", "ou", "ni", "si", "je", "j'", "tu", "il",
                                   "elle", "on", "ils", "elles", "ça", "c'", "ce", "dont",
                                   "où"}  # fmt: skip
# Forms after which a participle completes the tense.
_COMPOUND_AUXILIARIES = ETRE_INDICATIVE | ETRE_CONDITIONAL | AVOIR_FORMS | AVOIR_CONDITIONAL
_AUXILIARIES = {"est", "sont", "a", "ont", "était", "étaient", "avait", "avaient", "va", "vont",
                "fait", "font", "sera", "seront"}  # fmt: skip


def rule_verb_after_relative(sentence: list[Token]) -> Iterator[Finding]:
    """ "les potes de mon frère qui habitent à Lyon vient demain" → "viennent": a subject at
    the sentence start, its relative clause agreeing with its head, then the main verb, which
    agrees with the same head. The main verb is the first finite form after the relative's
    verb, before any other clause or punctuation; a form that is also a noun stops it."""
    for start in subject_starts(sentence):
        phrase = noun_phrase(sentence, start)
        if phrase is None or phrase.end + 2 >= len(sentence) or sentence[phrase.end].low != "qui":
            continue
        if phrase.head[0].low in QUANTITY_HEADS or phrase.head[2] not in ({"s"}, {"p"}):
            continue
        relative = verb_after_qui(sentence, phrase.end + 1)
        if relative is None or _verb_number_mismatch(phrase, relative) is not None:
            continue
        if not relative.has(_FINITE + ("3p" if phrase.head[2] == {"p"} else "3s")):
            continue  # the relative's verb shows "qui" stands for the head
        k = sentence.index(relative, phrase.end) + 1
        participle_due = relative.low in _COMPOUND_AUXILIARIES
        while k < len(sentence) and k < phrase.end + 12:
            word = sentence[k]
            if word.kind == "punct" or word.low in _CLAUSE_STOPS:
                break
            if word.low == "importe" and sentence[k - 1].low == "n'":
                k += 1  # "à n'importe quel moment": a locution, not a verb
                continue
            if participle_due and word.has(r":Q"):
                participle_due = False  # "les femmes qui ont (déjà) fait l'objet…"
                k += 1
                continue
            if word.low == "faut":
                break  # "Les gens qui trichent faut les virer": chat's "(il) faut"
            if word.kind == "word" and word.has(_FINITE):
                verb = _verb_at(sentence, k)
                if verb is None and word.low in _AUXILIARIES:
                    verb = word
                person = _verb_number_mismatch(phrase, verb) if verb is not None else None
                fixes = verb_forms(verb.text, person)[:3] if verb is not None and person else []
                if verb is not None and fixes:
                    yield _finding(
                        verb,
                        f"Accord avec le sujet « {phrase.head[0].text} », par-delà la relative.",
                        fixes,
                        "accord_sujet_apres_relative",
                    )
                break
            k += 1


_ETRE = {"est", "sont", "était", "étaient", "sera", "seront", "serait", "seraient", "soit",
         "soient", "fut", "furent"}  # fmt: skip


def _attribute_after_qui(sentence: list[Token], verb: Token, phrase: Phrase) -> Iterator[Finding]:
    """ "les instructions qui vous sont donnée" → "données": the participle after "qui" and
    "être" agrees with the antecedent."""
    k = sentence.index(verb) + 1
    if sentence[k - 2].low in {"se", "s'"}:
        return  # "qui se sont fracturé la hanche": the reflexive agrees with an object before
    while k < len(sentence) and sentence[k].low in _ADVERBS | {"pas", "déjà", "toujours"}:
        k += 1
    if k >= len(sentence) or not adjective(sentence[k]):
        return
    word = sentence[k]
    _, genders, numbers = phrase.head
    if agrees(word, genders, numbers):
        return
    fixes = agreed_forms(word, genders, numbers)
    if fixes:
        yield _finding(
            word,
            f"Accord : « qui » reprend « {phrase.head[0].text} », le participe s'accorde.",
            fixes,
            "accord_qui_antecedent",
        )


def _participle_adjective(sentence: list[Token], j: int) -> bool:
    """An adjective that is also a present participle ("intéressant", "suivant"), read as the
    adjective: nothing after it that a verb would take."""
    token = sentence[j]
    if not plain(token) or not token.has(r":A") or not token.has(r":V[^/]*:P"):
        return False
    if token.has(r":[GRWDYBCO]") or (token.has(r":N") and not token.has(r":A")):
        return False
    after = sentence[j + 1] if j + 1 < len(sentence) else None
    return after is None or after.text in _ADJECTIVE_ENDS


def _loose_adjective(token: Token) -> bool:
    """An adjective, also when it is a noun too ("rapide", "précis") or a present participle:
    read so only right after a noun or between two adjectives."""
    return (
        plain(token)
        and token.has(r":A")
        and not token.has(r":[GRWDYBCO]")
        and not token.has(_CONJUGATED.pattern)
    )


def _tells(first: Token, second: Token, genders: set[str], numbers: set[str]) -> bool:
    """The first adjective shows the noun it describes where the second goes wrong ("l'air
    grotesque et idiote": "grotesque" may describe the woman too)."""
    g1, n1 = _gender_number(first, r":A")
    g2, n2 = _gender_number(second, r":A")
    if not (g2 & genders) and len(g1) > 1:
        return False
    return bool(n2 & numbers) or len(n1) == 1


def rule_adjective_after_noun(sentence: list[Token]) -> Iterator[Finding]:
    """ "une offre intéressant" → "intéressante", "une réponse rapide et précis" → "précise":
    adjectives after the noun that Grammalecte does not check."""
    for start in range(len(sentence) - 2):
        before = sentence[start - 1] if start else None
        if before is not None and (
            before.low in {"de", "d'", "du", "des", "et", "ou", "ni"}
            or (before.has(r":[NA]") and not before.has(r":[RGWDCV]"))
        ):
            continue  # "le prix des offres intéressant": it may describe the noun before
        phrase = noun_phrase(sentence, start)
        if phrase is None or len(phrase.nouns) != 1:
            continue
        head, genders, numbers = phrase.head
        j = sentence.index(head, start) + 1
        if j >= len(sentence):
            continue
        word = sentence[j]
        if _participle_adjective(sentence, j):
            distributive = (
                numbers == {"p"}
                and j + 1 < len(sentence)
                and (sentence[j + 1].low in {"et", "ou", ","})
            )
            if not agrees(word, genders, numbers) and not distributive:
                fixes = agreed_forms(word, genders, numbers)
                if fixes:
                    yield _finding(
                        word, f"Accord avec « {head.text} ».", fixes, "accord_adjectif_participe"
                    )
            continue
        if not _loose_adjective(word) or not agrees(word, genders, numbers):
            continue
        k = j + 1
        if k >= len(sentence) or sentence[k].low != "et":
            continue
        k += 1
        while k < len(sentence) and sentence[k].low in _ADVERBS:
            k += 1
        if k >= len(sentence) or not _loose_adjective(sentence[k]):
            continue
        second = sentence[k]
        after = sentence[k + 1] if k + 1 < len(sentence) else None
        if (
            after is not None
            and after.kind != "punct"
            and (second.has(r":Q") or after.low in {"de", "d'", "à", "par"})
        ):
            continue  # "… dans la circulation systémique et éliminé par voie rénale": the
            # subject's second verb or attribute, not the noun's adjective
        if after is not None and after.has(r":N") and not after.has(r":[GV]"):
            continue  # "une réponse rapide et bonne chance": the adjective opens a noun
        if agrees(second, genders, numbers) or not _tells(word, second, genders, numbers):
            continue
        fixes = agreed_forms(second, genders, numbers)
        if fixes:
            yield _finding(
                second,
                f"Accord avec « {head.text} », comme « {word.text} ».",
                fixes,
                "accord_adjectifs_coordonnes",
            )


RULES = [rule_subject_verb, rule_relative_qui, rule_verb_after_relative, rule_adjective_after_noun]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
