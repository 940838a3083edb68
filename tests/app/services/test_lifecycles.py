"""One lifecycle per record: a table of allowed moves, and one owner that writes the state."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.models import (
    APPROVAL_STATES,
    CASE_STATUSES,
    ESCALATION_STATES,
    OUTBOX_STATES,
    ApprovalState,
    Case,
    CaseStatus,
    Escalation,
    EscalationState,
    OutboxState,
    Reply,
)
from app.services import approvals, case_states, escalations, outbox_states

APP = Path(__file__).resolve().parents[3] / "app"


def test_stored_values_are_unchanged():
    # The columns stay VARCHAR: no migration, the enums' values are the strings stored today.
    assert CASE_STATUSES == ("open", "pending_approval", "escalated", "waiting", "closed")
    assert APPROVAL_STATES == ("not_required", "pending", "approved", "rejected")
    assert ESCALATION_STATES == ("open", "answered", "handled")
    assert set(OUTBOX_STATES) == {
        "draft",
        "queued",
        "sending",
        "unknown",
        "sent",
        "failed",
        "cancelled",
        "manual",
        "refused",
    }
    assert CaseStatus.OPEN == "open" and Case().status == CaseStatus.OPEN


@pytest.mark.parametrize(
    ("table", "states"),
    [
        (case_states.ALLOWED, CaseStatus),
        (approvals.APPROVAL_MOVES, ApprovalState),
        (escalations.ESCALATION_MOVES, EscalationState),
        (outbox_states.ALLOWED, OutboxState),
    ],
)
def test_every_state_has_its_row_and_moves_stay_inside(table, states):
    assert set(table) == set(states)
    for source, targets in table.items():
        assert targets <= set(states)
        assert source not in targets  # staying put is not a move


def test_a_closed_case_only_comes_back_as_open():
    case = Case(brand_id=1, status="closed")
    for target in (CaseStatus.ESCALATED, CaseStatus.WAITING, CaseStatus.PENDING_APPROVAL):
        with pytest.raises(case_states.CaseStateError):
            case_states.move(case, target)
        assert case.status == "closed"
    case_states.reopen(case)
    assert case.status == "open" and type(case.status) is str  # the plain stored string
    case_states.reopen(case)  # staying put changes nothing
    assert case.status == "open"


def test_decided_approvals_and_handled_escalations_do_not_move_back():
    reply = Reply(brand_id=1, case_id=1, text="x", idempotency_key="k", approval_state="rejected")
    with pytest.raises(ValueError):
        approvals.move_approval(reply, ApprovalState.APPROVED)
    assert reply.approval_state == "rejected"
    escalation = Escalation(brand_id=1, case_id=1, reason="r", state="handled")
    with pytest.raises(ValueError):
        escalations.move_escalation(escalation, EscalationState.ANSWERED)
    assert escalation.state == "handled"


def _attribute_writes(attr: str) -> set[tuple[str, str]]:
    """(file under app/, the object written) for every assignment to ``<object>.<attr>``."""
    found = set()
    for path in APP.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            flat = []
            for target in targets:
                flat += target.elts if isinstance(target, ast.Tuple) else [target]
            for target in flat:
                if isinstance(target, ast.Attribute) and target.attr == attr:
                    found.add((path.relative_to(APP).as_posix(), ast.unparse(target.value)))
    return found


def test_only_case_states_writes_a_case_status():
    # Other things with a `status` (accounts, playbook versions, canned replies, poll
    # outcomes, API errors) are written where they live; a case's status only in case_states.move.
    others = {
        ("services/accounts.py", "account"),
        ("worker/polling.py", "account"),
        ("worker/polling.py", "outcome"),
        ("services/content.py", "old"),
        ("services/content.py", "playbook"),
        ("services/content.py", "reply"),
        ("views/api.py", "self"),  # an API error's HTTP status
        ("services/account_holds.py", "account"),
        ("services/invitations.py", "invitation"),
        ("services/meta_ingest.py", "self"),  # a refused delivery's HTTP status
    }
    assert _attribute_writes("status") <= others | {("services/case_states.py", "case")}


def test_approval_and_escalation_states_are_written_by_their_owner():
    assert _attribute_writes("approval_state") == {("services/approvals.py", "reply")}
    assert _attribute_writes("state") == {
        ("services/escalations.py", "escalation"),
        # A moderation action's own lifecycle (moderation_actions.ALLOWED), written only there.
        ("services/moderation_actions.py", "action"),
    }


def test_the_outbox_marks_a_reply_sent_through_replies():
    source = "".join(p.read_text() for p in (APP / "worker").glob("outbox*.py"))
    assert "replies.mark_sent(" in source
    assert not {w for w in _attribute_writes("status") if w[0].startswith("worker/outbox")}
