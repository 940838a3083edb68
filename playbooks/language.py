"""Language detection restricted to the languages a playbook has lexicons for.

py3langid costs about 40 µs per mention, as much as the rest of the engine: a vote of
function words settles most mentions first, py3langid (offline, restricted to the playbook's
languages) settles the rest, and very short texts fall back to the playbook's default language.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from .language_model import identifier

LEXICONS_DIR = Path(__file__).parent / "lexicons"


def _function_words() -> dict[str, frozenset[str]]:
    words = {}
    for path in sorted(LEXICONS_DIR.glob("*/function_words.txt")):
        text = "\n".join(line.split("#", 1)[0] for line in path.read_text("utf-8").splitlines())
        words[path.parent.name] = frozenset(text.split())
    return words


# Frequent words that are (almost) never words of another language, per language folder.
FUNCTION_WORDS = _function_words()
MIN_LETTERS = 12  # below this, the default language is safer than any guess
SHORT_WITHOUT_VOTES = 60


class LanguageDetector:
    """Pick one of `languages` for a normalised text; `default` when unsure."""

    def __init__(self, languages: list[str], default: str, cache_size: int = 4096) -> None:
        self.languages = tuple(sorted(set(languages)))
        self.default = default
        self.voters = {
            lang: FUNCTION_WORDS[lang] for lang in self.languages if lang in FUNCTION_WORDS
        }
        # Ties go to the language that sorts last, as they always have.
        self._voters_desc = sorted(self.voters.items(), reverse=True)
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cache_size = cache_size
        # Loaded with the playbook, not by its first mention: a process's peak memory is then
        # reached while it starts, and the first decisions are not slowed down.
        self._identifier = identifier(self.languages) if len(self.languages) > 1 else None

    def detect(self, normalised: str, words: list[str] | None = None) -> str:
        """The language of a normalised, padded text (`words`: its split, when known)."""
        if len(self.languages) == 1:
            return self.languages[0]
        if words is None:
            words = normalised.split()
        if len(normalised) - len(words) - 1 < MIN_LETTERS:  # letters, spaces excluded
            return self.default
        if len(self.voters) == len(self.languages):
            distinct = set(words)
            best, runner_up, winner = -1, -1, self.default
            for lang, fw in self._voters_desc:  # a plain loop: this runs for every mention
                count = len(fw.intersection(distinct))
                if count > best:
                    best, runner_up, winner = count, best, lang
                elif count > runner_up:
                    runner_up = count
            if best >= 2 and best >= 3 * runner_up:
                return winner
            if best == 0 and len(normalised) < SHORT_WITHOUT_VOTES:
                # "train supprimé scandale": no grammar words, too little for n-grams.
                return self.default
        cached = self._cache.get(normalised)
        if cached is not None:
            return cached
        assert self._identifier is not None  # more than one language
        lang, _ = self._identifier.classify(normalised)
        self._cache[normalised] = lang
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return str(lang)
