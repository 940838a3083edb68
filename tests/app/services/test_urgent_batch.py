"""Ingest opens a batch's urgent escalations together (one SELECT, one INSERT): the same rows
and audit events as one by one, and never a second open urgent escalation for a case."""

from __future__ import annotations

from types import SimpleNamespace

from sqlmodel import select

from app.models import AuditEvent, Escalation, utcnow
from app.services import audit, escalations
from tests.factories import make_brand, make_case

DECISION = SimpleNamespace(severity="S4", evidence=[{"rule": "menace", "explanation": "Menace"}])


def _open(session, cases, new_case_ids=()):
    events = escalations.open_urgent_escalations(
        session=session,
        urgent=[(case, DECISION) for case in cases],
        now=utcnow(),
        new_case_ids=new_case_ids,
    )
    audit.insert_many(session=session, events=events)
    session.commit()
    return events


def test_a_batch_opens_one_urgent_escalation_per_case_unless_one_is_open(session):
    brand = make_brand(session, slug="rail", name="Rail")
    first, second, third = (make_case(session, brand, f"Texte {n}") for n in range(3))
    single = escalations.open_urgent_escalation(
        session=session, case=first, decision=DECISION, now=utcnow()
    )
    session.commit()

    events = _open(session, [first, second, third], new_case_ids={third.id})
    assert [e["case_id"] for e in events] == [second.id, third.id]
    rows = session.exec(select(Escalation).order_by(Escalation.id)).all()
    assert [(r.case_id, r.urgency, r.state) for r in rows] == [
        (first.id, "urgent", "open"),
        (second.id, "urgent", "open"),
        (third.id, "urgent", "open"),
    ]
    assert rows[1].reason == single.reason == "Escalade urgente automatique (S4) : Menace"
    assert rows[1].deadline_at is not None and rows[1].ack_token_hash is None
    opened = session.exec(
        select(AuditEvent).where(AuditEvent.action == "escalation.opened").order_by(AuditEvent.id)
    ).all()
    assert [(e.case_id, e.target_id, e.actor_label) for e in opened] == [
        (first.id, rows[0].id, "playbook"),
        (second.id, rows[1].id, "playbook"),
        (third.id, rows[2].id, "playbook"),
    ]
    assert opened[1].after == {"urgency": "urgent", "reason": rows[1].reason}

    assert _open(session, [first, second, third]) == []  # all open: nothing new
    assert len(session.exec(select(Escalation)).all()) == 3
