"""Fails a test whose app code writes a queue-tracked table without naming the brand.

Such a statement falls back to bumping every brand's change counter (queue_changes.unscoped), so
every brand's CMs re-read their queue rows on their next poll. Nothing else would notice a new
one: the write still works, only other brands' polls get dearer.

Who is to blame, the one rule: walking out from the fallback, the nearest frame in this
project's own code (app/ or tests/; queue_changes, brand_counters and this guard left out)
issued the statement. In app/: the test fails at teardown, naming that line. In tests/:
allowed, a test writing rows directly (a fixture backdating a case) wakes every poll and nobody
minds. Library frames (SQLAlchemy, SQLModel, Flask) are passed over either way.

Cheap: the normal path is untouched (a brand found never reaches `unscoped`); the stack is only
walked on a fallback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import ORMExecuteState

import app as app_package
from app.services import brand_counters, queue_changes

APP_DIR = str(Path(app_package.__file__).resolve().parent) + "/"
TESTS_DIR = str(Path(__file__).resolve().parent) + "/"
SKIPPED = frozenset(
    str(Path(f).resolve()) for f in (queue_changes.__file__, brand_counters.__file__, __file__)
)


def issuer() -> str | None:
    """'file:line in function' of the app code that issued the statement being executed, None
    when test code issued it (or no project frame is found: a library's own write)."""
    frame = sys._getframe(1)
    while frame is not None:
        path = frame.f_code.co_filename
        if path not in SKIPPED:
            if path.startswith(TESTS_DIR):
                return None
            if path.startswith(APP_DIR):
                return f"{path[len(APP_DIR) - 4 :]}:{frame.f_lineno} in {frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return None


@pytest.fixture(autouse=True)
def queue_change_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The fallbacks app code made during the test (a test of the guard reads and clears it)."""
    found: list[str] = []
    fallback = queue_changes.unscoped

    def guarded(state: ORMExecuteState) -> None:
        if (where := issuer()) is not None:
            table = getattr(getattr(state.statement, "table", None), "name", "?")
            found.append(f"{where} ({state.statement.__visit_name__} on {table})")
        fallback(state)

    monkeypatch.setattr(queue_changes, "unscoped", guarded)
    yield found
    if found:
        pytest.fail(
            "app code wrote a queue-tracked table without naming its brand, so every brand's "
            "counter was bumped: declare the brands (queue_changes.declare) or pass brand_id:\n"
            + "\n".join(sorted(set(found))),
            pytrace=False,
        )
