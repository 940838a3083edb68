"""Two clicks on "Envoyer une variante" at once queue the variation once (PostgreSQL threads)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, Case, Mention, Reply, User
from app.services import reply_variants
from tests.factories import make_brand, make_case, make_user
from tests.races import Racer, race

pytestmark = pytest.mark.db


def _clicker(case_id: int, reply_id: int, user_id: int) -> Racer:
    def click(session: Session, ready: Callable[[], Any]) -> str:
        case, reply = session.get(Case, case_id), session.get(Reply, reply_id)
        actor = session.get(User, user_id)
        ready()
        return reply_variants.send_variant(session=session, case=case, reply=reply, actor=actor)

    return click


def test_two_variant_clicks_at_once_queue_one_variation(engine, session):
    brand = make_brand(session, slug="rail", name="Rail Azur")
    cm = make_user(session, brand, email="cm@example.test")
    case = make_case(session, brand, channel="x", person_name="Jeanne Martin")
    mention = session.exec(select(Mention).where(Mention.case_id == case.id)).one()
    reply = Reply(
        brand_id=brand.id,
        case_id=case.id,
        mention_id=mention.id,
        text="Bonjour, nous regardons.",
        outbox_state="refused",
        idempotency_key=uuid.uuid4().hex,
    )
    session.add(reply)
    session.commit()

    outcomes = race(engine, *(_clicker(case.id, reply.id, cm.id) for _ in range(2)))

    assert sorted(type(o).__name__ for o in outcomes) == ["VariantError", "str"]
    session.expire_all()
    sent = session.get(Reply, reply.id)
    assert sent.outbox_state == "queued" and sent.text == "Bonjour Jeanne Martin, nous regardons."
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "reply.variant_sent"))
    assert len(events.all()) == 1
