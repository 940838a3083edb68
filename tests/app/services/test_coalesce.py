"""Group commit of single pushes: overlapping submissions ride together, each gets its own
answer, and a failure reaches only the requests it concerns."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.services.coalesce import Coalescer


def test_a_lone_submission_runs_at_once_in_its_own_batch():
    coalescer: Coalescer[int, int] = Coalescer()
    assert coalescer.submit("account", 3, lambda items: [i * 10 for i in items]) == 30
    assert coalescer.submit("account", 4, lambda items: [i * 10 for i in items]) == 40
    assert coalescer.batches == 2


def test_submissions_arriving_during_a_batch_go_together_in_the_next_one():
    coalescer: Coalescer[int, int] = Coalescer()
    first_running, release = threading.Event(), threading.Event()
    seen: list[list[int]] = []

    def work(items: Sequence[int]) -> list[int]:
        seen.append(list(items))
        if items == [0]:
            first_running.set()
            assert release.wait(10)
        return [i * 10 for i in items]

    with ThreadPoolExecutor(6) as pool:
        first = pool.submit(coalescer.submit, "account", 0, work)
        assert first_running.wait(10)
        others = [pool.submit(coalescer.submit, "account", n, work) for n in range(1, 6)]
        while sum(len(q) for q in coalescer._queues.values()) < 5:  # all five queued
            threading.Event().wait(0.01)
        release.set()
        assert first.result(10) == 0
        assert [f.result(10) for f in others] == [10, 20, 30, 40, 50]
    assert seen[0] == [0] and sorted(seen[1]) == [1, 2, 3, 4, 5] and len(seen) == 2


def test_keys_do_not_wait_for_each_other():
    coalescer: Coalescer[int, int] = Coalescer()
    running, release = threading.Event(), threading.Event()

    def slow(items: Sequence[int]) -> list[int]:
        running.set()
        assert release.wait(10)
        return list(items)

    with ThreadPoolExecutor(2) as pool:
        held = pool.submit(coalescer.submit, "a", 1, slow)
        assert running.wait(10)
        assert coalescer.submit("b", 2, lambda items: list(items)) == 2  # not behind "a"
        release.set()
        assert held.result(10) == 1


def test_a_failure_reaches_only_the_requests_it_concerns():
    coalescer: Coalescer[int, int] = Coalescer()

    def work(items: Sequence[int]) -> list[int | BaseException]:
        return [ValueError(f"bad {i}") if i < 0 else i for i in items]

    assert coalescer.submit("k", 5, work) == 5
    with pytest.raises(ValueError, match="bad -1"):
        coalescer.submit("k", -1, work)

    def broken(items: Sequence[int]) -> list[int]:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError, match="database gone"):
        coalescer.submit("k", 1, broken)
    # The key is free again: the next submission is not stuck behind the failed batch.
    assert coalescer.submit("k", 7, work) == 7


def test_a_leader_waits_for_an_announced_request_and_takes_it_in_its_batch():
    coalescer: Coalescer[int, int] = Coalescer(linger=10)  # bounded far beyond the test
    seen: list[list[int]] = []
    announced, go = threading.Event(), threading.Event()

    def work(items: Sequence[int]) -> list[int]:
        seen.append(list(items))
        return list(items)

    def late() -> int:
        with coalescer.announce("k") as arrival:  # authenticated, still parsing
            announced.set()
            assert go.wait(10)
            return coalescer.submit("k", 2, work, arrival)

    with ThreadPoolExecutor(2) as pool:
        second = pool.submit(late)
        assert announced.wait(10)
        first = pool.submit(coalescer.submit, "k", 1, work)
        threading.Event().wait(0.05)
        assert not first.done()  # the leader waits for the announced push
        go.set()
        assert first.result(10) == 1 and second.result(10) == 2
    assert seen == [[1, 2]]


def test_an_announced_request_that_never_submits_stops_holding_the_leader():
    coalescer: Coalescer[int, int] = Coalescer(linger=10)
    announced, leave = threading.Event(), threading.Event()

    def refused() -> None:  # e.g. over its rate limit: answered without submitting
        with coalescer.announce("k"):
            announced.set()
            assert leave.wait(10)

    with ThreadPoolExecutor(2) as pool:
        gone = pool.submit(refused)
        assert announced.wait(10)
        first = pool.submit(coalescer.submit, "k", 1, lambda items: list(items))
        threading.Event().wait(0.05)
        assert not first.done()
        leave.set()
        gone.result(10)
        assert first.result(10) == 1
    assert not coalescer._arriving  # nothing left announced


def test_the_wait_for_announced_requests_is_bounded():
    coalescer: Coalescer[int, int] = Coalescer(linger=0.05)
    with coalescer.announce("k"):  # announced by this thread, never submitted meanwhile
        assert coalescer.submit("k", 1, lambda items: list(items)) == 1
    assert coalescer.batches == 1 and not coalescer._arriving
