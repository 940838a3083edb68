"""The outbox states and their moves live in one table, and every writer goes through it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.models import OUTBOX_STATES, Reply
from app.services import outbox_states
from app.services.outbox_states import ALLOWED, OutboxStateError, move, sources

APP = Path(__file__).resolve().parents[3] / "app"


def test_every_state_has_a_row_and_moves_only_to_known_states():
    assert set(ALLOWED) == set(OUTBOX_STATES)
    for targets in ALLOWED.values():
        assert targets <= set(OUTBOX_STATES)
    assert ALLOWED["sent"] == ALLOWED["cancelled"] == frozenset()


def test_an_unknown_outcome_is_never_sent_again_without_a_check():
    # Out of "unknown" only a check's verdict leads anywhere; "sending" is not reachable.
    assert "sending" not in ALLOWED["unknown"]
    assert sources("sending") == ("queued",)
    # A reply to copy by hand never enters the sending loop (it may only be held for approval).
    assert ALLOWED["manual"] == frozenset({"sent", "draft"})
    # Nothing that may have reached the platform goes back to a draft.
    assert "draft" not in ALLOWED["unknown"] | ALLOWED["failed"]


@pytest.mark.parametrize(
    ("start", "target"),
    [("sent", "queued"), ("manual", "queued"), ("unknown", "sending"), ("failed", "sent")],
)
def test_move_refuses_what_the_table_forbids(start, target):
    reply = Reply(brand_id=1, case_id=1, text="x", idempotency_key="k", outbox_state=start)
    with pytest.raises(OutboxStateError):
        move(reply, target)
    assert reply.outbox_state == start


def test_no_code_writes_an_outbox_state_behind_the_table():
    writes = []
    for path in APP.rglob("*.py"):
        if path.name == "outbox_states.py" or "migrations" in path.parts:
            continue
        for match in re.finditer(r'outbox_state\s*=\s*"(\w+)"', path.read_text()):
            writes.append((path.relative_to(APP).as_posix(), match.group(1)))
    # A new reply starts as a draft; the worker's claim is an atomic UPDATE … WHERE state IN
    # sources("sending").
    allowed = {("services/replies.py", "draft"), ("worker/outbox.py", "sending")}
    # The demo's past (app/demo_history.py): replies seeded as already sent, never moved.
    allowed.add(("demo_history.py", "sent"))
    assert set(writes) <= allowed, writes
    assert outbox_states.sources("sending")
