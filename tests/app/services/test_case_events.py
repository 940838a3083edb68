"""Every case-scoped audit event goes through `audit.case_event` (one helper, no copies)."""

from __future__ import annotations

import ast
from pathlib import Path

from app.models import AuditEvent, Reply
from app.services import audit

ROOT = Path(__file__).resolve().parents[3]


def test_no_hand_written_case_event_is_left():
    copies = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
                and any(k.arg == "case_id" for k in node.keywords)
            ):
                copies.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert copies == [], "use audit.case_event(session=…, case=…, action=…)"


def test_a_case_event_takes_brand_and_case_from_the_case(session):
    from tests.factories import make_brand, make_case

    brand = make_brand(session)
    case = make_case(session, brand, "Mon colis n'est jamais arrivé")
    on_case = audit.case_event(session=session, case=case, action="case.closed", note="fini")
    reply = Reply(id=99, case_id=case.id, brand_id=brand.id, text="x", idempotency_key="k")
    on_reply = audit.case_event(
        session=session,
        case=audit.case_of(reply),
        action="reply.sent",
        target_type="reply",
        target_id=reply.id,
        actor_label="worker",
    )
    assert isinstance(on_case, AuditEvent)
    assert (on_case.brand_id, on_case.case_id, on_case.target_type, on_case.target_id) == (
        brand.id,
        case.id,
        "case",
        case.id,
    )
    assert (on_reply.brand_id, on_reply.case_id, on_reply.target_type, on_reply.target_id) == (
        brand.id,
        case.id,
        "reply",
        99,
    )
    assert on_reply.actor_label == "worker" and on_case.actor_label == "system"
