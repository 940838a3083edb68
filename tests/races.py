"""`race`: several actions started together in real threads, each with its own session.

Every write path two people or processes can hit at once has a race test built on it: each
racer loads what it acts on, calls `ready()` (a barrier) and then acts, so both act together.
On SQLite by default; on PostgreSQL when VIGIE_TEST_DATABASE_URL points at one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

Racer = Callable[[Session, Callable[[], Any]], Any]


def race(engine, *racers: Racer) -> list[Any]:
    """Run the racers in threads started together; each one's result, or the error it raised."""
    barrier = threading.Barrier(len(racers), timeout=30)
    outcomes: list[Any] = [None] * len(racers)

    def run(i: int, racer: Racer) -> None:
        with Session(engine, expire_on_commit=False) as session:
            try:
                outcomes[i] = racer(session, barrier.wait)
                session.commit()
            except Exception as exc:  # the loser's refusal is the point of the test
                session.rollback()
                outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racer is stuck (deadlock?)"
    return outcomes
