"""Meta private replies, deletes and acknowledgements under concurrency (real threads; on
PostgreSQL when VIGIE_TEST_DATABASE_URL points at one): once per comment, once per request,
once per conversation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, Brand, Case, Mention, ModerationAction, Reply, User, utcnow
from app.security.secrets_box import SecretsBox
from app.services import dm_ack, meta_messaging, moderation_actions
from app.worker import moderation
from app.worker.outbox import send_due
from tests.app.services.test_meta_private import (  # noqa: F401
    _account,
    _closed_all_week,
    _deliver,
    _open_for_replies,
    graph,
)
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.factories import make_brand, make_user
from tests.races import Racer, race

pytestmark = pytest.mark.db


@pytest.fixture
def brand(session):
    return make_brand(session, slug="acme", name="Acme")


def _comment_case(client, session, brand, graph) -> tuple[Case, Mention]:  # noqa: F811
    _account(session, brand, graph)
    comment = graph.add_comment("Je veux être remboursé")
    _deliver(client, graph, graph.feed_delivery(comment))
    session.expire_all()
    mention = session.exec(select(Mention)).one()
    case = session.get(Case, mention.case_id)
    _open_for_replies(session, case)
    return case, mention


def _private_replier(case_id: int, mention_id: int, brand_id: int, user_id: int) -> Racer:
    def send(session: Session, ready: Callable[[], Any]) -> Reply:
        case, mention = session.get(Case, case_id), session.get(Mention, mention_id)
        brand, actor = session.get(Brand, brand_id), session.get(User, user_id)
        ready()
        return meta_messaging.send_private_reply(
            session=session,
            case=case,
            brand=brand,
            mention=mention,
            actor=actor,
            text=f"Bonjour, écrivez-nous ici ({user_id}).",
        )

    return send


def test_two_cms_send_a_private_reply_to_one_comment_at_once_one_goes(
    app,
    client,
    engine,
    session,
    brand,
    graph,  # noqa: F811
):
    case, mention = _comment_case(client, session, brand, graph)
    one = make_user(session, brand, email="one@example.test")
    two = make_user(session, brand, email="two@example.test")
    outcomes = race(
        engine,
        _private_replier(case.id, mention.id, brand.id, one.id),
        _private_replier(case.id, mention.id, brand.id, two.id),
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["CaseworkError", "Reply"]
    session.expire_all()
    assert len(session.exec(select(Reply).where(Reply.kind == "private")).all()) == 1
    # Two workers then send the outbox at once: one Send API call.
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    race(
        engine,
        *(
            (lambda s, ready, n=n: (ready(), send_due(engine, box, f"worker-{n}")))
            for n in range(2)
        ),
    )
    assert len(graph.requests_to("/messages", "POST")) == 1


def test_two_workers_carry_out_one_delete_once(app, client, engine, session, brand, graph):  # noqa: F811
    case, mention = _comment_case(client, session, brand, graph)
    lead = make_user(session, brand, role="lead", email="lead@example.test")
    asked = moderation_actions.request(
        session=session, case=case, mention=mention, actor=lead, action="delete", may_decide=True
    )
    session.commit()
    assert (asked.state, asked.decided_by_id) == ("pending", lead.id)  # a lead's: at once
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    race(
        engine,
        *((lambda s, ready: (ready(), moderation.carry_out(engine, box))) for _ in range(2)),
    )
    assert len(graph.requests_to(mention.external_id + "$", "DELETE")) == 1
    session.expire_all()
    assert session.exec(select(ModerationAction)).one().state == "done"


def test_two_requests_and_two_decisions_at_once_make_one_action(
    app,
    client,
    engine,
    session,
    brand,
    graph,  # noqa: F811
):
    case, mention = _comment_case(client, session, brand, graph)
    cms = [make_user(session, brand, email=f"cm{n}@example.test") for n in range(2)]

    def ask(user_id: int) -> Racer:
        def run(s: Session, ready: Callable[[], Any]) -> ModerationAction:
            c, m, u = s.get(Case, case.id), s.get(Mention, mention.id), s.get(User, user_id)
            ready()
            return moderation_actions.request(
                session=s, case=c, mention=m, actor=u, action="delete", may_decide=False
            ).id

        return run

    outcomes = race(engine, *(ask(u.id) for u in cms))
    # One request: the second asker is given the first's (no second row, no second audit).
    session.expire_all()
    action = session.exec(select(ModerationAction)).one()
    assert outcomes == [action.id, action.id] and action.state == "awaiting_approval"
    asked = session.exec(select(AuditEvent).where(AuditEvent.action == "moderation.requested"))
    assert len(asked.all()) == 1
    leads = [make_user(session, brand, role="lead", email=f"l{n}@example.test") for n in range(2)]

    def decide(user_id: int) -> Racer:
        def run(s: Session, ready: Callable[[], Any]) -> None:
            a, u = s.get(ModerationAction, action.id), s.get(User, user_id)
            ready()
            moderation_actions.decide(session=s, row=a, actor=u, approve=True, now=utcnow())

        return run

    outcomes = race(engine, *(decide(u.id) for u in leads))
    assert sorted(type(o).__name__ for o in outcomes) == ["ModerationError", "NoneType"]


def test_two_workers_acknowledge_a_conversation_once(
    app,
    client,
    engine,
    session,
    brand,
    graph,  # noqa: F811
):
    _closed_all_week(session, brand)  # never open now, whatever the day CI runs
    _account(session, brand, graph)
    _deliver(client, graph, graph.message_delivery(graph.add_message("Bonjour ?")))
    outcomes = race(
        engine, *((lambda s, ready: (ready(), dm_ack.acknowledge_new(engine))[1]) for _ in range(2))
    )
    assert sorted(outcomes) == [0, 1]
    session.expire_all()
    assert len(session.exec(select(Reply).where(Reply.kind == "ack")).all()) == 1


def test_two_cms_undo_one_rule_hide_at_once_one_does_it(
    app,
    client,
    engine,
    session,
    brand,
    graph,  # noqa: F811
):
    from app.models import AuditEvent
    from app.services import case_platform

    _case, mention = _comment_case(client, session, brand, graph)
    mention.hidden, mention.hide_state = True, "done"
    session.add(mention)
    session.commit()
    cms = [make_user(session, brand, email=f"u{n}@example.test") for n in range(2)]

    def undo(user_id: int) -> Racer:
        def run(s: Session, ready: Callable[[], Any]) -> None:
            m, u = s.get(Mention, mention.id), s.get(User, user_id)
            ready()
            case_platform.review_rule_hide(session=s, mention=m, actor=u, keep_hidden=False)

        return run

    outcomes = race(engine, *(undo(u.id) for u in cms))
    assert sorted(type(o).__name__ for o in outcomes) == ["CaseworkError", "NoneType"]
    session.expire_all()
    undone = select(AuditEvent).where(AuditEvent.action == "mention.rule_hide_undone")
    assert len(session.exec(undone).all()) == 1
    assert session.get(Mention, mention.id).hidden is False
