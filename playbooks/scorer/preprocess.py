"""What training reads of a text: the engine's normalisation, and a writer's slips.

`prepare` gives the words the run time scores (normalised, SMS spellings expanded);
`augment` adds one perturbed copy of every French row so that a typo, a glued or a split word
is learnt as the same text, on the benign side too.
"""

from __future__ import annotations

import random
from typing import Any

from ..lexicon_loading import SHIPPED_SMS as _SHIPPED_SMS
from ..normalize import normalize, normalize_term, sms_expander
from .sources import SEED, Example

AUGMENT_WEIGHT = 0.5  # a perturbed copy counts half as much as its original

_EXPANDERS: dict[str, Any] = {}


def prepare(text: str, lang: str) -> str:
    """The text as the engine sees it: normalised, SMS spellings of its language expanded."""
    expand = _EXPANDERS.get(lang)
    if expand is None:
        table = {}
        for short, full in _SHIPPED_SMS.get(lang, {}).items():
            key = normalize_term(short).strip()
            if key:
                table[key] = normalize_term(full).strip()
        expand = _EXPANDERS[lang] = sms_expander(table)
    return str(expand(normalize(text)).text)


def perturb(text: str, rng: random.Random) -> str:
    """One writer's slip: swapped, dropped or doubled letter, glued or split words."""
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 4]
    kind = rng.choice(("swap", "drop", "double", "glue", "split"))
    if kind == "glue" and len(words) > 1:
        i = rng.randrange(len(words) - 1)
        return " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    letters = [j for j, c in enumerate(w) if c.isalpha()]
    j = rng.choice(letters[1:-1] or letters)
    if kind == "swap" and j + 1 < len(w) and w[j + 1].isalpha():
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == "drop":
        w = w[:j] + w[j + 1 :]
    elif kind == "double":
        w = w[:j] + w[j] + w[j:]
    else:  # split (or a swap at the end of the word)
        w = w[:j] + " " + w[j:]
    words[i] = w
    return " ".join(words)


def augment(examples: list[Example]) -> list[Example]:
    """Add a perturbed copy of every French row (benign ones too: slips are no sign of abuse)."""
    rng = random.Random(SEED)
    extra: list[Example] = []
    for ex in examples:
        if ex.lang != "fr":
            continue
        text = perturb(ex.text, rng)
        if text != ex.text:
            extra.append(
                Example(
                    text,
                    ex.lang,
                    ex.labels,
                    ex.source,
                    ex.source_id + "#aug",
                    ex.weight * AUGMENT_WEIGHT,
                    ex.group,
                )
            )
    return examples + extra
