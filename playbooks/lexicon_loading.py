"""The lexicon steps of loading a playbook: shipped SMS tables, `lexicons:` entries (inline
terms, files, the brand's stored lexicons) added to the term index, each problem located.

`LexiconLoading` is a part of the loader (`loader._Loader`): it reads and reports through the
loader's state, listed below, so that every issue of one load lands in the same list.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ValidationIssue
from .lexicons import (
    SHIPPED_LEXICONS_DIR,
    StoredLexicons,
    find_stored,
    parse_lexicon_terms,
    parse_lexicon_text,
    resolve_lexicon_path,
    unsafe_lexicon_reference,
)
from .matcher import ANY_LANGUAGE, TermIndex
from .schema import LexiconSpec, PlaybookSpec


def _load_sms_tables() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    for path in sorted(SHIPPED_LEXICONS_DIR.glob("*/sms.txt")):
        table = tables.setdefault(path.parent.name, {})
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.split("#", 1)[0].strip()
            if "=" in line:
                short, full = (part.strip() for part in line.split("=", 1))
                table[short] = full
    return tables


SHIPPED_SMS = _load_sms_tables()


def _unit_key(
    digest: str, target: str, lex: LexiconSpec, languages: list[str], spec: PlaybookSpec
) -> str:
    """What decides the keys of a lexicon file: its content, language and options, the
    playbook's languages and the SMS tables its terms are expanded with."""
    targets = languages if target == ANY_LANGUAGE else [target]
    sms = {
        lang: sorted({**SHIPPED_SMS.get(lang, {}), **spec.sms.get(lang, {})}.items())
        for lang in targets
    }
    described = [digest, target, languages, lex.fuzzy, lex.forms, sms]
    return hashlib.sha256(json.dumps(described, ensure_ascii=False).encode()).hexdigest()


def _add_entries(
    index: TermIndex, entries: list[Any], group: int, target: str, lex: LexiconSpec
) -> None:
    """A lexicon's entries into `group` (exceptions into its exception group), with the
    lexicon's robust-matching options (never for exceptions)."""
    for entry in entries:
        into = index.exception_group(group) if entry.exception else group
        index.add(
            into,
            entry.written,
            entry.terms,
            target,
            fuzzy=lex.fuzzy and not entry.exception,
            forms=lex.forms and not entry.exception,
        )


def _add_file(index: TermIndex, content: str, group: int, target: str, lex: LexiconSpec) -> None:
    """A known lexicon file's entries, added again (its automaton was gone)."""
    _add_entries(index, parse_lexicon_text(content)[0], group, target, lex)


class LexiconLoading:
    """The loader's lexicon steps (mixed into `loader._Loader`)."""

    base_dir: Path | None
    file_digests: list[tuple[str, str]]
    issues: list[ValidationIssue]
    languages: list[str]
    stored_lexicons: StoredLexicons | None

    error: Callable[..., None]  # the loader's: one located issue

    def _lexicons(
        self, spec: PlaybookSpec, index: TermIndex, languages: list[str]
    ) -> dict[str, int]:
        groups: dict[str, int] = {}
        for name, lex in spec.lexicons.items():
            path = ("lexicons", name)
            group = groups[name] = index.group(f"lexicon:{name}")
            if not lex.terms and not lex.files and not lex.stored:
                self.error(
                    path,
                    f"lexicon {name!r}: expected terms, files and/or stored",
                    code="empty_lexicon",
                    name=name,
                )
            if lex.lang is not None and lex.lang not in languages:
                self.error(
                    (*path, "lang"),
                    f"lexicon {name!r}: language {lex.lang!r} is not one of {languages}",
                )
            entries, problems = parse_lexicon_terms(lex.terms)
            for i, message in problems:
                term = lex.terms[i] if i < len(lex.terms) else ""
                self.error(
                    (*path, "terms", i), message, code="bad_term", term=term, problem=message
                )
            for entry in entries:
                into = index.exception_group(group) if entry.exception else group
                index.add(
                    into,
                    entry.written,
                    entry.terms,
                    lex.lang or ANY_LANGUAGE,
                    fuzzy=lex.fuzzy and not entry.exception,
                    forms=lex.forms and not entry.exception,
                )
            for lang, rel in lex.files.items():
                where = (*path, "files", lang)
                if lang != ANY_LANGUAGE and lang not in languages:
                    self.error(
                        where,
                        f"lexicon {name!r}: language {lang!r} is not one of {languages}",
                        key=True,
                    )
                    continue
                # Never name server paths nor quote what a refused file holds.
                unsafe = unsafe_lexicon_reference(rel)
                if unsafe:
                    self.error(where, f"lexicon file {rel!r}: {unsafe}")
                    continue
                file = resolve_lexicon_path(rel, self.base_dir)
                if file is None:
                    looked = "the playbook's folder and " if self.base_dir else ""
                    self.error(
                        where,
                        f"lexicon file {rel!r} not found (looked in {looked}the shipped "
                        "lexicons, e.g. fr/insults.txt)",
                    )
                    continue
                try:
                    content = file.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    self.error(where, f"cannot read lexicon file {rel!r} ({type(exc).__name__})")
                    continue
                digest = hashlib.sha256(content.encode()).hexdigest()
                self.file_digests.append((rel, digest))
                target = lex.lang or ANY_LANGUAGE if lang == ANY_LANGUAGE else lang
                # A file already indexed by this process with the same options is not read
                # again: the playbooks sharing it share its automaton (see matcher.known_unit).
                key = _unit_key(digest, target, lex, index.languages, spec)
                fill = functools.partial(_add_file, index, content, group, target, lex)
                if index.known_unit(group, key, fill):
                    continue
                file_entries, file_problems = parse_lexicon_text(content)
                for line, col, message in file_problems:
                    shown = str(file) if self.base_dir else rel  # no server path in the web editor
                    self.issues.append(ValidationIssue(shown, line, col, message))
                # a shared automaton per file (see matcher); a file with problems is not kept
                index.begin_unit(group, None if file_problems else key, fill)
                _add_entries(index, file_entries, group, target, lex)
                index.end_unit()
            for i, stored_name in enumerate(lex.stored):
                self._stored(name, lex, stored_name, (*path, "stored", i), group, index)
        return groups

    def _stored(
        self,
        name: str,
        lex: LexiconSpec,
        stored_name: str,
        where: tuple[Any, ...],
        group: int,
        index: TermIndex,
    ) -> None:
        """Add the terms of one of the brand's stored lexicons to a lexicon group (with the
        referring lexicon's robust-matching options)."""
        lang = lex.lang
        if self.stored_lexicons is None:
            self.error(
                where,
                f"lexicon {name!r}: stored lexicon {stored_name!r} is only available in the "
                "console (the brand's lexicons)",
            )
            return
        stored = find_stored(self.stored_lexicons, stored_name)
        if stored is None:
            self.error(
                where, f"stored lexicon {stored_name!r} not found among the brand's lexicons"
            )
            return
        target = stored.language
        if target == ANY_LANGUAGE:
            target = lang or ANY_LANGUAGE
        elif target not in self.languages:
            self.error(
                where,
                f"stored lexicon {stored_name!r}: language {target!r} is not one of "
                f"{self.languages}",
            )
            return
        label = f"stored:{stored_name}"
        self.file_digests.append((label, hashlib.sha256(stored.text.encode()).hexdigest()))
        entries, problems = parse_lexicon_text(stored.text)
        for line, col, message in problems:
            self.issues.append(ValidationIssue(label, line, col, message))
        _add_entries(index, entries, group, target, lex)
