"""Lexicon files: one term per line, with optional parts and prefix/suffix wildcards.

Syntax (one entry per line, `#` starts a comment):
- `fils de pute`          a word or a phrase;
- `connard(e)(s)`         optional parts: connard, connarde, connards, connardes;
- `(pd|pédé)(s)`          a choice (several alternatives): pd, pds, pédé, pédés;
- `{pd|pédé}`             a choice too (braces are always a choice);
- `{devenu(e)|resté(e)}`  a choice whose alternatives have optional parts or choices of their own;
- `fils de (|sa )pute`    an optional choice: an empty first alternative;
- `encul*`                prefix: any word starting with "encul" (enculé, enculés, enculer);
- `*phobe`                suffix: any word ending with "phobe";
- `:kitchen_knife:` or 🔪  emoji, by character or by name;
- `!c'est con`            exception: a hit of this lexicon inside this phrase does not count.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import emoji

SHIPPED_LEXICONS_DIR = Path(__file__).parent / "lexicons"
MAX_VARIANTS = 20_000
_GROUP_RE = re.compile(r"\(([^()]*)\)|\{([^{}]*)\}")
_EMOJI_NAME_RE = re.compile(r":[a-z0-9_+\-]+:")


@dataclass(frozen=True, slots=True)
class StoredLexicon:
    """A lexicon a brand keeps in the console's database (edited in its pages), in the syntax of
    a lexicon file; the app hands these to the loader, the playbook names them with `stored:`."""

    name: str
    language: str  # a language code, or "*" for every language of the playbook
    text: str
    version: int = 1


# What the loader is given: the brand's stored lexicons by name, or a function that finds one.
StoredLexicons = Mapping[str, StoredLexicon] | Callable[[str], StoredLexicon | None]


def find_stored(provider: StoredLexicons | None, name: str) -> StoredLexicon | None:
    """The stored lexicon of that name from a mapping or a callable provider, or None."""
    if provider is None:
        return None
    if isinstance(provider, Mapping):
        return provider.get(name)
    return provider(name)


class LexiconSyntaxError(ValueError):
    """A lexicon line that cannot be expanded."""


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One written entry, its line, and the concrete terms it expands to."""

    written: str
    line: int
    terms: tuple[str, ...]
    exception: bool = False


def expand_entry(entry: str) -> list[str]:
    """Expand `(optional)`, `(a|b)` / `{a|b}` choices and `(|a|b)` optional choices."""
    if any(c in entry for c in "()[]{}"):
        stripped = _GROUP_RE.sub("", entry)
        if any(c in stripped for c in "()[]{}"):
            raise LexiconSyntaxError(
                f"unbalanced or nested brackets in {entry!r}: expected (optional) or {{a|b}}"
            )
    pieces: list[list[str]] = []
    last = 0
    for m in _GROUP_RE.finditer(entry):
        pieces.append([entry[last : m.start()]])
        if m.group(1) is not None:
            options = m.group(1).split("|")
            pieces.append(["", *options] if len(options) == 1 else options)
        else:
            pieces.append([v for option in _bars_split(m.group(2)) for v in expand_entry(option)])
        last = m.end()
    pieces.append([entry[last:]])
    count = 1
    for p in pieces:
        count *= len(p)
    if count > MAX_VARIANTS:
        raise LexiconSyntaxError(f"{entry!r} expands to {count} variants (at most {MAX_VARIANTS})")
    return ["".join(combo) for combo in itertools.product(*pieces)]


def _bars_split(choice: str) -> list[str]:
    """The alternatives of a brace choice: split at the bars outside parentheses."""
    options, depth, start = [], 0, 0
    for i, c in enumerate(choice):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "|" and depth == 0:
            options.append(choice[start:i])
            start = i + 1
    options.append(choice[start:])
    return options


def _emojize(term: str) -> str:
    if ":" not in term:
        return term
    return _EMOJI_NAME_RE.sub(
        lambda m: emoji.emojize(m.group(), language="alias") or m.group(), term
    )


def parse_lexicon_text(text: str) -> tuple[list[LexiconEntry], list[tuple[int, int, str]]]:
    """Parse lexicon lines; return entries and (line, column, message) problems."""
    entries: list[LexiconEntry] = []
    problems: list[tuple[int, int, str]] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0] if not raw.lstrip().startswith("#") else ""
        written = line.strip()
        if not written:
            continue
        exception = written.startswith("!")
        body = written[1:].strip() if exception else written
        try:
            terms = tuple(_emojize(t.strip()) for t in expand_entry(body))
        except LexiconSyntaxError as exc:
            problems.append((lineno, raw.index(written[0]) + 1, str(exc)))
            continue
        bad = [t for t in terms if not t.strip("* ")]
        if bad:
            problems.append((lineno, 1, f"empty term in {written!r}"))
            continue
        entries.append(LexiconEntry(body, lineno, terms, exception))
    return entries, problems


def parse_lexicon_terms(items: list[str]) -> tuple[list[LexiconEntry], list[tuple[int, str]]]:
    """Parse inline YAML terms; return entries and (index, message) problems."""
    entries: list[LexiconEntry] = []
    problems: list[tuple[int, str]] = []
    for i, written in enumerate(items):
        written = written.strip()
        exception = written.startswith("!")
        body = written[1:].strip() if exception else written
        try:
            terms = tuple(_emojize(t.strip()) for t in expand_entry(body))
        except LexiconSyntaxError as exc:
            problems.append((i, str(exc)))
            continue
        if not body or any(not t.strip("* ") for t in terms):
            problems.append((i, "empty term"))
            continue
        entries.append(LexiconEntry(body, i, terms, exception))
    return entries, problems


def unsafe_lexicon_reference(name: str) -> str | None:
    """Why a lexicon file reference may not be followed (absolute, `..`), or None."""
    if not name.strip() or "\x00" in name:
        return "a lexicon file is a relative path such as fr/insults.txt"
    rel = PurePosixPath(name.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or ":" in rel.parts[0]:
        return "a lexicon file is a relative path inside the lexicon folder (no '/…' or '..')"
    return None


def resolve_lexicon_path(name: str, base_dir: Path | None) -> Path | None:
    """Find a lexicon file next to the playbook first, then among the shipped lexicons.

    Only inside those folders: an absolute path, a `..` or a symbolic link that leads out of
    them resolves to nothing, so a playbook cannot read other files of the server.
    """
    if unsafe_lexicon_reference(name):
        return None
    rel = PurePosixPath(name.replace("\\", "/"))
    roots = [base_dir] if base_dir is not None else []
    roots.append(SHIPPED_LEXICONS_DIR)
    for root in roots:
        try:
            top = root.resolve()
            candidate = top.joinpath(*rel.parts).resolve()
        except (OSError, RuntimeError, ValueError):
            continue
        if candidate.is_relative_to(top) and candidate.is_file():
            return candidate
    return None
