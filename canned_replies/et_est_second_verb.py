"""et/est where "est" would leave a second verb without its subject (issue 19, homophones):
"Une comparaison des études à dose unique est à doses répétées a révélé…", "la résorption
est trop rapide est l'os nouveau est plus fragile", "un apport en calcium est vitamine D est
recommandé" → "et".

"est" followed by a second item of the same kind as what comes before it — a noun phrase or a
complement opened by a determiner, a preposition or a number — and then, in the same clause,
a finite verb: read as the verb "être", "est" would take that item as its attribute and the
later verb would have no subject (nothing between opens a clause: no relative or subordinate
word, no conjunction, comma or subject pronoun). Read as "et", the two items are joined and
the later verb is the clause's own. rule_est_plural_verb (et_est_missing_verb) reads the
narrower case of a plural verb after a singular noun phrase; this one reads any finite verb.
Also here (moved from et_est_missing_verb, unchanged): "est" opening a sentence before a
subject or a clause opener ("… est quand j'ai la réponse"), and a plural noun, "est", then a
plural noun without a determiner ("nos pages livraisons est retours").

Quiet where "est" is itself in a relative, subordinate or question clause ("ce qui est à
faire a été fait", "Quel est le film qui sort ?"), after a pronoun or an elision ("c'est",
"il est"), and before an infinitive or a participle alone ("Le but est de partir tôt").
Written from the tuning part's injected et/est misses read as a class; tested on sentences
written for tests/canned_replies/test_step44_et_est.py.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, DETERMINERS, Token, _finding, _same_case
from canned_replies.homophones import CLAUSE_BREAKS, _numeral, run_rules
from canned_replies.inversion_hyphen import SUBJECT_CLITICS
from canned_replies.noun_phrases import plain

# What opens the item after "est": a determiner, a preposition (or a number, read apart).
_ITEM_OPENERS = (DETERMINERS - {"leur"}) | {"à", "au", "aux", "de", "d'", "du", "des", "pour",
                                            "en", "chez", "avec", "sur", "dans", "par"}  # fmt: skip
# Words before "est" in its clause that make it a relative's, a subordinate's or a question's
# verb, whose main verb may come after.
_NOT_MAIN = {"qui", "que", "qu'", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles",
             "quand", "lorsque", "lorsqu'", "si", "s'", "comme", "puisque", "puisqu'", "quoi",
             "quel", "quelle", "quels", "quelles", "comment", "pourquoi", "combien", "parce",
             "tandis"}  # fmt: skip
# Words that stop the reading after "est": a new clause or a question word ("s'" is read as
# the pronoun of a verb: "s'il" stops at "il").
_STOPS = CLAUSE_BREAKS - {"(", ")", "-", "pendant", "avant", "s'"} | SUBJECT_CLITICS | {
    "comment", "pourquoi", "combien", "quel", "quelle", "quels", "quelles", "lequel",
    "laquelle", "lesquels", "lesquelles", ";", ":", ".", "!", "?", "…", "...", "ça", "cela",
    "ceci", "c'", "ce", "j'", "voici", "voilà", "alors", "puis", "ensuite",
}  # fmt: skip
# Finite forms of "être", "avoir" and the modals, read as verbs whatever else they are.
_AUXILIARIES = {"est", "sont", "a", "ont", "était", "étaient", "sera", "seront", "avait",
                "avaient", "fut", "furent", "peut", "peuvent", "doit", "doivent", "va", "vont",
                "sont-ils", "semble", "semblent", "reste", "restent"}  # fmt: skip
# Saying and thinking verbs take a clause without "que" in chat ("je pense le prix est…").
_SAYING = (
    r">(?:penser|croire|trouver|dire|savoir|espérer|sembler|paraître|imaginer|supposer|avouer"
    r"|voir|confirmer|préciser|indiquer|rappeler|signaler|répondre|écrire|expliquer)/"
)


def _finite(sentence: list[Token], j: int) -> bool:
    """A finite verb at j: "être", "avoir", a modal or a verb of state, not after a determiner
    (a noun: "le reste"). Other verbs are left: in chat, a sentence run on without its stop
    puts one after an attribute ("la france est un pays … observe la langue")."""
    token = sentence[j]
    if token.kind != "word" or token.text[:1].isupper() or "_" in token.text:
        return False
    if j > 0 and sentence[j - 1].low in DETERMINERS - {"d'", "de"}:
        return False
    return token.text in _AUXILIARIES


def _main_clause(sentence: list[Token], i: int) -> bool:
    """ "est" at i is in a main clause: no relative, subordinate or question word before it
    since the last comma, and no verb of saying before it in the sentence."""
    for t in reversed(sentence[:i]):
        if t.text in {",", ";", ":", "(", ")"}:
            break
        if t.low in _NOT_MAIN:
            return False
    return not any(t.has(_SAYING) for t in sentence[:i] if t.kind == "word")


_PRONOUNS = SUBJECT_CLITICS | {"ce", "ça", "cela", "ceci", "qui", "tout", "rien"}


def rule_est_then_verb(sentence: list[Token]) -> Iterator[Finding]:
    """ "les effets sur l'aptitude à conduire des véhicules est à utiliser des machines n'ont
    pas été étudiés" → "et": "est", a second item, then the clause's finite verb."""
    for i, token in enumerate(sentence[1:-2], start=1):
        if token.text != "est":
            continue
        prev, nxt = sentence[i - 1], sentence[i + 1]
        if prev.kind != "word" or prev.low in _PRONOUNS:
            continue
        if nxt.low not in _ITEM_OPENERS and not _numeral(nxt):
            continue
        if not _main_clause(sentence, i):
            continue
        depth = 0
        for j in range(i + 2, min(len(sentence), i + 18)):
            t = sentence[j]
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth -= 1
            if depth or t.text in {"(", ")"}:
                continue  # a bracket inside the item ("(P1NP)")
            if t.low in _STOPS or (t.kind == "punct" and t.text not in {"%", "/", "°"}):
                break
            if t.kind == "word" and not t.morphs and t.text.islower():
                break  # a word the dictionary lacks: a slip or a chat spelling, not read past
            if _finite(sentence, j):
                yield _finding(
                    token,
                    f"Confusion : « {t.text} » est le verbe de la proposition, ici la "
                    "conjonction « et ».",
                    ["et"],
                    "et_second_verbe",
                )
                break


# After "est" opening a sentence, what opens a new clause: "… est quand je me suis retourné".
_CLAUSE_OPENERS = {"quand", "lorsque", "lorsqu'", "puis", "ensuite", "après", "alors", "comme",
                   "puisque", "puisqu'", "pourtant", "surtout", "maintenant", "merci",
                   "je", "j'", "tu", "nous", "vous", "ils", "elles", "on"}  # fmt: skip


def rule_est_opening(sentence: list[Token]) -> Iterator[Finding]:
    """ "Je me suis éloigné un peu... est quand je me suis retourné" → "et": "est" cannot
    open a sentence (an inversion takes a hyphen, "Est-ce"; "l'Est" has its article)."""
    if len(sentence) < 3 or sentence[0].low != "est" or sentence[1].low not in _CLAUSE_OPENERS:
        return
    yield _finding(
        sentence[0],
        "Confusion : une nouvelle proposition commence, la conjonction « et ».",
        [_same_case(sentence[0].text, "et")],
        "et_debut_phrase",
    )


def rule_est_bare_plural_noun(sentence: list[Token]) -> Iterator[Finding]:
    """ "commissions est rétrocommissions", "théorie des contextes est relations
    internationales" → "et": after a plural noun, "est" then a plural noun without a
    determiner; an attribute noun takes one ("le problème est les délais"), a plural adjective
    after "est" may want "sont" ("Mes enfants est adolescents"), and after a singular noun
    the plural may be a misspelt adverb ("Votre colis est prés de…": "près"): only nouns."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.text != "est":
            continue
        before, word = sentence[i - 1], sentence[i + 1]
        if (
            before.kind != "word"
            or not before.has(r":N.*:p")
            or before.has(r":N.*:[si]|" + _CONJUGATED.pattern)
        ):
            continue  # two plural nouns: "Votre colis est prés de…" is "près"
        if (
            not plain(word)
            or not word.has(r":N.*:p")
            or word.has(r":N.*:[si]|:[AQYGWM]")  # "relations" is also a verb, never after "est"
        ):
            continue
        yield nouns_joined(token)


def nouns_joined(token: Token) -> Finding:
    """The finding on an "est" that joins two nouns: "et"."""
    return _finding(
        token,
        "Confusion : deux noms coordonnés, la conjonction « et ».",
        ["et"],
        "et_noms_coordonnes",
    )


RULES = [rule_est_bare_plural_noun, rule_est_then_verb, rule_est_opening]


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, RULES)
