"""Lexicon-file automata and what indexing each file added, kept on disk across processes.

Reading, keying and compiling the shipped lexicon files (~1.2 million keys) takes 20–35 s of
CPU in a fresh process: every web worker, queue worker, CLI call and test process paid it
before its first decision, and an editor creating a draft from a sector template waited for it.
The results are a few arrays and buffers: written once here, they load in well under a second.

What is stored, under the process's keys (`matcher`, `lexicon_units`):
- a file's `UnitFacts` under its unit key (its content, options and SMS tables);
- the automaton of a playbook's lexicon files under their layout (their unit keys, in order).

Every name carries a fingerprint of the code and data that decide keys and automata (this
package's modules, the French forms, pyahocorasick's and Python's versions): a change to any of
them misses instead of reading what older code wrote. Files are written to a temporary name and
renamed (a reader sees a whole file or none), carry a CRC checked before use (a torn or damaged
file is a miss, and removed), and are only read from a directory the process's user owns and
nobody else may write. The directory: `VIGIE_CACHE_DIR` (`off` disables the store), else
`$XDG_CACHE_HOME/vigie` or `~/.cache/vigie`; its automata are kept within `VIGIE_CACHE_MB`
(1,024 by default), the least recently used removed first; another release's files unused for
30 days are removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import sys
import tempfile
import threading
import time
import zlib
from array import array
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from .key_automaton import KeyAutomaton
from .lexicon_units import UnitFacts

log = logging.getLogger(__name__)

FORMAT = 1
MAGIC = b"VIGIE-LEXICON-STORE\n"
DISABLED = {"off", "0", "none", "false"}
_PACKAGE = Path(__file__).parent
_lock = threading.Lock()
_fingerprint: str | None = None


def directory() -> Path | None:
    """Where automata are kept, or None when the store is off or unusable."""
    configured = os.environ.get("VIGIE_CACHE_DIR", "").strip()
    if configured.lower() in DISABLED:
        return None
    if configured:
        base = Path(configured)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "vigie"
    where = base / "lexicon-automata"
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = where.stat()
    except OSError:
        return None
    # Never read what another user could have written: a poisoned automaton decides severities.
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        log.warning("lexicon store %s ignored: not private to this user", where)
        return None
    return where


def fingerprint() -> str:
    """The versions of everything that decides what a key or an automaton is."""
    global _fingerprint
    with _lock:
        if _fingerprint is None:
            digest = hashlib.sha256(f"{FORMAT} {sys.version_info[:2]}".encode())
            digest.update(metadata.version("pyahocorasick").encode())
            for path in sorted(_PACKAGE.glob("*.py")):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
            digest.update((_PACKAGE / "lexicons" / "fr" / "morphology.npz").read_bytes())
            _fingerprint = digest.hexdigest()[:16]
        return _fingerprint


def load_facts(key: str) -> UnitFacts | None:
    """What indexing the file of `key` added, when a process wrote it here."""
    found = _read(f"{key}.facts")
    if found is None:
        return None
    meta, _ = found
    try:
        return UnitFacts(
            exception=bool(meta["exception"]),
            langs=frozenset(meta["langs"]),
            exact={lang: frozenset(w) for lang, w in meta["exact"].items()},
            vocab={lang: frozenset(w) for lang, w in meta["vocab"].items()},
            standalone={lang: frozenset(w) for lang, w in meta["standalone"].items()},
            term_count=int(meta["term_count"]),
            morphology=bool(meta["morphology"]),
        )
    except (KeyError, TypeError, AttributeError, ValueError):
        return None


def save_facts(key: str, facts: UnitFacts) -> None:
    """Keep a file's facts for the next processes (sorted: the same file for the same facts)."""
    meta = {
        "exception": facts.exception,
        "langs": sorted(facts.langs),
        "exact": {lang: sorted(w) for lang, w in facts.exact.items()},
        "vocab": {lang: sorted(w) for lang, w in facts.vocab.items()},
        "standalone": {lang: sorted(w) for lang, w in facts.standalone.items()},
        "term_count": facts.term_count,
        "morphology": facts.morphology,
    }
    _write(f"{key}.facts", meta, {})


def load_automaton(layout: str) -> KeyAutomaton | None:
    """The automaton of the lexicon files of `layout`, when a process wrote it here."""
    found = _read(f"{layout}.automaton")
    if found is None:
        return None
    meta, sections = found
    try:
        return KeyAutomaton.restored(meta, sections)
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        log.warning("lexicon store: automaton %s unreadable (%s)", layout[:12], exc)
        return None


def save_automaton(layout: str, automaton: KeyAutomaton) -> None:
    """Keep a files automaton for the next processes, then bound the store's size."""
    meta, sections = automaton.export()
    _write(f"{layout}.automaton", meta, sections)
    _prune()


def _path(where: Path, name: str) -> Path:
    return where / f"{fingerprint()}-{name}"


def _read(name: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A stored file's JSON facts and binary sections, or None (absent, foreign or damaged)."""
    where = directory()
    if where is None:
        return None
    path = _path(where, name)
    try:
        with path.open("rb") as f:
            if os.fstat(f.fileno()).st_uid != os.getuid():
                return None
            found = _decode(f)
        os.utime(path)  # recently used: kept longest (`_prune`)
        return found
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError, KeyError, TypeError) as exc:
        log.warning("lexicon store: %s removed (%s)", path.name, exc)
        path.unlink(missing_ok=True)
        return None


def _decode(f: BinaryIO) -> tuple[dict[str, Any], dict[str, Any]]:
    if f.read(len(MAGIC)) != MAGIC:
        raise ValueError("not a store file")
    size = int.from_bytes(_exactly(f, 8), "little")
    header = json.loads(_exactly(f, size))
    crc = 0
    sections: dict[str, Any] = {}
    for name, code, length in header["sections"]:
        if code:  # an array, read straight into its own buffer
            part: Any = array(code)
            part.frombytes(_exactly(f, length))
        else:
            part = _exactly(f, length)
        crc = zlib.crc32(part, crc)
        sections[name] = part
    if crc != header["crc"] or f.read(1):
        raise ValueError("damaged")
    return header["meta"], sections


def _exactly(f: BinaryIO, size: int) -> bytes:
    data = f.read(size)
    if len(data) != size:
        raise EOFError("truncated")
    return data


def _write(name: str, meta: dict[str, Any], sections: dict[str, Any]) -> None:
    """Write atomically: to a temporary file of the same directory, then renamed."""
    where = directory()
    if where is None:
        return
    crc = 0
    described = []
    for key, part in sections.items():
        view = memoryview(part).cast("B")
        crc = zlib.crc32(view, crc)
        described.append([key, part.typecode if isinstance(part, array) else "", view.nbytes])
    header = json.dumps(
        {"meta": meta, "sections": described, "crc": crc}, ensure_ascii=False
    ).encode()
    try:
        with tempfile.NamedTemporaryFile(dir=where, prefix=".tmp-", delete=False) as f:
            try:
                f.write(MAGIC + len(header).to_bytes(8, "little") + header)
                for part in sections.values():
                    f.write(memoryview(part).cast("B"))
            except BaseException:
                os.unlink(f.name)
                raise
        try:
            os.replace(f.name, _path(where, name))
        except OSError:
            os.unlink(f.name)
            raise
    except OSError as exc:  # a full or read-only disk: the next process compiles again
        log.warning("lexicon store: %s not written (%s)", name[:24], exc)


# Another release's files untouched this long are gone for good (two releases served side by
# side both read theirs, which keeps them recent); a writer killed mid-write leaves a temporary.
STALE_RELEASE_S = 30 * 86400
STALE_TEMPORARY_S = 3600


def _prune() -> None:
    """Remove the least recently used automata beyond `VIGIE_CACHE_MB`, other releases' files
    unused for 30 days and temporaries left by killed writers."""
    where = directory()
    if where is None:
        return
    try:
        budget = int(os.environ.get("VIGIE_CACHE_MB", "") or 1024) * 1024 * 1024
    except ValueError:
        budget = 1024 * 1024 * 1024
    now, mine = time.time(), f"{fingerprint()}-"
    automata = []
    for path in where.iterdir():
        try:
            info = path.stat()
        except OSError:
            continue
        age = now - info.st_mtime
        if path.name.startswith(".tmp-"):
            if age > STALE_TEMPORARY_S:
                path.unlink(missing_ok=True)
        elif not path.name.startswith(mine) and age > STALE_RELEASE_S:
            path.unlink(missing_ok=True)
        elif path.suffix == ".automaton":
            automata.append((info.st_mtime, info.st_size, path))
    automata.sort(reverse=True)
    used = 0
    for i, (_, size, path) in enumerate(automata):
        used += size
        if used > budget and i:  # the newest is always kept
            path.unlink(missing_ok=True)
