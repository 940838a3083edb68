"""The shipped playbooks' lexicon automata written to the store before anyone waits for them.

A sector template is compiled the first time an editor creates a draft from it, in a web
process that has never seen its lexicon files: 20–35 s of CPU on the request's thread when the
store (`automaton_store`) does not hold them yet — once per release and machine, but the first
editor of a release sees it. `vigie run`, `vigie demo` and `vigie worker` start this module in
a process of its own, at the lowest CPU priority, when the store lacks the shipped playbooks of
this release (`missing`): it compiles each of them once (their automata go to the store) and
leaves a marker named by the code's fingerprint and the shipped files' digest. One process at a
time does it (a lock file); the others leave at once.

    python -m playbooks.store_warmup
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import logging
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from . import automaton_store
from .lexicons import SHIPPED_LEXICONS_DIR
from .loader import SHIPPED_DIR, load_playbook_file

log = logging.getLogger(__name__)


def shipped_playbooks() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def _digest(folders: Iterable[Path]) -> str:
    """The shipped playbooks' and lexicons' contents: a new lexicon file is a new release."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def marker() -> Path | None:
    """The file saying this release's shipped playbooks are in the store (None: store off)."""
    where = automaton_store.directory()
    if where is None:
        return None
    shipped = _digest([SHIPPED_DIR, SHIPPED_LEXICONS_DIR])
    return where / f"{automaton_store.fingerprint()}-shipped-{shipped}.ready"


def missing() -> bool:
    """Whether the store lacks this release's shipped playbooks (False when it is off)."""
    found = marker()
    return found is not None and not found.exists()


def prepare(paths: list[Path] | None = None) -> int:
    """Compile each playbook once so that its automata are in the store, then leave the marker;
    the number compiled (0: already done, or another process is doing it)."""
    done = marker()
    if done is None or done.exists():
        return 0
    with open(done.with_suffix(".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # another process is preparing them
        count = 0
        for path in shipped_playbooks() if paths is None else paths:
            start = time.process_time()
            load_playbook_file(path)  # dropped at once: only the store's files are wanted
            gc.collect()
            count += 1
            log.info("%s in the lexicon store (%.1f s)", path.stem, time.process_time() - start)
        done.touch()
        return count


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.nice(19)  # never slows the console or the workers down
    try:
        prepare()
    except Exception:  # the next start tries again; a template then compiles when used
        log.exception("the shipped playbooks were not put in the lexicon store")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
