"""English proofreading: an offline spell checker (pyspellchecker's word list) that knows names."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from canned_replies import english_candidates, unknown_words
from canned_replies.english_words import EnglishWords
from canned_replies.findings import Finding
from canned_replies.masking import mask, overlaps

# Letters of any alphabet make one word ("Ørsgaard", "café" are not split at "Ø", "é"), and
# an asterisk inside a word is a censored one ("f*cking"), not two fragments.
_WORD = re.compile(r"[^\W\d_]+(?:['’*][^\W\d_]+)*")
_ENGLISH_LETTERS = re.compile(r"[A-Za-z'’]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s*|\n\s*)[\"“(\s]*$")
# British spellings are as correct as American ones for a brand's replies.
_BRITISH_TO_AMERICAN = [
    ("ise", "ize"), ("ised", "ized"), ("ising", "izing"), ("isation", "ization"),
    ("our", "or"), ("ours", "ors"), ("tre", "ter"), ("tres", "ters"), ("yse", "yze"),
    ("ogue", "og"), ("ence", "ense"), ("lled", "led"), ("lling", "ling"),
]  # fmt: skip

# Everyday customer-service words missing from pyspellchecker's (older) word list.
_MODERN_WORDS = frozenset(
    [
        "app",
        "apps",
        "chatbot",
        "ebook",
        "eticket",
        "e-ticket",
        "emoji",
        "emojis",
        "hashtag",
        "hashtags",
        "inbox",
        "livestream",
        "logout",
        "rebook",
        "rebooked",
        "rebooking",
        "selfie",
        "signup",
        "smartphone",
        "smartphones",
        "wifi",
        "dms",
    ]
)

_lock = threading.Lock()
_speller: EnglishWords | None = None


def speller() -> EnglishWords:
    """Return the process-wide English word list (pyspellchecker's, held compactly: see
    english_words), loading it on first call."""
    global _speller
    if _speller is None:
        with _lock:
            if _speller is None:
                _speller = EnglishWords()
    return _speller


def _known(word: str) -> bool:
    spell = speller()
    lowered = word.lower().replace("’", "'")
    if lowered in spell or lowered in _MODERN_WORDS:
        return True
    if "'" in lowered:
        base, _, suffix = lowered.partition("'")
        # Contractions and possessives: "we're", "customer's", "o'clock".
        if suffix in {"s", "re", "ve", "ll", "d", "m", "t"} and (base in spell or suffix == "t"):
            return True
    return any(
        lowered.endswith(british) and lowered[: -len(british)] + american in spell
        for british, american in _BRITISH_TO_AMERICAN
    )


class EnglishChecker:
    """Check English replies for unknown words; names and brand terms are left alone."""

    def __init__(self, dictionary: Iterable[str] = ()) -> None:
        self.dictionary = tuple(dictionary)
        self._known = {w.lower() for w in self.dictionary}
        english_candidates.warm(speller())
        unknown_words.load()

    def check(self, text: str) -> list[Finding]:
        """Return the spelling findings of a reply, sorted by position."""
        masked, protected = mask(text, self.dictionary)
        findings = []
        for match in _WORD.finditer(masked):
            word, start, end = match.group(), match.start(), match.end()
            if word.lower() in self._known or _known(word) or overlaps(start, end, protected):
                continue
            sentence_start = _SENTENCE_START.search(masked[:start]) is not None
            if word.isupper() or (word[0].isupper() and not sentence_start):
                continue  # acronym or a name inside a sentence
            if not _ENGLISH_LETTERS.fullmatch(word):
                continue  # a foreign name or loanword ("Zoë", "Ørsgaard", "jalapeño"), or censored
            # The same judgement as in French: a typo has a much more frequent word one or two
            # edits away; a name, a brand or a word in use ("vlog", "Zelda") does not block.
            verdict = unknown_words.judge(
                word,
                _suggestions(word),
                capitalised_in_sentence=False,
                sentence_start=sentence_start,
                lang="en",
            )
            if verdict.reason in {"name", "in_use", "expressive"}:
                continue
            findings.append(
                Finding(
                    start=start,
                    end=end,
                    message=f"Unknown word: “{word}”."
                    if verdict.blocking
                    else f"Word not in the dictionary: “{word}” (a name or a term? check it).",
                    suggestions=verdict.suggestions,
                    rule="pyspellchecker.unknown_word"
                    if verdict.blocking
                    else f"pyspellchecker.unknown_word.{verdict.reason}",
                    kind="spelling",
                    blocking=verdict.blocking,
                )
            )
        return findings


def _suggestions(word: str, limit: int = 5) -> list[str]:
    spell = speller()
    candidates = english_candidates.candidates(spell, word)
    ranked = sorted(candidates, key=lambda c: (-spell.word_usage_frequency(c), c))[:limit]
    if word[:1].isupper():
        ranked = [c[:1].upper() + c[1:] for c in ranked]
    return ranked
