"""Fails a test whose app code commits a write of `canned_reply` without bumping the brand's
canned-replies counter (app/services/canned_changes.py).

The counter is bumped from the session's events, so any writer through the ORM is seen; a new
writer that bypasses them (raw SQL, a bare connection) would leave every process serving the
replies it kept. This watches the statements themselves, on every engine: a transaction that
wrote `canned_reply` (anything but its usage count, which nothing kept shows) must have run the
counter's upsert by its commit. Writes issued by test code (fixtures, the tables emptied after
each test) are left out, as in tests/queue_change_guard.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests import queue_change_guard

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?canned_reply"?[\s(]', re.I)
BUMP = re.compile(r'^\s*INSERT\s+INTO\s+"?canned_reply_change"?[\s(]', re.I)
SET = re.compile(r"^\s*UPDATE\s+\S+\s+SET\s+(.*?)\s+WHERE\s", re.I | re.S)
WROTE, BUMPED = "vigie_guard_canned_wrote", "vigie_guard_canned_bumped"


def issuer() -> str | None:
    return queue_change_guard.issuer()


def _usage_only(statement: str) -> bool:
    found = SET.match(statement)
    return bool(found) and set(re.findall(r"(\w+)\s*=", found.group(1))) <= {"usage_count"}  # type: ignore[union-attr]


@pytest.fixture(autouse=True)
def canned_change_guard() -> Iterator[list[str]]:
    """The unbumped commits app code made during the test (a test of the guard reads it)."""
    found: list[str] = []

    def before(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if BUMP.match(statement):
            conn.info[BUMPED] = True
        elif WRITE.match(statement) and not _usage_only(statement):
            where = issuer()
            if where is not None:
                conn.info.setdefault(WROTE, []).append(where)

    def commit(conn: Any) -> None:
        wrote, bumped = conn.info.pop(WROTE, None), conn.info.pop(BUMPED, False)
        if wrote and not bumped:
            found.extend(wrote)

    def rollback(conn: Any) -> None:
        conn.info.pop(WROTE, None)
        conn.info.pop(BUMPED, None)

    listeners = (("before_cursor_execute", before), ("commit", commit), ("rollback", rollback))
    for name, fn in listeners:
        event.listen(Engine, name, fn)
    try:
        yield found
    finally:
        for name, fn in listeners:
            event.remove(Engine, name, fn)
    if found:
        pytest.fail(
            "app code committed a write of canned_reply without bumping the brand's canned-"
            "replies counter, so other processes keep serving the old replies: write through "
            "the session (canned_changes' events) or call canned_changes.note:\n"
            + "\n".join(sorted(set(found))),
            pytrace=False,
        )
