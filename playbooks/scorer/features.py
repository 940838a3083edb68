"""Features of the learned scorer, identical at training and at run time.

The input is the engine's normalised text (`playbooks.normalize`: folded case and accents,
leetspeak undone, spaced letters joined, elongations squeezed, SMS spellings expanded), so the
scorer and the rules read the same words. Each word yields:
- `w:word` — the word itself;
- `c:xyz` — character 3- to 5-grams of `<word>`: a misspelt, swapped or glued insult still
  shares most of its n-grams with the correct spelling;
- `l:CLASS` — the word belongs to a lexicon class saved with the model (`INS` insults, `GRP`
  groups targeted by hate, `BAD` the third-party bad-word list): weights learned on a few
  sentences carry over to every word of the lexicon;
and each pair of adjacent words `b:a b`, where a lexicon word is replaced by its class
("les GRP", "des INS"), so "les X sont des Y" generalises across groups and insults.
A text's vector sums, over its distinct words, each word's known features (a character
n-gram shared by two words counts twice), plus its known bigrams, divided by the square root
of the number of features counted. A word's weights then add up once and for all: the
scorer caches one row of per-label sums per word (Zipf: a few thousand words cover most
mentions), so scoring a mention costs two numpy gathers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

CHAR_SIZES = (3, 4, 5)
MAX_WORD_FOR_CHARS = 30  # longer "words" are glued phrases or noise: their n-grams are capped
FEATURE_VERSION = 2
# Classes that stand in for their words in bigrams (the bad-word list is too mixed: "sale",
# "gueule" or "folle" are often harmless, so its words keep themselves in bigrams).
ABSTRACT_CLASSES = frozenset({"INS", "GRP"})


def word_feature_names(word: str, word_class: str | None) -> list[str]:
    """Names of the features one word yields (without bigrams)."""
    names = [f"w:{word}"]
    padded = f"<{word[:MAX_WORD_FOR_CHARS]}>"
    size = len(padded)
    for n in CHAR_SIZES:
        for i in range(size - n + 1):
            names.append(f"c:{padded[i : i + n]}")
    if word_class is not None:
        names.append(f"l:{word_class}")
    return names


def text_features(words: list[str], classes: Mapping[str, str]) -> list[str]:
    """Feature names of a tokenised text, with repeats: per distinct word, then bigrams."""
    names: list[str] = []
    for w in dict.fromkeys(words):
        names.extend(dict.fromkeys(word_feature_names(w, classes.get(w))))
    abstract = [abstract_word(w, classes) for w in words]
    names.extend(dict.fromkeys(f"b:{a} {b}" for a, b in pairwise(abstract)))
    return names


def abstract_word(word: str, classes: Mapping[str, str]) -> str:
    """The word as bigrams see it: its class for insults and groups, else itself."""
    c = classes.get(word)
    return c if c in ABSTRACT_CLASSES else word


def lexicon_words(entries: Iterable[str]) -> set[str]:
    """Single normalised words of lexicon entries (phrases, prefixes and suffixes left out)."""
    from ..lexicons import LexiconSyntaxError, expand_entry
    from ..normalize import normalize_term

    out: set[str] = set()
    for raw in entries:
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("!"):
            continue
        try:
            terms = expand_entry(line)
        except LexiconSyntaxError:
            continue
        for term in terms:
            if "*" in term:
                continue
            norm = normalize_term(term).strip()
            if norm and " " not in norm:
                out.add(norm)
    return out
