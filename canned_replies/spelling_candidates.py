"""Spelling candidates Grammalecte's suggester misses: every dictionary word one keystroke
away from an unknown word (a letter dropped, added or replaced, two letters swapped)."""

from __future__ import annotations

from canned_replies.grammalecte_engine import is_valid_word, suggest_spelling

_LETTERS = "abcdefghijklmnopqrstuvwxyzéèêàâîôûç"


def deletions(word: str) -> list[str]:
    """Words one letter shorter or longer that the dictionary knows ("dession" → "dessin",
    "maldie" → "maladie"): a key pressed by mistake or missed, which Grammalecte's
    suggestions sometimes lack."""
    if len(word) < 4 or not word.isalpha() or not word.islower():
        return []
    found = {word[:i] + word[i + 1 :] for i in range(len(word))}
    found |= {word[:i] + c + word[i:] for i in range(1, len(word) + 1) for c in _LETTERS}
    return sorted(w for w in found if is_valid_word(w))


def replacements(word: str) -> list[str]:
    """Words one wrong key ("granfe" → "grande", "commin" → "commun") or two swapped letters
    ("réopnse" → "réponse") away: Grammalecte's suggester often misses these (injected slips
    in common words: benchmarks/bench_proofread_synthetic.py --kinds typo)."""
    if len(word) < 4 or not word.isalpha() or not word.islower():
        return []
    found = {word[:i] + c + word[i + 1 :] for i in range(1, len(word)) for c in _LETTERS}
    found |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    found.discard(word)
    return sorted(w for w in found if is_valid_word(w))


def candidates(word: str) -> list[str]:
    """Spelling candidates: Grammalecte's, then every word one keystroke away it missed (about
    2 ms of lookups). Grammalecte's list often holds a rare word one edit away but not the
    common one ("duex": "due", not "deux"; "notd": "note", not "nord"); frequency then ranks.
    Injected slips on the tuning part: first suggestion right 85.9 → see the README."""
    return [*suggest_spelling(word), *deletions(word), *replacements(word)]
