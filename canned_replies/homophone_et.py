"""et/est where the clause around it decides, past what homophones.rule_et_est reads.

- "est" between two infinitives of one sentence is the conjunction: "sortir les couverts est
  les assiettes" is caught by homophones; "trébucher sur un obstacle est nous blesser",
  "indiquer, expliquer est définir" → "et" (être never takes a bare infinitive after another
  infinitive's complement; "c'est partir" keeps "c'");
- "est" then a subject pronoun of another person and its verb starts a new clause: "je reste
  dîner est tu sais bien…" → "et" ("est-il", an inversion, is left to the hyphen rule);
- "qui et" then a preposition or an adverb of place: "un ami qui et dans un groupe" → "est"
  (after a noun or pronoun only: "je ne sais pas qui et avec qui" coordinates two questions).
- a subject noun phrase opening the clause, "et", then what only a verb introduces: a "que"
  clause, "de" and an infinitive (one noun only: "le droit de vote et de se présenter"), an
  adverb that ends the clause ("la livraison et demain.") → "est";
- "est" then object pronouns (not "en", "y": prepositions too) and a finite verb: "je
  prépare les colis est les envoie" → "et" ("est la dépose du moteur": an article, a noun);
- "est", a relative "qui" and its verb: "… un conseiller, est qui travaillait aussi pour eux"
  → "et" ("c'est qui", "qui est qui" and "le responsable est qui ?" stay);
- "est que" joining a second "que" clause to a first one, with no subject before it (a comma,
  a verb, an adverb): "leur dire que je les aime, est que je pars" → "et" ("je pense que le
  problème est que…", "ce que je veux est que…" stay).

Not kept: "est" then another finite verb in the same clause → "et" ("la presse régionale est
nationale ne cessa…"): on chat outside the development set it fired on run-on sentences
without punctuation ("la france est un pays … observe la langue") and on a misspelt
participle ("il est completement attarde"), 0 of 2.

Measured on mistakes injected into the tuning part's chat sentences
(benchmarks/bench_proofread_synthetic.py --source diabla --kinds et/est) and for precision on
the clean sentences of the tuning part (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, CLITICS, Token, _finding, _same_case
from canned_replies.homophones import run_rules
from canned_replies.noun_phrases import noun_phrase, plain, subject_starts

# Before "est", these make it the verb of "c'est" / "ce n'est": "c'est partir trop tôt".
_BEFORE_VERB_EST = {"c'", "ce", "ça", "cela", "ceci", "n'", "qu'", "qui", "où", "tout"}
# Subject pronouns that cannot be the subject of "est" (3rd person singular).
_OTHER_PERSONS = {"je": ":1s", "j'": ":1s", "tu": ":2s", "nous": ":1p", "ils": ":3p",
                  "elles": ":3p"}  # fmt: skip
_AFTER_QUI_EST = {
    "dans", "à", "au", "aux", "en", "chez", "sur", "sous", "avec", "pour", "contre", "ici", "là",
    "très", "trop", "vraiment", "toujours", "déjà", "encore", "aussi", "souvent",
}  # fmt: skip


def _infinitive(token: Token) -> bool:
    """An infinitive that is nothing else ("blesser", "mettre"; not "dîner", "devoir")."""
    return plain(token) and token.has(r":V[0-3].*:Y") and not token.has(r":[NA]")


def rule_est_infinitive(sentence: list[Token]) -> Iterator[Finding]:
    """ "de trébucher sur un obstacle est nous blesser" → "et"."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.text != "est" or sentence[i - 1].low in _BEFORE_VERB_EST:
            continue
        k = i + 1
        while k < len(sentence) and k <= i + 3 and sentence[k].low in CLITICS - {"ne", "n'"}:
            k += 1
        if k >= len(sentence) or not _infinitive(sentence[k]):
            continue
        if not any(_infinitive(t) for t in sentence[: i - 1]):
            continue
        yield _finding(
            token,
            "Confusion : deux infinitifs coordonnés, la conjonction « et ».",
            ["et"],
            "et_infinitifs",
        )


def _after_clitics(sentence: list[Token], k: int) -> Token | None:
    """The word at k past up to three object pronouns (a verb's place), if the sentence has one."""
    end = k + 2
    while k < len(sentence) and k <= end and sentence[k].low in CLITICS:
        k += 1
    return sentence[k] if k < len(sentence) else None


def rule_est_new_subject(sentence: list[Token]) -> Iterator[Finding]:
    """ "je reste dîner est tu sais bien…" → "et": a subject of another person follows."""
    for i, token in enumerate(sentence[1:-2], start=1):
        if token.text != "est" or sentence[i - 1].low in _BEFORE_VERB_EST:
            continue
        person = _OTHER_PERSONS.get(sentence[i + 1].low)
        if person is None:
            continue
        verb = _after_clitics(sentence, i + 2)
        if verb is None:
            continue
        if not plain(verb) or not any(
            person in m and (m.find(":V") >= 0) and _CONJUGATED.search(m) for m in verb.morphs
        ):
            continue
        if verb.has(r":3s"):
            continue  # "est tu…" then a form of many persons: not decided here
        yield _finding(
            token,
            "Confusion : une nouvelle proposition commence, la conjonction « et ».",
            ["et"],
            "et_nouveau_sujet",
        )


_QUESTION_WORDS = {"qui", "quoi", "quel", "quelle", "quels", "quelles", "lequel", "laquelle"}


def _antecedent(token: Token) -> bool:
    """A noun or a pronoun that a relative "qui" can follow ("un ami qui", "celui qui"); after
    a verb, "qui" asks a question ("je ne sais pas qui et avec qui")."""
    if token.low in {"celui", "celle", "ceux", "celles", "quelqu'un", "personne", "ce"}:
        return True
    return token.kind == "word" and token.has(r":N") and not token.has(r":V[0-3]")


def rule_qui_et(sentence: list[Token]) -> Iterator[Finding]:
    """ "un ami qui et dans un groupe" → "est"."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if (
            token.text == "et"
            and sentence[i - 1].low == "qui"
            and i >= 2
            and sentence[i + 1].low in _AFTER_QUI_EST
            and _antecedent(sentence[i - 2])
            and not any(t.low in _QUESTION_WORDS for t in sentence[i + 2 : i + 4])
        ):
            yield _finding(token, "Confusion : le verbe être, « est ».", ["est"], "est_qui")


# Words that end a clause: a finite verb may follow them without being the subject's.
_CLAUSE_END = {",", ".", "!", "?", "…", "...", ";", ":", "mais", "donc", "car", "alors"}
# Adverbs that can be all a clause says of its subject ("la réunion est demain").
_PREDICATE_ADVERBS = {"aujourd", "demain", "hier", "ici", "là", "là-bas", "ailleurs",
                      "partout", "dehors", "dedans", "loin", "tard", "tôt", "complet"}  # fmt: skip


def _infinitive_after_de(sentence: list[Token], k: int) -> bool:
    """An infinitive after "de" at k, past object pronouns ("de vous apprendre")."""
    if k >= len(sentence) or sentence[k].low not in {"de", "d'"}:
        return False
    end = k + 3
    k += 1
    while k < min(end, len(sentence)) and sentence[k].low in CLITICS - {"ne", "n'"}:
        k += 1
    return k < len(sentence) and _infinitive(sentence[k])


# Adverbs that may come between "est" and "de" + an infinitive ("le but est surtout de…").
_BEFORE_DE_ADVERBS = {"surtout", "simplement", "seulement", "justement", "uniquement", "aussi",
                      "également", "donc", "plutôt", "vraiment"}  # fmt: skip


def rule_phrase_et_clause(sentence: list[Token]) -> Iterator[Finding]:
    """ "Le problème et qu'il…", "Le but et de vous apprendre…", "La réunion et demain." →
    "est": a subject noun phrase opening the clause, then "et" and what only a verb can
    introduce (a "que" clause, "de" and an infinitive, an adverb that ends the clause)."""
    for start in subject_starts(sentence):
        phrase = noun_phrase(sentence, start)
        if phrase is None or phrase.end + 1 >= len(sentence):
            continue
        k = phrase.end
        token, nxt = sentence[k], sentence[k + 1]
        if token.low != "et" or sentence[k - 1] is not phrase.nouns[-1][0]:
            continue  # after an adjective: two adjectives may be coordinated
        n = k + 3 if nxt.low == "aujourd" else k + 2  # "aujourd'hui" is two tokens
        after = sentence[n].low if n < len(sentence) else "."
        clause = nxt.low in {"que", "qu'"}
        # one noun only: "le droit de vote et de se présenter" coordinates two complements
        de = k + 1
        while de < len(sentence) and de <= k + 2 and sentence[de].low in _BEFORE_DE_ADVERBS:
            de += 1  # "Le but et surtout de vous apprendre…"
        clause |= len(phrase.nouns) == 1 and _infinitive_after_de(sentence, de)
        clause |= nxt.low in _PREDICATE_ADVERBS and after in _CLAUSE_END
        if clause:
            yield _finding(
                token,
                f"Confusion : le verbe être, « est » (le sujet est « {phrase.head[0].text} »).",
                [_same_case(token.text, "est")],
                "est_groupe_nominal_proposition",
            )


# Before "que", words that make it no completive ("ce que", "plus que", "ne … que").
_NOT_COMPLETIVE = {"ce", "c'", "plus", "moins", "autant", "aussi", "tel", "telle", "même",
                   "ne", "n'", "rien", "pas", "est-ce"}  # fmt: skip
_SUBJECT_WORDS = {"ce", "c'", "cela", "ça", "ceci", "qui", "tout", "il", "elle", "on", "lui",
                  "moi", "toi", "eux", "mieux", "pire", "plus", "moins"}  # fmt: skip


def _completive_before(sentence: list[Token], i: int) -> bool:
    """A "que" clause with its finite verb before index i ("dire que je les aime, est que…")."""
    for j in range(1, i - 1):
        if sentence[j].low not in {"que", "qu'"} or sentence[j - 1].low in _NOT_COMPLETIVE:
            continue
        if sentence[j - 1].low.endswith("-ce"):
            continue  # "qu'est-ce que"
        if any(t.kind == "word" and t.has(_CONJUGATED.pattern) for t in sentence[j + 1 : i]):
            return True
    return False


def rule_est_second_que(sentence: list[Token]) -> Iterator[Finding]:
    """ "leur dire que je les aime, est que je pars" → "et": a second "que" clause joined to
    a first one; "est" has no subject there (after a comma, a verb, an adverb)."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.text != "est" or sentence[i + 1].low not in {"que", "qu'"}:
            continue
        prev = sentence[i - 1]
        no_subject = prev.text == "," or (
            prev.kind == "word"
            and prev.low not in _SUBJECT_WORDS
            and not prev.has(r":N|:M|:O")
            and not prev.text[:1].isupper()
        )
        if no_subject and _completive_before(sentence, i):
            yield _finding(
                token,
                "Confusion : deux propositions coordonnées, la conjonction « et ».",
                ["et"],
                "et_que_coordonne",
            )


_ARTICLES = {"le", "la", "les", "l'"}


def rule_est_clitic_verb(sentence: list[Token]) -> Iterator[Finding]:
    """ "je prépare les poivrons est les prendrai en photo", "ça lui plaira est ça lui fera
    plaisir" → "et": "est" is never followed by object pronouns and a finite verb, so a new
    clause starts (its subject "ça"/"cela" may open it)."""
    for i, token in enumerate(sentence[1:-2], start=1):
        if token.text != "est" or sentence[i - 1].low in _BEFORE_VERB_EST:
            continue
        if sentence[i - 1].low in _OTHER_PERSONS or sentence[i - 1].low in {"il", "elle", "on"}:
            continue  # "il est…": the verb of its subject
        k = i + 1
        if sentence[k].low in {"ça", "cela"}:
            k += 1
        start = k
        # not "en", "y": also prepositions ("est en panne", "est en ligne")
        while k < len(sentence) and k - start < 3 and sentence[k].low in CLITICS - {"en", "y"}:
            k += 1
        if k == start or k >= len(sentence):
            continue  # at least one object pronoun: "est prend" is homophones' reading
        verb = sentence[k]
        if not (plain(verb) and verb.has(_CONJUGATED.pattern)) or verb.has(r":[AQWGRY]"):
            continue
        if verb.has(r":N") and sentence[k - 1].low in _ARTICLES:
            continue  # "est la dépose du moteur": an article and its noun
        yield _finding(
            token,
            "Confusion : une nouvelle proposition commence, la conjonction « et ».",
            ["et"],
            "et_conjonction_pronom",
        )


_AUXILIARIES = {"a", "ont", "avait", "avaient", "aura", "auront", "est", "sont", "était",
                "étaient", "sera", "seront"}  # fmt: skip


def rule_est_qui(sentence: list[Token]) -> Iterator[Finding]:
    """ "un conseiller, est qui travaillait aussi pour eux" → "et": "est" takes no relative
    "qui" and its verb for attribute; only "c'est qui", "qui est qui" and a question ending
    there ("le responsable est qui ?") put them side by side."""
    for i, token in enumerate(sentence[1:-2], start=1):
        if token.text != "est" or sentence[i + 1].low != "qui":
            continue
        before = sentence[i - 1]
        if before.low in _BEFORE_VERB_EST or before.low in _QUESTION_WORDS:
            continue
        verb = _after_clitics(sentence, i + 2)
        if verb is None:
            continue
        auxiliary = verb.low in _AUXILIARIES  # "a" is also a noun, "est" a cardinal point
        if not auxiliary and (
            not (plain(verb) and verb.has(_CONJUGATED.pattern)) or verb.has(r":[NAWGRQ]")
        ):
            continue
        yield _finding(
            token,
            "Confusion : une relative coordonnée, la conjonction « et ».",
            ["et"],
            "et_qui_relative",
        )


RULES = [
    rule_est_qui,
    rule_est_clitic_verb,
    rule_est_infinitive,
    rule_est_new_subject,
    rule_qui_et,
    rule_phrase_et_clause,
    rule_est_second_que,
]


def check(text: str) -> list[Finding]:
    """Run the rules over an already masked paragraph."""
    return run_rules(text, RULES)
