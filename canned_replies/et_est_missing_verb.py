"""et/est where the clause still lacks what the other word would give it (issue 19,
homophones; homophone_et reads the clauses that already have theirs):

- a subject noun phrase, "et", then an attribute agreeing with its head that ends the clause
  or opens a complement: "La livraison et rapidement traitée par…" → "est" (a noun that is
  also an adjective only after an adverb of degree, "le directeur et fondateur" joins two
  nouns, or when no verb follows for the subject: "Mon conseiller et absent jusqu'à lundi");
  the same after "leur"/"lui" or a name opening the sentence;
- a definite subject, "et", "un/une" and a noun graded by an adjective of degree, no verb
  after: "La garantie et un service très complet." → "est";
- "est", a singular noun phrase, then a verb that can only be plural: "le montant est la
  date doivent figurer" → "et" (the plural verb needs both subjects);
("est" opening a sentence and "est" between two bare plural nouns are read in
et_est_second_verb.)

Each blocks nothing on the clean texts we hold (the tuning part, rtplx-fr, mhc-fr, mlma-fr,
the project's correct set: 10,380 texts); measured on et/est injected into the tuning part
(benchmarks/bench_proofread_synthetic.py --kinds et/est).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import takewhile

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, CLITICS, Token, _finding, _same_case
from canned_replies.french_words import number_or_code
from canned_replies.homophone_et import _BEFORE_VERB_EST, _OTHER_PERSONS
from canned_replies.homophones import run_rules
from canned_replies.noun_phrases import agrees, noun_at, noun_phrase, plain, subject_starts

# Adverbs that may stand between "est" and its attribute ("est rapidement distribuée").
_ATTRIBUTE_ADVERBS = {"plus", "moins", "très", "trop", "si", "aussi", "assez", "bien", "déjà",
                      "toujours", "souvent", "parfois", "encore", "également", "vraiment",
                      "peu", "tout", "pas", "jamais", "désormais"}  # fmt: skip
# What may follow an attribute and ends its clause or opens its complement (not "de": "le
# directeur et fondateur de…" joins two nouns).
_AFTER_ATTRIBUTE = {"à", "au", "aux", "en", "dans", "pour", "avec", "sur", "par", "chez", "sans",
                    "sous", "vers", "contre", "depuis", "pendant", "après", "avant", "entre",
                    "selon", "lors", "dès", "jusqu'", "jusque", "ici", "maintenant", "car",
                    "hier", "aujourd'hui", "demain",
                    "mais", "donc", ",", ".", "!", "?", "…", "...", ";", ":", ")"}  # fmt: skip


# A complement the subject may carry before "et" ("le taux … dans ce groupe et nul").
_SUBJECT_COMPLEMENTS = {"dans", "chez", "pour", "sur", "sous", "avec", "sans", "pendant"}
# Adverbs of degree: what grades an attribute ("très content", "un service très complet").
_DEGREE_ADVERBS = {"très", "assez", "vraiment", "trop", "si", "tellement", "plutôt", "super",
                   "particulièrement", "extrêmement", "vachement", "hyper", "bien"}  # fmt: skip
# Before a noun that is also an adjective, the adverbs that make it the attribute.
_GRADING_ADVERBS = _DEGREE_ADVERBS | {"plus", "moins", "peu"}
# Pronouns between a subject and its verb ("… la date ne doivent", "… vous contacteront"),
# not "les"/"leur", which may open a noun phrase of their own.
_BEFORE_VERB = CLITICS - {"les", "leur"}


def _adverb(token: Token) -> bool:
    """An adverb of degree or time, or a word that is only an adverb ("rapidement")."""
    return token.low in _ATTRIBUTE_ADVERBS or (plain(token) and token.only(r":W"))


def _plain_attribute(token: Token) -> bool:
    """A lowercase word, or a participle written with its prefix's hyphen ("contre-indiqué")."""
    return plain(token) or (
        token.kind == "word"
        and "_" not in token.text
        and not token.text[:1].isupper()
        and token.text.count("-") == 1
        and token.only(r":V.*:Q")
    )


def _attribute_after_et(
    sentence: list[Token], k: int, verbless: bool = False
) -> tuple[Token, bool, str] | None:
    """The adjective or participle after "et" at k, past adverbs, when nothing shows "et"
    joins two adjectives or nouns: it ends its clause or opens a complement. Returns it,
    whether adverbs came first and the word after it (past adverbs); None otherwise.
    `verbless`: the subject opened the sentence, so a noun that is also an adjective counts
    when no finite verb follows (two nouns joined would be the subject of one: "Mon collègue
    et ami vous rappellera")."""
    j = k + 1
    while j < len(sentence) and j <= k + 3 and _adverb(sentence[j]):
        j += 1
    if j >= len(sentence):
        return None
    word = sentence[j]
    after = sentence[j + 1].low if j + 1 < len(sentence) else "."
    # an adverb may stand between the attribute and its complement ("retransmis rapidement
    # par", "administré lentement en"): a word that is only an adverb
    a = j + 1
    while a < len(sentence) and a <= j + 2 and plain(sentence[a]) and sentence[a].only(r":W"):
        a += 1
    if a > j + 1:
        after = sentence[a].low if a < len(sentence) else "."
    if not _plain_attribute(word) or not word.has(r":[AQ]") or word.has(r":[GRDYBCO]|:V.*:P"):
        return None
    if word.has(_CONJUGATED.pattern) and not word.has(r":A"):
        return None  # a finite verb only ("et prête" is also the adjective)
    adverbs = j > k + 1
    # after an adverb, "de" opens the adjective's complement ("très content de…"), and after
    # a participle that is no noun ("dessaisi de son enquête"; "fondateur de" is one)
    de_opens = adverbs or (word.has(r":V.*:Q") and not word.has(r":N"))
    if after not in _AFTER_ATTRIBUTE and not (de_opens and after in {"de", "d'", "du", "des"}):
        return None
    # A noun that is also an adjective may be the second of two nouns ("le directeur et
    # fondateur", "mon collègue et aussi ami"): only after an adverb of degree ("et très
    # content"), or a participle before "par".
    graded = adverbs and sentence[j - 1].low in _GRADING_ADVERBS
    if (
        word.has(r":N")
        and not graded
        and not (word.has(r":V.*:Q") and after == "par")
        and not (
            verbless
            # an adverb of manner before a participle ("et uniquement administré"; "et
            # aussi ami", "et également ami" join two nouns)
            and (not adverbs or (sentence[j - 1].low.endswith("ment") and word.has(r":V.*:Q")))
            and not _finite_after(sentence, j + 1)
        )
    ):
        return None
    return word, adverbs, after


# After an attribute, the words that open its complement (not the end of the clause).
_COMPLEMENT_OPENERS = {w for w in _AFTER_ATTRIBUTE if w.isalpha() or w.endswith("'")} - {
    "ici", "maintenant", "hier", "aujourd'hui", "demain", "mais", "donc", "car"
}  # fmt: skip


_OWN_SUBJECTS = {"je", "j'", "tu", "il", "elle", "on", "ils", "elles"}
_INVERTED = ("-je", "-tu", "-il", "-elle", "-on", "-ils", "-elles")


def _finite_after(sentence: list[Token], j: int) -> bool:
    """A word from j on that may be a finite verb of the subject before (an unknown word may
    be one too), before a subject pronoun or an inversion brings a clause of its own ("…
    euros et je n'ai pas droit", "…, doit-il remplir")."""
    for t in sentence[j:]:
        if t.low in _OWN_SUBJECTS or t.low.endswith(_INVERTED):
            return False
        if (
            t.kind == "word"
            and not t.text.isdigit()
            and (not t.morphs or t.has(_CONJUGATED.pattern))
        ):
            return True
    return False


# Conjunctions whose clause needs its own finite verb and never compares.
_SUBORDINATORS = {"si", "quand", "lorsque", "puisque", "pourquoi", "comment"}


def rule_phrase_et_attribute(sentence: list[Token]) -> Iterator[Finding]:
    """ "Mon conjoint et absent pendant la semaine", "La bivalirudine et rapidement
    distribuée", "L'ostéoporose et plus fréquente après…" → "est": a subject noun phrase
    opening the clause, "et", then an adjective or participle agreeing with its head that
    ends the clause or opens a complement (two adjectives are joined after an adjective,
    "un service rapide et gratuit"; an adjective before its noun joins two noun phrases,
    "merci et bonne journée"). The clause may also open after a conjunction that takes a
    finite clause ("si la commande et annulée par…"; not "que" or "comme", which also
    compare: "plus rapide que le train et moins cher")."""
    starts = [*subject_starts(sentence)]
    starts += [j + 1 for j, t in enumerate(sentence[:-1]) if t.low in _SUBORDINATORS]
    for start in starts:
        phrase = noun_phrase(sentence, start)
        if phrase is None:
            yield from _unknown_head_et(sentence, start)
            continue
        if phrase.end + 1 >= len(sentence):
            continue
        k, last = phrase.end, phrase.nouns[-1][0]
        if sentence[k].low in _SUBJECT_COMPLEMENTS:  # "Le taux … dans ce groupe et nul"
            complement = noun_phrase(sentence, k + 1)
            if complement is None or complement.end + 1 >= len(sentence):
                continue
            k, last = complement.end, complement.nouns[-1][0]
        # a reference after the noun: "Votre colis 12345 et arrivé", "n°4521", "CMD-482"
        numbered = sentence[k].low in {"n", "no", "numéro"}
        if numbered and k + 1 < len(sentence) and number_or_code(sentence[k + 1]):
            k += 1
        if number_or_code(sentence[k]) and k + 1 < len(sentence):
            k, last = k + 1, sentence[k]
        # a name in apposition to the noun: "le juge Éric Halphen et dessaisi de…"
        while k + 1 < len(sentence) and k < phrase.end + 3 and sentence[k].text[:1].isupper():
            k, last = k + 1, sentence[k]
        token = sentence[k]
        if token.low != "et" or sentence[k - 1] is not last:
            continue
        found = _attribute_after_et(sentence, k, verbless=start == 0)
        if found is None:
            continue
        _, genders, numbers = phrase.head
        if not agrees(found[0], genders, numbers):
            continue
        yield _finding(
            token,
            f"Confusion : le verbe être, « est » (le sujet est « {phrase.head[0].text} »).",
            [_same_case(token.text, "est")],
            "est_groupe_nominal_attribut",
        )


_SINGULAR_ARTICLES = {"le": {"m"}, "la": {"f"}, "l'": {"m", "f"}}


def _term(token: Token) -> bool:
    """A word the dictionary lacks (a drug, a term) or a name: what a noun phrase may hold
    that noun_phrase does not read."""
    return (
        token.kind == "word"
        and token.text.isalpha()
        and (token.text[:1].isupper() or (not token.morphs and len(token.text) >= 5))
    )


def _unknown_head_et(sentence: list[Token], start: int) -> Iterator[Finding]:
    """ "La bivalirudine et rapidement distribuée entre…", "La clairance de la bivalirudine
    et similaire chez…", "La livraison de votre Xiaomi et prévue par…" → "est": a singular
    subject whose noun is a word the dictionary lacks (a term, a drug) after its article, or
    a noun whose complement names one (or a name), then "et" and a participle or adjective
    agreeing with the head that opens a complement. An unknown head takes the article's
    gender and number and only a participle is read (two unknown terms may be joined)."""
    if start + 3 >= len(sentence) or sentence[start].low not in _DEFINITE_SING:
        return
    det, noun = sentence[start].low, sentence[start + 1]
    head = noun_at(sentence, start + 1, det)
    k = start + 2
    if head is not None:  # a known noun: its complement must name a term or a name
        while k < len(sentence) and sentence[k].low in {"de", "d'", "du", "la", "l'"} | {
            "mon", "ton", "son", "ma", "ta", "sa", "notre", "votre", "leur", "ce", "cette"
        }:  # fmt: skip
            k += 1
        if k == start + 2 or k >= len(sentence) or not _term(sentence[k]):
            return
        while k < len(sentence) and k < start + 8 and _term(sentence[k]):
            k += 1
        genders, numbers = head[1], head[2]
    else:
        if det not in _SINGULAR_ARTICLES or not plain(noun) or noun.morphs or len(noun.text) < 5:
            return
        if not noun.text.isalpha():
            return
        genders, numbers = _SINGULAR_ARTICLES[det], {"s"}
    if k + 1 >= len(sentence) or sentence[k].low != "et" or numbers != {"s"}:
        return
    found = _attribute_after_et(sentence, k, verbless=start == 0)
    if found is None or found[2] not in _COMPLEMENT_OPENERS:
        return
    if (head is None and not found[0].has(r":V.*:Q")) or not agrees(found[0], genders, numbers):
        return
    yield _finding(
        sentence[k],
        f"Confusion : le verbe être, « est » (le sujet est « {noun.text} »).",
        [_same_case(sentence[k].text, "est")],
        "est_groupe_nominal_attribut",
    )


def rule_pronoun_et_attribute(sentence: list[Token]) -> Iterator[Finding]:
    """ "Le secret défense leur et opposé par…", "Angiox et uniquement administré à
    l'hôpital" → "est": after an object pronoun ("leur", "lui"), or a name opening the
    sentence, "et" then an adjective or participle that ends the clause or opens a
    complement (a name needs an adverb first, a participle only, or a participle opening a
    complement with no finite verb after: "Pierre et associé" is left)."""
    starts = [*subject_starts(sentence)]
    for k, token in enumerate(sentence[1:-1], start=1):
        if token.low != "et":
            continue
        before = sentence[k - 1]
        pronoun = before.low in {"leur", "lui"} and k >= 2 and sentence[k - 2].kind == "word"
        # a name of one to three words opening the sentence or the clause after an opening
        # phrase ("Michel Roussin et libéré", "À l'issue du procès, Paul Durand et condamné")
        name = (
            any(
                0 < k - s <= 3
                and all(t.kind == "word" and t.text[:1].isupper() for t in sentence[s:k])
                for s in starts
            )
            and "_" not in before.text
            and (not before.morphs or before.only(r":M") or k > 1)
        )
        if not (pronoun or name):
            continue
        found = _attribute_after_et(sentence, k, verbless=name)
        if found is None or not found[0].has(r":[AQ].*:s"):
            continue
        # a participle that opens its complement, with no verb after for two names joined
        # ("Aclasta et administré en une perfusion")
        opens = found[0].has(r":V.*:Q") and found[2] in _COMPLEMENT_OPENERS
        # an adjective that is no noun has nothing to join to a name ("Angiox et disponible")
        adjective = not found[0].has(r":N")
        if name and not (found[1] or found[0].only(r":V.*:Q") or opens or adjective):
            continue
        yield _finding(
            token,
            "Confusion : le verbe être, « est ».",
            [_same_case(token.text, "est")],
            "est_pronom_attribut",
        )


# Words after which a verb has a subject of its own or belongs to another clause.
_OWN_CLAUSE = {"qui", "que", "qu'", "où", "dont", "quand", "lorsque", "lorsqu'", "si", "s'",
               "comme", "car", "mais", "donc", "parce", "puisque", "puisqu'", "quoique", "ils",
               "elles", "eux", "lequel", "laquelle", "lesquels", "lesquelles", "ou", "ni",
               "et", ",", "(", ")", "-", "–", "—", '"', "«", "»"}  # fmt: skip


def rule_est_plural_verb(sentence: list[Token]) -> Iterator[Finding]:
    """ "la dose est la vitesse de perfusion doivent être ajustées" → "et": after "est", a
    singular noun phrase then a verb that can only be plural, in one clause; the plural verb
    has no subject but both noun phrases joined."""
    for i, token in enumerate(sentence[1:-3], start=1):
        if token.text != "est" or sentence[i - 1].low in _BEFORE_VERB_EST:
            continue
        before = sentence[i - 1]
        if before.kind != "word" or before.low in _OTHER_PERSONS or before.low in {
            "il", "elle", "on", "l'", "d'", "de", "à", "vers", "du", "nord", "sud", "ouest"
        }:  # fmt: skip
            continue
        phrase = noun_phrase(sentence, i + 1)
        if phrase is None or phrase.end >= len(sentence) or phrase.head[2] != {"s"}:
            continue
        k = phrase.end
        while k < len(sentence) and sentence[k].low in _BEFORE_VERB:
            k += 1
        if k >= len(sentence) or sentence[k].low in _OWN_CLAUSE:
            continue
        verb = sentence[k]
        if not plain(verb) or not verb.has(_CONJUGATED.pattern) or verb.has(r":[NAWGR]"):
            continue
        if not verb.only(r":3p"):
            continue
        yield _finding(
            token,
            "Confusion : deux sujets coordonnés, la conjonction « et ».",
            ["et"],
            "et_sujets_coordonnes",
        )


_DEFINITE_SING = {"le", "la", "l'", "ce", "cet", "cette", "mon", "ton", "son", "ma", "ta", "sa",
                  "notre", "votre"}  # fmt: skip


def rule_phrase_et_indefinite(sentence: list[Token]) -> Iterator[Finding]:
    """ "L'histoire et une discipline très importante.", "Le tir à l'arc et un sport assez
    fatigant." → "est": a definite singular subject opening a statement, "et", then "un/une",
    a noun and an adjective of degree ending the clause without a verb: two noun phrases
    joined would be the subject of a verb ("Le manuel et une notice sont fournis"), and
    things listed are not graded ("le lien et un code promo ci-dessous"). Quiet in
    questions."""
    if sentence[-1].text == "?":
        return
    for start in subject_starts(sentence):
        if start >= len(sentence) or sentence[start].low not in _DEFINITE_SING:
            continue
        phrase = noun_phrase(sentence, start)
        if phrase is None or phrase.end + 2 >= len(sentence) or phrase.head[2] != {"s"}:
            continue
        k = phrase.end
        if sentence[k].low == "à":  # "le tir à l'arc": one complement with "à"
            complement = noun_phrase(sentence, k + 1)
            if complement is None:
                continue
            k = complement.end
        if k + 1 >= len(sentence) or sentence[k].low != "et":
            continue
        if sentence[k + 1].low not in {"un", "une"}:
            continue
        second = noun_phrase(sentence, k + 1)
        if second is None or second.end + 1 >= len(sentence):
            continue
        j = second.end
        if sentence[j].low not in _DEGREE_ADVERBS:
            continue
        while j < len(sentence) and sentence[j].low in _DEGREE_ADVERBS:
            j += 1
        _, genders, numbers = second.head
        graded = j < len(sentence) and plain(sentence[j]) and sentence[j].has(r":A")
        if (
            not graded
            or sentence[j].has(r":[GRDYBCO]")
            or not agrees(sentence[j], genders, numbers)
        ):
            continue  # after an adverb of degree, a noun that is also an adjective is one
        clause = takewhile(lambda t: t.low not in _OWN_CLAUSE, sentence[j + 1 :])
        if any(t.kind == "word" and t.has(_CONJUGATED.pattern) for t in clause):
            continue
        yield _finding(
            sentence[k],
            f"Confusion : le verbe être, « est » (le sujet est « {phrase.head[0].text} »).",
            [_same_case(sentence[k].text, "est")],
            "est_groupe_nominal_indefini",
        )


RULES = [
    rule_phrase_et_attribute,
    rule_pronoun_et_attribute,
    rule_est_plural_verb,
    rule_phrase_et_indefinite,
]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
