"""Meta writes back off on usage headers like polling does: while the fake Graph server reports
usage past the threshold, or refuses with a rate-limit code, no reply, private message, hide or
delete goes out; each waits for the time Meta gives, then goes out once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import respx
from sqlmodel import select

from app.models import ConnectorAccount, Mention, ModerationAction, Reply, utcnow
from app.worker.runner import Worker
from tests.app.services.test_meta_private import (
    _account,
    _case_of,
    _cm,
    _deliver,
    _open_for_replies,
)
from tests.conftest import login, post
from tests.connectors.fake_graph import FakeGraph, rate_limit_error
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db

WRITES = ("POST", "DELETE")


@pytest.fixture
def graph():
    fake = FakeGraph()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


@pytest.fixture
def brand(session):
    return make_brand(session, slug="acme", name="Acme")


def _writes(graph: FakeGraph) -> list[str]:
    return [f"{r.method} {r.path}" for r in graph.requests if r.method in WRITES]


def _queue_everything(app, client, session, brand, graph: FakeGraph):
    """A comment answered publicly, hidden and deleted, and a Messenger message answered."""
    comment = graph.add_comment("Arnaque, rendez-moi mon argent")
    other = graph.add_comment("Bande d'escrocs", name="Jean Visiteur")
    message = graph.add_message("Bonjour, où est ma commande ?")
    for body in (
        graph.feed_delivery(comment),
        graph.feed_delivery(other),
        graph.message_delivery(message),
    ):
        assert _deliver(client, graph, body).status_code == 200
    _cm(client, session, brand, role="lead", email="lead@example.test")
    for external_id, text in (
        (comment["id"], "Bonjour, nous regardons."),
        (message["id"], "On s'en occupe."),
    ):
        case = _case_of(session, external_id)
        _open_for_replies(session, case)
        assert post(client, f"/cases/{case.id}/reply", {"text": text}).status_code == 302
    hidden = session.exec(select(Mention).where(Mention.external_id == comment["id"])).one()
    hidden.hidden, hidden.hide_state = True, "pending"
    session.add(hidden)
    session.commit()
    doomed = session.exec(select(Mention).where(Mention.external_id == other["id"])).one()
    case = _case_of(session, other["id"])
    response = post(
        client,
        f"/cases/{case.id}/mentions/{doomed.id}/moderate",
        {"action": "delete", "reason": "insulte"},
    )
    assert response.status_code == 302
    assert session.exec(select(ModerationAction)).one().state == "pending"  # a lead asked
    return comment, other, message


def _run(worker: Worker) -> None:
    worker.send_outbox()
    worker.moderate()
    worker.sync_hidden()


def _time_passes(session, account_id: int) -> None:
    """The throttle's end and the deferred items' time have come."""
    session.expire_all()
    account = session.get(ConnectorAccount, account_id)
    account.rate_limit_reset_at = utcnow() - timedelta(seconds=1)
    session.add(account)
    for reply in session.exec(select(Reply)):
        reply.next_attempt_at = utcnow() - timedelta(seconds=1)
        session.add(reply)
    session.commit()


def _all_done(session, graph: FakeGraph, comment, other) -> None:
    session.expire_all()
    assert [r.outbox_state for r in session.exec(select(Reply))] == ["sent", "sent"]
    assert [c["message"] for c in graph.posted] == ["Bonjour, nous regardons."]
    assert [m["message"] for m in graph.sent_messages] == ["On s'en occupe."]
    assert graph.objects[comment["id"]]["is_hidden"] is True
    assert other["id"] in graph.deleted
    assert session.exec(select(ModerationAction)).one().state == "done"
    writes = _writes(graph)
    assert len(writes) == len(set(writes)) == 4, writes  # reply, message, hide, delete: once


def test_high_usage_headers_hold_every_write_until_usage_drops(app, client, session, brand, graph):
    account = _account(session, brand, graph)
    account.options = {**account.options, "direct_messages": True}
    session.add(account)
    session.commit()
    comment, other, _ = _queue_everything(app, client, session, brand, graph)
    graph.usage = 95  # the next answer says the Page is near its limit
    account.next_poll_at = utcnow()
    session.add(account)
    session.commit()
    worker = Worker(app)
    worker.poll_due()
    session.expire_all()
    account = session.get(ConnectorAccount, account.id)
    assert account.rate_limit_remaining == 5 and account.rate_limit_reset_at > utcnow()
    graph.requests.clear()
    _run(worker)
    _run(worker)
    assert _writes(graph) == []  # nothing sent while throttled
    replies = session.exec(select(Reply)).all()
    assert {r.outbox_state for r in replies} == {"queued"}
    assert all(
        r.next_attempt_at >= account.rate_limit_reset_at - timedelta(seconds=1) for r in replies
    )
    assert all(r.attempts == 0 and r.last_error_code == "rate_limited" for r in replies)
    action = session.exec(select(ModerationAction)).one()
    assert action.state == "pending" and action.attempts == 0 and "reporté" in action.error
    # The admin sees the usage and until when writes wait.
    make_user(session, brand, role="admin", email="admin@example.test")
    admin = app.test_client()
    login(admin, "admin@example.test")
    page = admin.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert 'data-meta-usage="95"' in page and "data-deferred-until" in page
    graph.usage = 20
    _time_passes(session, account.id)
    _run(worker)
    _run(worker)
    _all_done(session, graph, comment, other)


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_a_rate_limit_code_on_a_write_defers_everything_for_the_time_meta_gives(
    app, client, session, brand, graph, code
):
    account = _account(session, brand, graph)
    comment, other, _ = _queue_everything(app, client, session, brand, graph)
    graph.requests.clear()
    graph.inject(r"/comments$", rate_limit_error(code, regain_minutes=7), method="POST")
    worker = Worker(app)
    _run(worker)
    assert graph.posted == [] and graph.sent_messages == [] and other["id"] not in graph.deleted
    session.expire_all()
    account = session.get(ConnectorAccount, account.id)
    wait = account.rate_limit_reset_at - utcnow()
    assert account.rate_limit_remaining == 0 and timedelta(minutes=6) < wait <= timedelta(minutes=7)
    for reply in session.exec(select(Reply)):
        assert reply.outbox_state == "queued" and reply.attempts == 0
        assert timedelta(minutes=6) < reply.next_attempt_at - utcnow() <= timedelta(minutes=7)
    writes = _writes(graph)
    assert len(writes) == 1 and writes[0].endswith("/comments")  # only the refused one
    graph.requests.clear()
    _time_passes(session, account.id)
    _run(worker)
    _run(worker)
    _all_done(session, graph, comment, other)


def test_two_workers_deferring_the_same_action_audit_it_once(app, session, brand, graph, engine):
    """Two worker processes meet a throttled account's pending delete at once."""
    from app.models import AuditEvent
    from app.services import moderation_actions
    from tests.app.services.test_case_locks import race

    client = app.test_client()
    account = _account(session, brand, graph)
    other = graph.add_comment("Bande d'escrocs", name="Jean Visiteur")
    assert _deliver(client, graph, graph.feed_delivery(other)).status_code == 200
    mention = session.exec(select(Mention)).one()
    row = ModerationAction(
        brand_id=brand.id,
        case_id=mention.case_id,
        mention_id=mention.id,
        account_id=account.id,
        action="delete",
        state="pending",
    )
    session.add(row)
    session.commit()
    until = utcnow() + timedelta(minutes=7)

    def defer(s, ready):
        action = s.get(ModerationAction, row.id)
        ready()
        return moderation_actions.defer(s, action, until)

    outcomes = race(engine, defer, defer)
    assert sorted(outcomes) == [False, True]
    session.expire_all()
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "moderation.deferred"))
    assert len(events.all()) == 1
    assert "reporté" in session.get(ModerationAction, row.id).error
