"""Grammar findings' suggestions ordered by what the clause asks (issue 19, first suggestion).

Grammalecte proposes one form per finding, chosen without the rest of the clause: the
masculine plural for "mes soeurs sont venu" ("venus"), the masculine for "elle est aller"
("allé"), the written tense at another person for "vous pouvais" ("pouvait"), the adjective
"sûrs" for "10 patients sûr 100". Here:

- a participle or attribute takes the gender and number the subject or auxiliary asks
  (suggestion_agreement.asks), added when Grammalecte did not list it ("venues");
- a verb after a subject pronoun takes the pronoun's person, and of its tenses the one that
  sounds like what was typed ("tu devrai" → "devrais", "il semblerai" → "semblerait", "vous
  pourrais" → "pourrez"): conjugation slips are written by ear; "nous" and "vous" are read as
  subjects after a comma or a clause opener too ("Bonjour, vous pouvais…");
- an agreed "sûr" before a determiner or a number is the preposition "sur", an agreed "peut"
  before an adverb or a participle is "peu";
- an imperative joined to its pronoun and written "-er"/"-é" is the "vous" form, which sounds
  as typed ("Envoyer-nous" → "Envoyez-nous", not Grammalecte's reflexive "Envoyons-nous");
- "tout" before a determiner takes the noun phrase's gender and number ("toute les soirs" →
  "tous", tout_phrase).

Ordering only: whether a finding blocks never depends on it.
"""

from __future__ import annotations

import re

from canned_replies import suggestion_agreement, tout_phrase
from canned_replies.french_words import RARE_READING, verb_lemmas
from canned_replies.grammalecte_engine import engine, is_valid_word, morphs
from canned_replies.sounds import sound
from canned_replies.subject_pronoun import subject_person
from canned_replies.typo_channel import slip_cost
from canned_replies.unknown_words import zipf

_TENSES = (":Ip", ":Iq", ":If", ":K", ":Sp")
_PARTICIPLE_RULE = re.compile(r"\.(?:gv1__)?ppas_|vigie\.accord_participe")
_VERB_RULE = re.compile(r"grammalecte\.(?:conj|infi)\.|vigie\.conj_")
_DE = frozenset({"de", "d'", "du", "des"})
_NEXT = re.compile(r"[\s\u00a0\u202f]*([^\W_]+['’]?)")


def _spoken(word: str) -> str:
    """The sound of a verb form without its silent final letters, "é" and "è" merged: the
    endings writers swap ("pouvais"/"pouvez", "semblerai"/"semblerait")."""
    return sound(word.lower()).rstrip("stxd").replace("E", "e")


def _person_forms(word: str, person: str) -> list[str]:
    """Forms of the verbs `word` may be, at `person`, in the common tenses."""
    conj = engine().conj
    lemmas = {m[1 : m.index("/")] for m in morphs(word) if ":V" in m and "/" in m}
    forms: list[str] = []
    for lemma in sorted(lemmas):
        if not conj.isVerb(lemma):
            continue
        for tense in _TENSES:
            form = conj.getConj(lemma, tense, person)
            if form and form not in forms:
                forms.append(form)
    return forms


def _by_subject_person(text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    # Not past an elision ("qu'il", "s'il"): after "qu'" the subjunctive is as likely.
    person = subject_person(text, start, after_elision=False)
    if person is None:
        return suggestions
    word = text[start:end]
    if word.lower() in {"a", "as", "est", "es", "ai", "et", "ni", "n'", "y"}:
        return suggestions  # short homophones: their own rules decide
    if any(":Y" in m for m in morphs(word)):
        return suggestions  # "Il faire beau": a whole form typed, not an ending heard
    own = [s for s in suggestions if any(":V" in m and person in m for m in morphs(s))]
    generated = [f for f in _person_forms(word, person) if f != word.lower()]
    heard = _spoken(word)
    alike = [f for f in [*own, *generated] if _spoken(f) == heard]
    if not alike:
        return suggestions
    best = min(alike, key=lambda f: slip_cost(word, f))  # first of the equals: Grammalecte's
    if suggestions and best == suggestions[0]:
        return suggestions
    return [best, *(s for s in suggestions if s != best)]


def _variants(form: str) -> list[str]:
    """The four forms of an adjective or participle, from one of them ("venus" → "venu",
    "venue", "venus", "venues")."""
    low = form.lower()
    base = re.sub(r"(?:es|e|s)$", "", low) if re.search(r"[éiu]e?s?$|[^e]e?s$", low) else low
    found = []
    for candidate in (base, base + "e", base + "s", base + "es", low):
        described = is_valid_word(candidate) and any(
            re.search(r":[AQ]", m) for m in morphs(candidate)
        )
        if described and candidate not in found:
            found.append(candidate)
    return found


def _by_agreement(text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    fits = suggestion_agreement.asks(text, start)
    if fits is None or not suggestions:
        return suggestions
    if fits(suggestions[0]):
        return suggestions
    pool = list(dict.fromkeys([*suggestions, *(v for s in suggestions for v in _variants(s))]))
    typed = text[start:end].lower()
    right = [
        c
        for c in pool
        if c.lower() != typed and fits(c) and any(re.search(r":[AQ]", m) for m in morphs(c))
    ]
    if not right:
        return suggestions
    return [*right, *(s for s in suggestions if s not in right)]


def _other_class(text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    word = text[start:end].lower()
    following = _NEXT.match(text, end)
    nxt = following.group(1).lower().replace("’", "'") if following is not None else ""
    found = morphs(nxt) if nxt.isalpha() else ()
    # A determiner (not "de", which "sûr" governs: "sûr de lui"), a number or a name cannot
    # follow the adjective "sûr" ("sûr la table", "10 sûr 100").
    if word in {"sûr", "sûrs", "sûre", "sûres"} and (
        nxt[:1].isdigit()
        or nxt == "l'"
        or (nxt not in _DE and any(re.search(r":D|:M", m) for m in found))
    ):
        return ["sur", *(s for s in suggestions if s != "sur")]
    # An adverb or a participle after "peut", no infinitive: the adverb "peu" ("a peut
    # progressé", "été peut fréquemment").
    if (
        word == "peut"
        and found
        and all(re.search(r":W|:Q|:A", m) and not re.search(r":Y", m) for m in found)
    ):
        return ["peu", *(s for s in suggestions if s != "peu")]
    return suggestions


_IMPERATIVE_SLIP = re.compile(
    r"([^\W\d_]+?)(?:er|é|ée|és|ai|ais|ait)-(nous|moi|le|la|les|lui|leur|en|y)", re.IGNORECASE
)


def _imperative(text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    """ "Envoyer-nous", "contacté-nous", "Donner-le": the imperative of "vous", which sounds as
    typed ("Envoyez-nous"), not Grammalecte's "Envoyons-nous" (with "nous", a reflexive) nor
    "Donne-le" (another sound)."""
    found = _IMPERATIVE_SLIP.fullmatch(text[start:end])
    if found is None:
        return suggestions
    verb = found.group(1) + "ez"
    if not any(":E" in m and ":2p" in m for m in morphs(verb.lower())):
        return suggestions
    fix = f"{verb}-{found.group(2)}"
    return [fix, *(s for s in suggestions if s != fix)]


def _tout(text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    """ "toute les soirs": the form of "tout" the noun phrase after it asks ("tous"), not
    Grammalecte's, which keeps the typed gender ("toutes")."""
    word = text[start:end]
    if word.lower() not in tout_phrase.FORMS.values():
        return suggestions
    form = tout_phrase.agreed_at(text, end)
    if form is None or form == word.lower():
        return suggestions
    fix = word[:1] + form[1:]
    return [fix, *(s for s in suggestions if s != fix)]


# Words that may stand between an auxiliary and its attribute or participle.
_AFTER_AUXILIARY = frozenset({"pas", "plus", "jamais", "toujours", "guère", "point", "encore",
                              "déjà", "bien", "très", "vraiment", "trop", "aussi",
                              "même"})  # fmt: skip
_ETRE_VERB = re.compile(r":V\d_.{5}e")


def _ai_without_je(text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    """ "le code n'ai valable", "le colis ai arrivé": "ai" with no "je" is "est" before an
    adjective or the participle of a verb built with "être", "a" before another participle
    ("le client n'ai pas reçu"); Grammalecte proposes "ait" first."""
    word = text[start:end]
    if word.lower() != "ai":
        return suggestions
    k = end
    nxt = ""
    for _ in range(4):
        following = _NEXT.match(text, k)
        if following is None:
            return suggestions
        nxt, k = following.group(1).lower(), following.end()
        if nxt not in _AFTER_AUXILIARY:
            break
    found = morphs(nxt) if nxt.isalpha() else ()
    if not found or any(re.search(r":[NGWRDY]|:V[^/]*:(?:I|K|S)", m) for m in found):
        return suggestions  # a noun, a grammatical word, an infinitive or a conjugated verb
    participles = [m for m in found if ":Q" in m]
    if not participles:
        fix = "est" if all(":A" in m for m in found) else None
    elif all(_ETRE_VERB.search(m) for m in participles):
        fix = "est"
    elif not any(_ETRE_VERB.search(m) for m in participles):
        fix = "a"
    else:
        fix = None
    if fix is None:
        return suggestions
    fix = word[:1] + fix[1:] if word[:1].isupper() else fix
    return [fix, *(s for s in suggestions if s != fix)]


_WHO = (":m:s", ":f:s", ":m:p", ":f:p")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)['’]?[\s\u00a0\u202f]*$")


def _participle_heard(text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    """A 1st or 2nd person form with no subject that sounds like the participle of its verb
    ("le satellite envoyai dans l'espace", "a étais acceptée", "des effets non mentionnes")
    is that participle written by ear, not Grammalecte's 3rd person ("envoyait"): a verb
    ending heard as "é" is spelled -ai, -ais, -es or -é alike. Its gender and number are what
    the clause asks (suggestion_agreement), else the typed ending's ("-es": plural, "-ais":
    masculine singular)."""
    word = text[start:end]
    if not word.islower() or any(":Y" in m or ":Q" in m for m in morphs(word)):
        return suggestions
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is None or subject_person(text, start) is not None:
        return suggestions
    # After an auxiliary, a noun or an adjective; not after a pronoun, "qui" or "que", whose
    # verb it may be ("qui corriges", "l'équipe vous remercies").
    found = morphs(before.group(1))
    if not found or any(":Pro" in m or ":G" in m for m in found):
        return suggestions
    if not any(re.search(r"^>(?:avoir|être)/:V|:[NA]", m) for m in found):
        return suggestions
    conj = engine().conj
    heard = _spoken(word).rstrip("p")
    lemmas = sorted(verb_lemmas(word))
    forms = [
        form
        for lemma in lemmas
        if conj.isVerb(lemma)
        for who in _WHO
        for form in [conj.getConj(lemma, ":Q", who)]
        if form and form != word and _spoken(form).rstrip("fp") == heard
    ]
    if not forms:
        return suggestions
    fits = suggestion_agreement.asks(text, start)
    right = [f for f in forms if fits(f)] if fits is not None else []
    if not right:
        plural = word.endswith(("es", "és"))
        right = [f for f in forms if f.endswith("s") == plural and not f.endswith(("e", "es"))]
    if not right:
        return suggestions
    best = right[0]
    return [best, *(s for s in suggestions if s != best)]


def _common_verbs_first(suggestions: list[str]) -> list[str]:
    """Forms only of a verb far rarer than another suggestion's verb go last ("Qui étés…":
    Grammalecte's "étaie" of "étayer" after "étaient" of "être"; french_words.RARE_READING)."""
    if len(suggestions) < 2:
        return suggestions
    verbs = {s: verb_lemmas(s) for s in suggestions}
    if not all(verbs.values()):
        return suggestions
    top = max(zipf(lemma) for lemmas in verbs.values() for lemma in lemmas)
    rare = [
        s
        for s, lemmas in verbs.items()
        if all(zipf(lemma) < top - RARE_READING for lemma in lemmas)
        and not any(re.search(r":[NAQ]", m) for m in morphs(s))
    ]
    if not rare or len(rare) == len(suggestions):
        return suggestions
    return [*(s for s in suggestions if s not in rare), *rare]


def ordered(rule: str, text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    """A grammar finding's suggestions with what the clause asks first (see the module)."""
    return _ordered(rule, text, start, end, _common_verbs_first(suggestions))


def _ordered(rule: str, text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    tout = _tout(text, start, end, suggestions)
    if tout is not suggestions:
        return tout
    imperative = _imperative(text, start, end, suggestions)
    if imperative is not suggestions:
        return imperative
    other = _other_class(text, start, end, suggestions)
    if other is not suggestions:
        return other
    if _PARTICIPLE_RULE.search(rule):
        return _by_agreement(text, start, end, suggestions)
    if _VERB_RULE.search(rule):
        ai = _ai_without_je(text, start, end, suggestions)
        if ai is not suggestions:
            return ai
        if "sans_sujet" in rule:
            heard = _participle_heard(text, start, end, suggestions)
            if heard is not suggestions:
                return heard
        return _by_subject_person(text, start, end, suggestions)
    return suggestions
