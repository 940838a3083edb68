"""Savepoints around the triage steps whose failure is absorbed, and the one-shot attempt that
does without them.

Triage wraps its batch, the storm watch and clustering each in a savepoint, so that a failure
of one rolls back only its own writes (a storm-watch error must not cost a mention its triage).
On PostgreSQL each savepoint is two more round trips, six per batch: most of what a pushed
single mention costs the database. A push therefore first tries its whole store-and-triage as
one shot (`one_shot`): no savepoints, and a failure anywhere, absorbed or not, propagates; the
caller rolls the transaction back and runs it again the guarded way, where each step isolates
its failure as before. The outcome is the same; a failure only costs a second attempt.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlmodel import Session

_ONE_SHOT = "vigie.savepoints.one_shot"


@contextmanager
def one_shot(session: Session) -> Iterator[None]:
    """Within this block, `isolated` takes no savepoint and `absorbs` is False: any failure
    propagates to the caller, who rolls back and tries again outside the block."""
    session.info[_ONE_SHOT] = True
    try:
        yield
    finally:
        session.info.pop(_ONE_SHOT, None)


def isolated(session: Session) -> AbstractContextManager[Any]:
    """A savepoint around a step whose failure the caller absorbs (none in a one-shot attempt)."""
    return nullcontext() if session.info.get(_ONE_SHOT) else session.begin_nested()


def absorbs(session: Session) -> bool:
    """Whether a step may absorb its failure (log it and go on): not in a one-shot attempt,
    where its writes are not rolled back on their own, so the whole attempt must be."""
    return not session.info.get(_ONE_SHOT)
