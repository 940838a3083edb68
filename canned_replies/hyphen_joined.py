"""A word written with a hyphen that the dictionary knows only joined ("super-marché" →
"supermarché", "sur-tout" → "surtout", "ré-écrire" → "réécrire").

Grammalecte checks each part of a hyphenated word on its own, so a compound cut by a wrong
hyphen passes when both halves are words. Here the whole form must be unknown to the
dictionary and the joined form a word written often (Zipf ≥ 3: "supermarché" 3.9,
"cofondateur" 3.4), so rare terms and the hyphenated forms the dictionary has
("extra-terrestre", "week-end", "start-up") stay quiet; inversions and imperatives
("dis-moi", "a-t-il") never join into a word.
"""

from __future__ import annotations

import re

from canned_replies.findings import Finding
from canned_replies.grammalecte_engine import is_valid_word
from canned_replies.unknown_words import zipf

# A lowercase word (or one capital opening it) made of parts joined by hyphens.
_HYPHENATED = re.compile(r"(?<![\w-])([A-ZÀ-Ý]?[a-zà-öø-ÿœ]+(?:-[a-zà-öø-ÿœ]+)+)(?![\w-])")
JOINED_ZIPF = 3.0
MESSAGE = "Mot composé : « {word} » s’écrit sans trait d’union, « {joined} »."


def check(text: str) -> list[Finding]:
    """Findings on an already masked paragraph."""
    found: list[Finding] = []
    for match in _HYPHENATED.finditer(text):
        word = match.group(1)
        if is_valid_word(word):
            continue
        joined = word.replace("-", "")
        if not is_valid_word(joined) or zipf(joined.lower()) < JOINED_ZIPF:
            continue
        found.append(
            Finding(
                start=match.start(1),
                end=match.end(1),
                message=MESSAGE.format(word=word, joined=joined),
                suggestions=[joined],
                rule="vigie.trait_union_en_trop",
                kind="spelling",
            )
        )
    return found
