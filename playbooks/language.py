"""Language detection restricted to the languages a playbook has lexicons for.

py3langid costs about 40 µs per mention, as much as the rest of the engine: a vote of
function words settles most mentions first, py3langid (offline, restricted to the playbook's
languages) settles the rest, and very short texts fall back to the playbook's default language.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Frequent words that are (almost) never words of the other language; normalised forms.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        ["le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "je", "tu", "il", "elle", "nous", "vous", "ils", "elles", "pas", "que", "qui", "pour", "dans", "sur", "avec", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "ce", "cette", "ces", "c", "j", "ne", "au", "aux", "plus", "tres", "merci", "bonjour", "mais", "ou", "sont", "suis", "etes", "ai", "avez", "avons", "fait", "rien", "toujours", "encore", "depuis", "quand", "comment", "pourquoi", "chez", "votre", "vos", "notre", "nos", "leur", "leurs", "ca", "y", "qu", "l", "d", "n", "s", "m", "t", "sans", "aussi", "deja", "apres", "avant", "jamais", "trop", "vraiment"]
    ),
    "en": frozenset(
        ["the", "and", "is", "are", "you", "he", "she", "we", "they", "not", "that", "to", "of", "in", "for", "with", "my", "your", "it", "this", "was", "be", "have", "has", "had", "do", "does", "did", "thanks", "thank", "hello", "please", "what", "why", "when", "how", "there", "their", "our", "from", "just", "been", "can't", "cant", "don't", "dont", "won't", "will", "would", "could", "should", "me", "him", "her", "them", "us", "very", "really", "again", "never", "still", "any", "who", "which"]
    ),
}
MIN_LETTERS = 12  # below this, the default language is safer than any guess


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE)
    ident.set_languages(list(languages))
    return ident


class LanguageDetector:
    """Pick one of `languages` for a normalised text; `default` when unsure."""

    def __init__(self, languages: list[str], default: str, cache_size: int = 4096) -> None:
        self.languages = tuple(sorted(set(languages)))
        self.default = default
        self.voters = {
            lang: FUNCTION_WORDS[lang] for lang in self.languages if lang in FUNCTION_WORDS
        }
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cache_size = cache_size

    def detect(self, normalised: str) -> str:
        """The language of a normalised, padded text."""
        if len(self.languages) == 1:
            return self.languages[0]
        words = normalised.split()
        if sum(len(w) for w in words) < MIN_LETTERS:
            return self.default
        if len(self.voters) == len(self.languages):
            votes = sorted(
                ((sum(1 for w in words if w in fw), lang) for lang, fw in self.voters.items()),
                reverse=True,
            )
            best, runner_up = votes[0][0], votes[1][0]
            if best >= 2 and best >= 3 * runner_up:
                return votes[0][1]
        cached = self._cache.get(normalised)
        if cached is not None:
            return cached
        lang, _ = _identifier(self.languages).classify(normalised)
        self._cache[normalised] = lang
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return str(lang)
