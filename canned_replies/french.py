"""French proofreading: Grammalecte tuned for social-media replies, plus Vigie's extra rules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from canned_replies import french_rules
from canned_replies.findings import Finding
from canned_replies.grammalecte_engine import engine, suggest_spelling
from canned_replies.masking import mask, overlaps

# Grammalecte rules that fire on correct, ordinary reply sentences (measured on
# canned_replies/eval/fr_correct.jsonl and the starter libraries): switched off by id.
IGNORED_RULES: frozenset[str] = frozenset()

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s*|\n\s*)[\"«“(\s]*$")


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, paragraph): Grammalecte checks one paragraph at a time."""
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _rank_suggestions(word: str, suggestions: list[str]) -> list[str]:
    """Put first the suggestions that only add or fix accents ("bientot" → "bientôt")."""
    bare = _strip_accents(word.lower())
    return sorted(suggestions, key=lambda s: _strip_accents(s.lower()) != bare)


def _is_proper_noun(text: str, start: int, word: str) -> bool:
    """A capitalised word inside a sentence is a name (person, place, product), not a typo."""
    if word.isupper() and len(word) > 1:
        return True  # acronym: TGV, SNCF, DM
    if not word[:1].isupper():
        return False
    return _SENTENCE_START.search(text[:start]) is None


class FrenchChecker:
    """Check French replies; the Grammalecte engine behind it is shared by the process."""

    def __init__(self, dictionary: Iterable[str] = (), *, typography: bool = False) -> None:
        self.dictionary = tuple(dictionary)
        self._known = {w.lower() for w in self.dictionary}
        self.typography = typography
        engine()  # load now: the first request should not pay for it

    def check(self, text: str) -> list[Finding]:
        """Return the spelling and grammar findings of a reply, sorted by position."""
        masked, protected = mask(text, self.dictionary)
        findings: list[Finding] = []
        for offset, paragraph in _paragraphs(masked):
            if paragraph.strip():
                findings.extend(self._check_paragraph(text, paragraph, offset))
        findings = [f for f in findings if not overlaps(f.start, f.end, protected)]
        return sorted(findings, key=lambda f: (f.start, f.end))

    def _check_paragraph(self, original: str, paragraph: str, offset: int) -> list[Finding]:
        eng = engine()
        options = eng.options_full if self.typography else eng.options_social
        grammar, spelling = eng.checker.getParagraphErrors(paragraph, dOptions=options)
        found: list[Finding] = []
        for error in grammar:
            if error["sRuleId"] in IGNORED_RULES:
                continue
            found.append(
                Finding(
                    start=offset + error["nStart"],
                    end=offset + error["nEnd"],
                    message=error["sMessage"],
                    suggestions=list(error["aSuggestions"]),
                    rule=f"grammalecte.{error['sType']}.{error['sRuleId']}",
                    kind="grammar",
                )
            )
        for error in spelling:
            word = error["sValue"]
            start = offset + error["nStart"]
            if "_" in word or word.lower() in self._known:
                continue
            if _is_proper_noun(original, start, word):
                continue
            found.append(
                Finding(
                    start=start,
                    end=offset + error["nEnd"],
                    message=f"Mot inconnu du dictionnaire : « {word} ».",
                    suggestions=_rank_suggestions(word, suggest_spelling(word)),
                    rule="grammalecte.spelling",
                    kind="spelling",
                )
            )
        for extra in french_rules.check(paragraph):
            start, end = offset + extra.start, offset + extra.end
            # Grammalecte's own finding on the same words is kept: it is usually more precise.
            if not overlaps(start, end, ((f.start, f.end) for f in found)):
                found.append(
                    Finding(start, end, extra.message, extra.suggestions, extra.rule, extra.kind)
                )
        return found
