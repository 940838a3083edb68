"""A form in -ez where the infinitive is due: after a verb or a preposition, with no "vous";
and any participle or finite form right after "aller", "pouvoir", "vouloir", "devoir",
"falloir" ("je vais finis", "vous pouvez nous écrit" → "finir", "écrire": Grammalecte reads
only the -é/-ez forms there; rule_form_after_modal).

"Je n'ai pas osé lui demandez", "il va falloir recrutez", "aller me promenez", "elle ne peut
pas autant marchez" → "demander", "recruter", "promener", "marcher". A form in -ez needs the
subject "vous" (or is an imperative, which opens its clause): when no "vous" comes before it
in the sentence and it follows a verb (its object pronouns and adverbs between) or "de", "à",
"pour", "sans", "par", it is the infinitive. Grammalecte catches it right after a modal; the
pronouns and adverbs in between hide it there.

Quiet when a subordinate clause opens the sentence ("Quand il arrive appelez-moi": an
imperative after a clause without its comma) and after "et"/"ou"/a comma (imperatives in a
row: "Partez, prenez…"). Measured on mistakes injected into the tuning part's sentences
(benchmarks/bench_proofread_synthetic.py --kinds -er/-é/-ez) and for precision on the clean
sentences (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import _CONJUGATED, CLITICS, Token, _finding
from canned_replies.french_words import relative_que_before, run_rules
from canned_replies.grammalecte_engine import engine, infinitives, morphs
from canned_replies.noun_phrases import plain

_PREPOSITIONS = {"de", "d'", "à", "pour", "sans", "par"}
# Adverbs that sit between a verb and the infinitive it governs.
_ADVERBS = {
    "pas", "plus", "jamais", "rien", "bien", "mal", "autant", "beaucoup", "trop", "vraiment",
    "encore", "toujours", "déjà", "aussi", "vite", "peu", "tant", "même", "souvent", "point",
}  # fmt: skip
# Verbs followed by a bare infinitive ("il va falloir recruter", "je n'ai pas osé demander").
_TAKES_INFINITIVE = (
    r">(?:aller|venir|pouvoir|vouloir|devoir|falloir|savoir|oser|aimer|adorer|préférer"
    r"|espérer|compter|faire|laisser|sembler|souhaiter|désirer|détester|voir|entendre"
    r"|sentir|regarder|écouter|envoyer|partir|courir|rentrer|descendre|monter|sortir"
    r"|pouvoir|daigner|affirmer|penser|croire|prétendre|avouer)/"
)
# A clause these open may end without its comma before an imperative ("Si tu veux venez").
_OPENERS = {"si", "s'", "quand", "lorsque", "lorsqu'", "comme", "puisque", "puisqu'", "dès"}


def _ez_form(token: Token) -> bool:
    """A first-group form in -ez that is only a verb ("demandez", not "nez", "chez")."""
    return (
        plain(token)
        and token.low.endswith("ez")
        and token.low not in {"allez", "avez", "êtes"}
        and token.only(r":V1.*:(?:Ip|E|Sp|If|Iq):2p|:V1.*:(?:Ip|E):2p")
    )


def _governs_infinitive(token: Token) -> bool:
    """A verb form (finite, infinitive or participle) or a preposition before an infinitive."""
    if token.low in _PREPOSITIONS:
        return True
    if plain(token) and token.has(r":V[0-3].*:Y"):
        return True  # "aller", "devoir" are nouns too
    return plain(token) and token.has(r":V[0-3]") and not token.has(r":[NGWRD]")


_OTHER_SUBJECTS = {"je", "j'", "tu", "il", "elle", "on", "nous", "ils", "elles"}


def _vous_before(sentence: list[Token], i: int) -> bool:
    """ "vous" before the form, with no other subject pronoun between ("si vous me donnez un
    emploi, il va falloir recrutez": "il" is the subject of the clause that holds it)."""
    for token in reversed(sentence[:i]):
        if token.low in {"vous", "vous-même", "vous-mêmes"} or token.low.endswith("-vous"):
            return True
        if token.low in _OTHER_SUBJECTS:
            return False
    return False


def rule_ez_after_verb(sentence: list[Token]) -> Iterator[Finding]:
    """ "il va falloir recrutez" → "recruter"."""
    for i, token in enumerate(sentence[1:], start=1):
        if not _ez_form(token):
            continue
        if _vous_before(sentence, i):
            continue
        k = i - 1
        while k > 0 and (sentence[k].low in CLITICS or sentence[k].low in _ADVERBS):
            k -= 1
        before = sentence[k]
        if not _governs_infinitive(before) or before.low in {"et", "ou"}:
            continue
        if before.low not in _PREPOSITIONS and not before.has(_TAKES_INFINITIVE):
            continue  # "ils le disent renseignez-vous": an imperative after a clause
        finite = before.has(_CONJUGATED.pattern)
        if finite and any(t.low in _OPENERS for t in sentence[:k]):
            continue  # "Quand il arrive appelez-moi": an imperative after a clause
        infinitive = token.text[:-2] + "er"
        if not engine().speller.isValid(infinitive):
            continue
        yield _finding(
            token,
            f"Après « {before.text} », l’infinitif : « {infinitive} » (pas de sujet « vous »).",
            [infinitive],
            "infinitif_ez",
        )


# Finite forms of the verbs that take a bare infinitive and nothing else in that place.
_MODALS = {
    "vais", "vas", "va", "allons", "allez", "vont", "allais", "allait", "allions", "alliez",
    "allaient", "irai", "iras", "ira", "irons", "irez", "iront", "irais", "irait", "irions",
    "iriez", "iraient",
    "peux", "peut", "pouvons", "pouvez", "peuvent", "pouvais", "pouvait", "pouvions",
    "pouviez", "pouvaient", "pourrai", "pourras", "pourra", "pourrons", "pourrez", "pourront",
    "pourrais", "pourrait", "pourrions", "pourriez", "pourraient",
    "veux", "veut", "voulons", "voulez", "veulent", "voulais", "voulait", "voulions",
    "vouliez", "voulaient", "voudrai", "voudras", "voudra", "voudrons", "voudrez", "voudront",
    "voudrais", "voudrait", "voudrions", "voudriez", "voudraient",
    "dois", "doit", "devons", "devez", "doivent", "devais", "devait", "devions", "deviez",
    "devaient", "devrai", "devras", "devra", "devrons", "devrez", "devront", "devrais",
    "devrait", "devrions", "devriez", "devraient",
    "faut", "fallait", "faudra", "faudrait",
}  # fmt: skip


# Adverbs between the modal and its infinitive; not "bien", "mieux", "beaucoup": they may
# complete the modal ("tout va bien mentent", "je dois beaucoup").
_MODAL_ADVERBS = {"pas", "plus", "jamais", "vraiment", "encore", "toujours", "déjà", "aussi",
                  "même", "point", "enfin"}  # fmt: skip


def _not_infinitive(token: Token) -> bool:
    """A verb form that is a participle or a finite form, not the infinitive, nor a noun,
    adjective, adverb or preposition of its own ("fini", "prend"; not "bien", "café", "vu")."""
    if not plain(token) or not token.has(r":V[1-3]") or token.has(r":Y|:[GWRD]"):
        return False
    if token.has(r":Q"):
        return True  # "parti", "écrit": nouns too, but a participle is read first here
    return token.has(_CONJUGATED.pattern) and not token.has(r":[NA]")


def rule_form_after_modal(sentence: list[Token]) -> Iterator[Finding]:
    """ "je vais finis", "tu peux prend", "vous pouvez nous écrit", "il doit parti" → the
    infinitive: after "aller", "pouvoir", "vouloir", "devoir", "falloir" (past "ne", "pas",
    object pronouns) the verb is an infinitive. Quiet after an opening clause ("si tu veux
    viens": an imperative without its comma) and after "va"/"allez" opening the clause."""
    for i, token in enumerate(sentence[:-1]):
        if token.low not in _MODALS:
            continue
        if token.low in {"va", "vas", "allez"} and (i == 0 or sentence[i - 1].kind == "punct"):
            continue  # "Allez fais un effort": an interjection
        k = i + 1
        while k < len(sentence) and sentence[k].low in CLITICS | _MODAL_ADVERBS:
            k += 1
        if k >= len(sentence) or not _not_infinitive(sentence[k]):
            continue
        word = sentence[k]
        if word.has(r":E") and any(t.low in _OPENERS for t in sentence[:i]):
            continue
        if relative_que_before(sentence, i):
            continue  # "ce que je veux dit beaucoup": the modal ends a relative clause
        fixes = [f for f in infinitives(word.text) if f != word.low]
        if fixes:
            yield _finding(
                word,
                f"Après « {token.text} », l’infinitif : « {fixes[0]} ».",
                fixes,
                "infinitif_apres_modal",
            )


RULES = [rule_ez_after_verb, rule_form_after_modal]


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, RULES)


_WORD_BEFORE = re.compile(r"([\w-]+['’]?)\s*$")
_SUBJECTS = {"je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "qui"}
# Words after which a clause, and so its subject, starts.
_CLAUSE_OPENERS = {"que", "qu'", "si", "s'", "quand", "lorsque", "lorsqu'", "puisque",
                   "puisqu'", "comme", "et", "mais", "ou", "car", "donc"}  # fmt: skip


def infinitive_first(text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    """Grammalecte's suggestions for a first-group form in -é/-ez where the infinitive is due
    put the infinitive first: "de gagnez" → "gagner" (not "gagne"), "comment me retiré",
    "va bien se passé" → "retirer", "passer" (not "retire"). Due after a preposition, or
    after object pronouns that no subject pronoun precedes ("je me retiré" keeps "retire")."""
    word = text[start:end]
    if not re.fullmatch(r"[a-zàâçéèêëîïôûù]+(?:é|ée|és|ées|ez)", word):
        return suggestions
    infinitive = re.sub(r"(?:é|ée|és|ées|ez)$", "er", word)
    if infinitive not in suggestions and not engine().speller.isValid(infinitive):
        return suggestions
    position = start
    skipped: list[str] = []
    while True:
        match = _WORD_BEFORE.search(text, 0, position)
        if match is None:
            return suggestions
        before = match.group(1).lower().replace("’", "'")
        if before in CLITICS - {"ne", "n'"} and len(skipped) < 3:
            skipped.append(before)
            position = match.start()
            continue
        break
    if before in _PREPOSITIONS and skipped and skipped[-1] in {"le", "la", "les", "l'"}:
        return suggestions  # "à l'intéressé": an article and a noun
    if (
        skipped
        and set(skipped) <= {"le", "la", "les", "l'"}
        and any(":N" in m for m in morphs(word))
    ):
        return suggestions  # "convaincu les député": an article and a noun
    if word.endswith("ez") and skipped[-1:] == ["vous"] and before in _CLAUSE_OPENERS:
        return suggestions  # "que vous m'envoyez": "vous" is the subject ("envoyiez")
    if before in _PREPOSITIONS or (skipped and before not in _SUBJECTS):
        return [infinitive, *(s for s in suggestions if s != infinitive)]
    return suggestions
