"""A first suggestion for an infinitive after a subject pronoun: the verb form one letter
away when the conjugation Grammalecte offers is further ("on rendre dans la forêt" →
"rentre", not "rend"; issue 19, first suggestions).

A writer who types an infinitive after "il/on/je…" either conjugated wrongly ("il manger" →
"mange", one letter: Grammalecte's fix) or wrote another verb by ear. When the first
suggestion is two letters or more away, the present-tense form of the subject's person one
voiced or unvoiced consonant away comes first, if it is about as written as that suggestion
(within 0.5 Zipf) and far more written than any other such form (1 Zipf: "rentre", not
"cendre").
"""

from __future__ import annotations

import re
from dataclasses import replace

from canned_replies.findings import Finding
from canned_replies.grammalecte_engine import morphs
from canned_replies.subject_pronoun import subject_person
from canned_replies.unknown_words import zipf

# Consonants told apart by voicing only, confused by ear ("rendre"/"rentre"); any other letter
# would let a noun's frequency decide ("il vivre" → "vit", not "livre").
_VOICING = {"d": "t", "t": "d", "b": "p", "p": "b", "v": "f", "f": "v", "g": "c", "c": "g",
            "s": "z", "z": "s"}  # fmt: skip
_INFINITIVE = re.compile(r":V[^/]*:Y")
_MARGIN = 0.5


def _one_letter_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def near_form_first(text: str, start: int, end: int, suggestions: list[str]) -> list[str]:
    """suggestions, with a present-tense form one letter from the flagged infinitive first
    when the first suggestion is further and no more written."""
    word = text[start:end]
    if not suggestions or not word.isalpha() or not word.islower():
        return suggestions
    if _one_letter_apart(word, suggestions[0]) or not any(
        _INFINITIVE.search(m) for m in morphs(word)
    ):
        return suggestions
    person = subject_person(text, start)
    if person is None:
        return suggestions
    near = {
        candidate
        for i in range(len(word))
        if word[i] in _VOICING
        for candidate in [word[:i] + _VOICING[word[i]] + word[i + 1 :]]
        if any(":V" in m and ":Ip" in m and person in m for m in morphs(candidate))
    }
    ranked = sorted(near, key=lambda c: -zipf(c))
    if not ranked or (len(ranked) > 1 and zipf(ranked[1]) > zipf(ranked[0]) - 1):
        return suggestions  # none, or several as written: no reason to prefer one
    form = ranked[0]
    if zipf(form) < zipf(suggestions[0].lower()) - _MARGIN:
        return suggestions
    return [form, *(s for s in suggestions if s != form)]


def near_forms_first(paragraph: str, offset: int, found: list[Finding]) -> list[Finding]:
    """The grammar findings of a paragraph (at offset in the text), each conjugation finding's
    suggestions reordered by near_form_first."""
    out = []
    for f in found:
        if f.kind == "grammar" and ".conj." in f.rule and f.suggestions:
            start, end = f.start - offset, f.end - offset
            ranked = near_form_first(paragraph, start, end, f.suggestions)
            if ranked != f.suggestions:
                f = replace(f, suggestions=ranked)
        out.append(f)
    return out
