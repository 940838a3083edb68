"""A past participle after "avoir" agrees only with a direct object placed before it.

"Tu en as lue ?", "sur quoi tu as écrite ?", "j'y ai passée la nuit" → "lu", "écrit",
"passé": after a subject pronoun and "avoir" (with "en", "y", "ne" between), with nothing
before that could be the object ("que", "combien", "quel…", an object pronoun: "je les ai
vues"), the participle stays masculine singular. Grammalecte catches the plain cases ("tu
as écrite") but not with "en"/"y" between, nor after a question word. Quiet when the
participle is also a noun ("j'ai vue sur la mer", "il a prise sur…").

Measured on participles injected into the tuning part's chat sentences
(benchmarks/bench_proofread_synthetic.py --source diabla --kinds participle) and for precision
on the clean sentences (benchmarks/bench_proofread.py --rules).
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import Token, _finding
from canned_replies.french_words import _skip, run_rules
from canned_replies.grammalecte_engine import engine, morphs
from canned_replies.noun_phrases import agreed_forms, plain

_SUBJECTS = {"je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"}
_AVOIR = {"ai", "as", "a", "avons", "avez", "ont", "avais", "avait", "avions", "aviez",
          "avaient", "aurai", "auras", "aura", "aurons", "aurez", "auront", "aurais", "aurait",
          "aurions", "auriez", "auraient", "eu", "eus", "eut"}  # fmt: skip
# Anything that may be a direct object placed before the verb.
_OBJECT_BEFORE = {
    "que", "qu'", "combien", "quel", "quelle", "quels", "quelles", "lequel", "laquelle",
    "lesquels", "lesquelles", "l'", "la", "les", "le", "me", "m'", "te", "t'", "se", "s'",
}  # fmt: skip
_BETWEEN = {"ne", "n'", "en", "y"}
_ADVERBS = {"bien", "déjà", "pas", "jamais", "plus", "toujours", "vraiment", "enfin", "tout",
            "aussi", "encore", "beaucoup", "trop", "peu", "mal"}  # fmt: skip


def agreed_participle_at(
    sentence: list[Token], k: int, adverbs: set[str], *, noun_too: bool
) -> int | None:
    """Index of the participle at `k` (after the `adverbs` there) when it is feminine or plural:
    what a participle after "avoir" may not be unless its object comes before. `noun_too`
    keeps words that are also nouns ("vue", "prise"): only a caller that sees the object
    after them may read them as participles."""
    while k < len(sentence) and sentence[k].low in adverbs:
        k += 1
    if k >= len(sentence):
        return None
    participle = sentence[k]
    if not plain(participle) or not participle.has(r":V[0-3].*:Q"):
        return None
    # masculine singular already, or invariable
    if participle.has(r":Q:A:[me]:[si]|:Q:[me]:[si]|:Q:A:e:i|:Q:e:i"):
        return None
    if not noun_too and participle.has(r":N"):
        return None
    if not participle.has(r":Q(?::A)?(?::1ŝ)?:(?:f:[si]|[mfe]:p)"):
        return None
    return k


def masculine_singular(word: Token) -> list[str]:
    """Grammalecte's masculine singular participles for `word`, the word itself left out."""
    fixes = (engine().functions.suggVerbPpas(word.text, ":m:s") or "").split("|")
    fixes = [f for f in fixes if f and f != word.text]
    # the participle of the same verb first: "prise" → "pris" before "prisé" (priser)
    verbs = {m.split("/")[0] for m in word.morphs if ":Q" in m}
    return sorted(fixes, key=lambda f: not verbs & {m.split("/")[0] for m in morphs(f)})


def rule_participle_after_avoir(sentence: list[Token]) -> Iterator[Finding]:
    """ "Tu en as lue ?" → "lu"."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.low not in _AVOIR:
            continue
        j = i - 1
        while j >= 0 and sentence[j].low in _BETWEEN:
            j -= 1
        if j < 0 or sentence[j].low not in _SUBJECTS:
            continue
        if (sentence[j].low, token.low[-2:]) in {("nous", "ez"), ("vous", "ns")} or (
            sentence[j].low in {"nous", "vous"} and not token.low.endswith(("ns", "ez"))
        ):
            continue  # "des gens bien nous ont aidés": "nous" is the object, not the subject
        if token.low == "a" and sentence[i - 1].low == "y":
            continue  # "il y a"
        if any(t.low in _OBJECT_BEFORE for t in sentence[:j]):
            continue
        if j >= 1 and sentence[j - 1].low in {"nous", "vous"}:
            continue  # "il nous a vues": an object pronoun before the subject's verb
        k = agreed_participle_at(sentence, i + 1, _ADVERBS, noun_too=False)
        if k is None:
            continue
        participle = sentence[k]
        fixes = masculine_singular(participle)
        if not fixes:
            continue
        yield _unagreed(participle, fixes)


_QUEL = {"quel", "quelle", "quels", "quelles"}
_AVOIR_PLURAL = {"ont", "avaient", "auront", "auraient", "eurent"}


def _unagreed(participle: Token, fixes: list[str]) -> Finding:
    return _finding(
        participle,
        f"Accord : après « avoir », le participe ne s’accorde qu’avec un complément d’objet "
        f"placé avant ; ici « {fixes[0]} ».",
        fixes,
        "participe_avoir",
    )


def quel_phrase_is_not_subject(sentence: list[Token], avoir: Token) -> bool:
    """ "Quelles lettres a reçues le client ?": a "quel" phrase whose number is not the verb's
    is its object, and the subject comes after the verb."""
    if not sentence or sentence[0].low not in _QUEL:
        return False
    return (avoir.low in _AVOIR_PLURAL) != sentence[0].low.endswith("s")


def rule_quel_subject_avoir(sentence: list[Token]) -> Iterator[Finding]:
    """ "Quel client a appelée ce matin ?" → "appelé": "quel" + a noun right before "avoir" is
    its subject (the object would invert: "Quelle lettre a-t-il écrite ?")."""
    if len(sentence) < 4 or sentence[0].low not in _QUEL:
        return
    j = 1
    while (
        j < len(sentence)
        and sentence[j].low not in _AVOIR
        and plain(sentence[j])
        and sentence[j].has(r":[NA]")
    ):
        j += 1
    if j == 1 or j >= len(sentence) - 1 or sentence[j].low not in _AVOIR:
        return
    if not sentence[1].has(r":N"):
        return
    if quel_phrase_is_not_subject(sentence, sentence[j]):
        return
    k = agreed_participle_at(sentence, j + 1, _ADVERBS, noun_too=False)
    if k is None:
        return
    participle = sentence[k]
    fixes = masculine_singular(participle)
    if fixes:
        yield _unagreed(participle, fixes)


# Participles that stay invariable before an infinitive ("je les ai fait réparer").
_CAUSATIVES = {"fait", "laissé"}


def rule_les_before_avoir(sentence: list[Token]) -> Iterator[Finding]:
    """ "Je les ai vu hier", "on les a attendu longtemps" → "vus", "attendus": the object
    pronoun "les" before "avoir" makes the participle plural (masculine first: the gender
    is not known). Quiet before an infinitive ("je les ai vu partir")."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.low not in _AVOIR or token.low == "eu" or sentence[i - 1].low != "les":
            continue
        k = _skip(sentence, i + 1, _ADVERBS)
        if k >= len(sentence):
            continue
        participle = sentence[k]
        if not plain(participle) or not participle.has(r":V[0-3][^/]*:Q"):
            continue
        if not participle.has(r":Q(?::A)?:[me]:s") or participle.has(r":[pi](?:/|$)"):
            continue  # already plural, or "pris", "mis": the same in both numbers
        after = sentence[k + 1] if k + 1 < len(sentence) else None
        if participle.low in _CAUSATIVES or (after is not None and after.has(r":Y")):
            continue
        # masculine first, each in agreed_forms' fixed order (Grammalecte's varies by process)
        fixes = agreed_forms(participle, {"m"}, {"p"}) + agreed_forms(participle, {"f"}, {"p"})
        if fixes:
            yield _finding(
                participle,
                "Accord : le complément « les », placé avant « avoir », met le participe au "
                "pluriel.",
                list(dict.fromkeys(fixes)),
                "participe_avoir_les",
            )


RULES = [rule_participle_after_avoir, rule_quel_subject_avoir, rule_les_before_avoir]


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph."""
    return run_rules(text, RULES)
