"""A French sound key for words written as they are heard ("défonsser", "konnar", "enkulé").

Chat and teenagers' spellings often miss the lexicon word by more than one letter but sound
the same: "ss", "c" and "ç" for one sound, "k", "qu" and "c" for another, a silent final
consonant dropped ("batar") or a final "-er" written "-é". The fuzzy step
(`playbooks.fuzzy`) compares the key of a mention word with the keys of its lexicon words when
no one-letter edit fits. Deliberately coarse and small: it only ever runs on words that are
no French word and were not corrected otherwise.
"""

from __future__ import annotations

import re

from .normalize import squeeze

# Applied in order to a folded word (lower case, no accents), once doubled letters are one.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"ph", "f"),
        (r"(?<!c)h", ""),  # silent h ("omo"); "ch" keeps its sound
        (r"ck|qu?|c(?=[aoukrlt])|c$", "k"),
        (r"c(?=[eiy])", "s"),
        (r"g(?=[eiy])", "j"),
        (r"gu(?=[eiy])", "g"),
        (r"z", "s"),
        (r"y", "i"),
        (r"eau|au", "o"),
        (r"ai|ei", "e"),
        (r"(?:er|ez|es|et|ent)$", "e"),
        (r"(?<=[aeiou])[tdsx]$", ""),  # silent final consonant ("batar", "salo")
        (r"(?<=r)[tds]$", ""),
    )
)


def sound_key(word: str) -> str:
    """The sound key of a folded word: words that sound alike share it."""
    key = squeeze(word)
    for pattern, repl in _RULES:
        key = pattern.sub(repl, key)
    return squeeze(key)
