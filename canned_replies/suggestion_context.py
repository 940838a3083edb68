"""What the words before an unknown word ask of its correction: a plural noun after "mes" or
a number, a singular one after "la", an infinitive after "pour" or a modal verb, not a
conjugated verb after an auxiliary. Used to rank spelling suggestions (typo_channel)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from canned_replies import french_rules, suggestion_agreement, suggestion_neighbours
from canned_replies.grammalecte_engine import morphs, suggest_spelling
from canned_replies.subject_pronoun import CLAUSE_PERSONS, SUBJECT_PERSONS, subject_person
from canned_replies.unknown_words import zipf

_PREVIOUS_WORD = re.compile(r"([^\W\d_]+['’]?)[\s]*$")
# Numbers and quantities ask for a plural noun as plural determiners do ("cinq heuree" →
# "heures", "2 semènes" → "semaines").
_PLURAL_DETERMINERS = frozenset(french_rules.DETERMINERS_PLUR) | frozenset(
    {
        "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
        "quinze", "vingt", "trente", "quarante", "cinquante", "soixante", "cent", "mille",
        "plusieurs", "quelques", "nombreux", "nombreuses", "certains", "certaines",
    }
)  # fmt: skip
_CONJUGATED = re.compile(r":V[^/]*:(?:Ip|Iq|Is|If|K|S|E)(?![^/]*:Q)")
_CONJUGATED_OR_INFINITIVE = re.compile(
    r":V[^/]*:(?:Ip|Iq|Is|If|K|S|E)(?![^/]*:Q)|:V[^/]*:Y(?![^/]*:Q)"
)
_INVERTED_SUBJECT = re.compile(r"(?:-t)?-(?:il|elle|on|ils|elles|je|tu|nous|vous)\s*$")
_NUMBER_BEFORE = re.compile(r"\d[\d  .,]*\s+$")
_SINGULAR_DETERMINERS = frozenset(french_rules.DETERMINERS_SING - {"leur"})
_FEMININE = frozenset({"la", "une", "cette", "ma", "ta", "sa"})
_MASCULINE = frozenset({"le", "un", "ce", "cet"})
_BEFORE_INFINITIVE = frozenset({"à", "pour", "sans"})
# "de" is followed by an infinitive ("merci de contcter") or a noun ("perte de taile"), not by
# a conjugated verb or a participle.
_BEFORE_INFINITIVE_OR_NOUN = frozenset({"de", "d'", "par"})
# Words counting what "de" introduces: its noun is plural ("combien de livres").
_COUNTING_BEFORE = re.compile(r"\b(?:combien|plusieurs|nombre)\s*$", re.IGNORECASE)
_QUE_BEFORE = re.compile(r"\bqu(?:e\s+|['’])\s*$", re.IGNORECASE)


def after_que(text: str, start: int) -> bool:
    """Whether the pronoun right before `start` follows "que" ("que je sois", "qu'il
    vienne"), where the subjunctive is as likely as the indicative."""
    match = _PREVIOUS_WORD.search(text, max(0, start - 30), start)
    return match is not None and bool(
        _QUE_BEFORE.search(text, max(0, match.start() - 6), match.start())
    )


def person_forms_first(text: str, start: int, suggestions: list[str]) -> list[str]:
    """After a subject pronoun, a grammar finding's suggestions in the indicative present of
    its person first ("je croix": "crois" before Grammalecte's "croie"), the others in their
    order. Not after "que", where the subjunctive is as likely ("que je sois")."""
    if len(suggestions) < 2:
        return suggestions
    person = subject_person(text, start)
    if person is None or after_que(text, start):
        return suggestions
    present = [
        s for s in suggestions if any(":V" in m and ":Ip" in m and person in m for m in morphs(s))
    ]
    if not present or present[0] == suggestions[0]:
        return suggestions
    return [*present, *(s for s in suggestions if s not in present)]


def person_forms_for(text: str, start: int, end: int) -> list[str]:
    """Verbs of the subject's person near a word Grammalecte flags without a fix ("je pence"
    → "pense"; "perce" is as near but rarer): the spelling neighbours in the indicative
    present of that person, the most used first."""
    person = subject_person(text, start)
    if person is None:
        return []
    word = text[start:end]
    near = [
        c
        for c in suggest_spelling(word, 8)
        if c.lower() != word.lower()
        and any(":V" in m and ":Ip" in m and person in m for m in morphs(c))
    ]
    return sorted(near, key=lambda c: -zipf(c.lower()))[:3]


def _word_before(text: str, match: re.Match[str]) -> str | None:
    before = _PREVIOUS_WORD.search(text, max(0, match.start() - 30), match.start())
    return before.group(1).lower().replace("’", "'") if before is not None else None


def _determiner_before_adjective(text: str, match: re.Match[str], prev: str) -> str | None:
    """The determiner an adjective before the word follows: its noun agrees with it ("la
    seconde guere" → "guerre", not "guère"; "les nouvelles fiches")."""
    if prev in _PLURAL_DETERMINERS or prev in _SINGULAR_DETERMINERS:
        return None
    determiner = _word_before(text, match)
    if determiner not in _PLURAL_DETERMINERS and determiner not in _SINGULAR_DETERMINERS:
        return None
    found = morphs(prev) if prev.isalpha() else ()
    return determiner if any(":A" in m for m in found) else None


def _verb_before_subject(text: str, match: re.Match[str], prev: str) -> str:
    """An inverted subject written without its hyphen ("dois je payer", "peut on venir"):
    the verb before it is what the word follows, when it is only a conjugated verb."""
    if prev not in SUBJECT_PERSONS and prev not in CLAUSE_PERSONS:
        return prev
    verb = _word_before(text, match)
    found = morphs(verb) if verb is not None and verb.isalpha() else ()
    if found and all(_CONJUGATED.search(m) for m in found):
        return verb or prev
    return prev


def fits_in_context(
    text: str, start: int, candidates: Sequence[str] = ()
) -> Callable[[str], bool] | None:
    """What the words before ask of a correction, to order the suggestions of a typo: the word
    right before (`fits`), or the subject pronoun before object pronouns ("nous vous le
    renvoyon"), narrowed where grammar decides from further back by the subject, auxiliary
    or noun phrase (suggestion_agreement) and by the gender and number of the adjective after
    or the noun before (suggestion_neighbours). The farther reading narrows the nearer only when
    one of the `candidates` passes both. None when nothing beyond the word before (`fits`)
    is read. Whether a word blocks never depends on it."""
    person = suggestion_agreement.subject_person(text, start)
    if person is not None:
        return lambda c: any(":V" in m and person in m for m in morphs(c))
    far = suggestion_agreement.asks(text, start)
    neighbour = suggestion_neighbours.agreeing(text, start, candidates)
    if far is None and neighbour is None:
        return None
    near = fits(text, start)
    tests = [t for t in (near, far, neighbour) if t is not None]
    if (
        neighbour is not None
        and candidates
        and not any(all(t(c) for t in tests) for c in candidates)
    ):
        tests.remove(neighbour)  # the neighbour's form is not among what the rest allows
        if far is None:
            return None
    if len(tests) == 1:
        return tests[0]

    def each(candidate: str) -> bool:
        return all(t(candidate) for t in tests)

    if candidates and not any(each(c) for c in candidates):
        return None
    return each


def fits(text: str, start: int) -> Callable[[str], bool] | None:
    """What the word before asks of a correction: a plural noun after "mes", a singular one
    after "la", an infinitive after "pour" or a modal verb ("pourra croupipr" → "croupir")."""
    # "a-t-il achete": the verb before an inverted subject is the word before.
    inverted = _INVERTED_SUBJECT.search(text, max(0, start - 30), start)
    end = inverted.start() if inverted is not None else start
    match = _PREVIOUS_WORD.search(text, max(0, end - 30), end)
    if match is None:
        if _NUMBER_BEFORE.search(text, max(0, start - 30), start) is not None and not re.match(
            r"1\D", text[max(0, start - 30) : start].split()[-1] + " "
        ):
            return lambda c: any(re.search(r":[NA].*:[pi](?:[:/;]|$)", m) for m in morphs(c))
        return None
    written = match.group(1).lower().replace("’", "'")
    prev = _determiner_before_adjective(text, match, written) or _verb_before_subject(
        text, match, written
    )
    if prev in _PLURAL_DETERMINERS:
        return lambda c: any(re.search(r":[NA].*:[pi](?:[:/;]|$)", m) for m in morphs(c))
    if prev in _SINGULAR_DETERMINERS:
        gender = "f" if prev in _FEMININE else "m" if prev in _MASCULINE else "[mfe]"
        pattern = rf":[NA].*:(?:{gender}|e):[si](?:[:/;]|$)"
        return lambda c: any(re.search(pattern, m) for m in morphs(c))
    person = subject_person(text, end) if prev == written else None
    if person is not None:
        return lambda c: any(":V" in m and person in m for m in morphs(c))
    prev_morphs = morphs(prev) if prev.isalpha() else ()
    modal = any(
        re.search(r"^>(?:pouvoir|vouloir|devoir|aller|savoir|falloir)/:V.*:(?:Ip|If|K)", m)
        for m in prev_morphs
    )
    if prev in _BEFORE_INFINITIVE or modal:
        return lambda c: any(":Y" in m for m in morphs(c))
    if prev in _BEFORE_INFINITIVE_OR_NOUN:
        if _COUNTING_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            # "Combien de partiea" → "parties": a count asks the plural noun
            return lambda c: any(re.search(r":N.*:[pi](?:[:/;]|$)", m) for m in morphs(c))
        return lambda c: any(":Y" in m or ":N" in m for m in morphs(c))
    if prev not in {"être", "avoir"} and any(
        re.search(r"^>(?:avoir|être)/:V", m) for m in prev_morphs
    ):
        # After a conjugated auxiliary, not another conjugated verb ("a evalue" → "évalué",
        # not "évalue"; "est libere" → "libéré"); anything else may follow ("est très").
        conjugated_or_infinitive = (
            _CONJUGATED_OR_INFINITIVE
            if any(m.startswith(">avoir/") for m in prev_morphs)
            else _CONJUGATED
        )
        # After "avoir", not an infinitive either ("tu as cliquée" → "cliqué", not "cliquer"),
        # and a participle before a noun that is also a verb form ("j'ai reserve" → "réservé",
        # not "réserve"; "j'ai fiam" → "faim" still fits).
        if any(m.startswith(">avoir/") for m in prev_morphs):
            return lambda c: (
                any(":Q" in m for m in morphs(c))
                or (bool(morphs(c)) and not any(":V" in m for m in morphs(c)))
            )
        return lambda c: not all(conjugated_or_infinitive.search(m) for m in morphs(c))
    return None
