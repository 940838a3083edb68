"""Group commit for single pushes: the pushes of one account that arrive while one of its
pushes is being stored and triaged wait, then go in together as one batch.

One pushed mention costs some thirty statements and two commits whatever the batch size, so
webhook clients that send one mention per request (most of them) paid that per mention. Here
the first request of an account does the work; requests of the same account arriving
meanwhile queue up, and when it is done one of them takes everything queued so far. No
request waits on purpose: a lone request goes through at once, exactly as before; under load
the batches form by themselves (as a database's group commit does).

Each request still gets its own answer once its mention is stored, triaged and committed.
Thread-safe within one process; processes do not share queues (and need not).

Clients that each wait for their answer before the next push (most of them) would otherwise
split into alternating small batches: those answered come back just after the next batch
left. So a leader that saw N requests of its key in flight last time waits a few
milliseconds (`linger`) for that many to queue before it starts; a lone client never waits
(N is 1), and a client that stopped costs one wait, after which N is what did come.

Requests already inside this process also count: a push announces itself (`announce`) as soon
as its account is known, before its rate limit, signature and parsing, and a leader waits
(within the same `linger`) for the announced ones too. On a busy machine those few hundred
microseconds are often stretched by the scheduler: without this a push that was a moment late
went alone in the next batch, paying a whole batch's fixed cost (some thirty statements) for
one mention.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(eq=False)
class _Waiting(Generic[Item]):
    item: Item
    wake: threading.Event = field(default_factory=threading.Event)
    finished: bool = False
    outcome: Any = None  # the result, or the exception to raise in this request


@dataclass(eq=False)
class Arrival:
    """A request of `key` on its way to `submit` (see `Coalescer.announce`)."""

    key: Hashable
    pending: bool = True


# How long a leader may wait for the requests it expects: about a client's turnaround on
# loopback, far below what the batch it saves costs (tens of statements).
LINGER_SECONDS = 0.01


class Coalescer(Generic[Item, Result]):
    """Run `work` on the items submitted for one key, several at a time when they overlap."""

    def __init__(self, linger: float = LINGER_SECONDS) -> None:
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._queues: dict[Hashable, list[_Waiting[Item]]] = {}
        self._busy: set[Hashable] = set()
        self._expected: dict[Hashable, int] = {}  # requests in flight at the last batch's end
        self._arriving: dict[Hashable, int] = {}  # announced, not submitted yet
        self.linger = linger
        self.batches = 0  # how many calls of `work` (tests, benchmarks)

    @contextmanager
    def announce(self, key: Hashable) -> Iterator[Arrival]:
        """Within this block the request may `submit` for `key` (pass it the arrival): until it
        does, or leaves the block without doing so, a leader of `key` waits for it."""
        arrival = Arrival(key)
        with self._lock:
            self._arriving[key] = self._arriving.get(key, 0) + 1
        try:
            yield arrival
        finally:
            with self._lock:
                if self._settle(arrival):  # left without submitting: stop waiting for it
                    self._arrived.notify_all()

    def _settle(self, arrival: Arrival) -> bool:
        """Count `arrival` out of the announced requests; False if it was already."""
        if not arrival.pending:
            return False
        arrival.pending = False
        left = self._arriving[arrival.key] - 1
        if left:
            self._arriving[arrival.key] = left
        else:
            del self._arriving[arrival.key]
        return True

    def submit(
        self,
        key: Hashable,
        item: Item,
        work: Callable[[Sequence[Item]], Sequence[Result | BaseException]],
        arrival: Arrival | None = None,
    ) -> Result:
        """`item`'s result; `work(items)` returns one result (or exception) per item, in order,
        and runs in the thread of one of the waiting requests."""
        me: _Waiting[Item] = _Waiting(item)
        with self._lock:
            if arrival is not None:
                self._settle(arrival)
            self._queues.setdefault(key, []).append(me)
            lead = key not in self._busy
            self._busy.add(key)
            self._arrived.notify_all()
        while not me.finished:
            if lead:
                self._lead(key, work)
            else:
                me.wake.wait()
                me.wake.clear()
                lead = not me.finished  # woken to take the queue over
        if isinstance(me.outcome, BaseException):
            raise me.outcome
        return me.outcome  # type: ignore[no-any-return]

    def _lead(
        self,
        key: Hashable,
        work: Callable[[Sequence[Item]], Sequence[Result | BaseException]],
    ) -> None:
        with self._lock:
            deadline = time.monotonic() + self.linger
            while (
                len(self._queues.get(key, ())) < self._expected.get(key, 1) or key in self._arriving
            ):
                left = deadline - time.monotonic()
                if left <= 0 or not self._arrived.wait(left):
                    break
            batch = self._queues.pop(key, [])
        self.batches += 1
        try:
            outcomes: Sequence[Any] = work([w.item for w in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError(f"{len(outcomes)} results for {len(batch)} items")
        except BaseException as exc:  # every request of the batch answers with the failure
            outcomes = [exc] * len(batch)
        for waiting, outcome in zip(batch, outcomes, strict=True):
            waiting.outcome, waiting.finished = outcome, True
            waiting.wake.set()
        with self._lock:
            queued = self._queues.get(key)
            self._expected[key] = len(batch) + len(queued or ())
            if queued:
                queued[0].wake.set()  # the next leader: it takes what queued meanwhile
            else:
                self._busy.discard(key)
