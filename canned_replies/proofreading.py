"""Proofreading entry points: proofread one reply, or a JSON-lines stream of them."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import IO, Protocol

from canned_replies.findings import Finding

LANGUAGES = ("fr", "en")


class _Checker(Protocol):
    def check(self, text: str) -> list[Finding]: ...


class Proofreader:
    """A proofreader for one language and brand dictionary; safe to share between threads."""

    def __init__(
        self, lang: str = "fr", dictionary: Iterable[str] = (), *, typography: bool = False
    ) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r} (supported: {', '.join(LANGUAGES)})")
        self.lang = lang
        self.dictionary = tuple(dictionary)
        self._recent: OrderedDict[str, tuple[Finding, ...]] = OrderedDict()
        self._checker: _Checker
        if lang == "fr":
            from canned_replies.french import FrenchChecker

            self._checker = FrenchChecker(self.dictionary, typography=typography)
        else:
            from canned_replies.english import EnglishChecker

            self._checker = EnglishChecker(self.dictionary)

    # The last texts checked: the console proofreads a reply as the CM writes it, then again
    # when it is sent (the gate); the same text gets the same findings without a second parse.
    RECENT = 128

    def check(self, text: str) -> list[Finding]:
        """Return the mistakes found in text, sorted by position."""
        recent = self._recent
        with _recent_lock:
            found = recent.get(text)
            if found is not None:
                recent.move_to_end(text)
                return list(found)
        findings = self._checker.check(text)
        with _recent_lock:
            recent[text] = tuple(findings)
            while len(recent) > self.RECENT:
                recent.popitem(last=False)
        return list(findings)


_cache_lock = threading.Lock()
_recent_lock = threading.Lock()
_proofreaders: dict[tuple[str, tuple[str, ...]], Proofreader] = {}


def proofread(text: str, lang: str = "fr", dictionary: Iterable[str] = ()) -> list[Finding]:
    """Return the spelling and grammar mistakes of a reply (typography is not reported)."""
    key = (lang, tuple(sorted(set(dictionary))))
    proofreader = _proofreaders.get(key)
    if proofreader is None:
        with _cache_lock:
            if len(_proofreaders) > 64:
                _proofreaders.clear()
            proofreader = _proofreaders.setdefault(key, Proofreader(lang, key[1]))
    return proofreader.check(text)


def proofread_jsonl(
    lang: str, in_stream: IO[str], out_stream: IO[str], dictionary: Iterable[str] = ()
) -> int:
    """Proofread a JSON-lines stream: each input line {"text": …} (or a plain string) gets an
    output line {"text", "findings": [...]} with any other input fields kept (each finding says
    "blocking": true|false); returns how many texts had blocking findings."""
    proofreader = Proofreader(lang, dictionary)
    with_findings = 0
    for lineno, line in enumerate(in_stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            # One bad line is reported in its place; the rest of the stream is still checked.
            problem = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            out_stream.write(
                json.dumps({"line": lineno, "error": f"invalid JSON: {problem}"}) + "\n"
            )
            continue
        if isinstance(record, str):
            record = {"text": record}
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            error = 'expected {"text": "…"} or a JSON string'
            out_stream.write(json.dumps({"line": lineno, "error": error}) + "\n")
            continue
        findings = proofreader.check(record["text"])
        with_findings += any(f.blocking for f in findings)
        record["findings"] = [f.to_dict() for f in findings]
        out_stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return with_findings
