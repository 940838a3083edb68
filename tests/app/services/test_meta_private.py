"""Meta private messages in the console: conversations as cases with their 24-hour window,
private replies to comments (once, within 7 days), deletes approved by a lead and carried out
by the worker, the hidden-by-rule list, the acknowledgement outside business hours."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import respx
from sqlmodel import select

from app.models import Case, ConnectorAccount, Mention, ModerationAction, Reply, utcnow
from app.security.secrets_box import SecretsBox
from app.services import dm_ack
from app.services.accounts import create_account
from app.worker.runner import Worker
from playbooks import hours
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.connectors.fake_core import COMMIT_THEN_STALL
from tests.connectors.fake_graph import FakeGraph
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db

URL = "/api/v1/meta/webhook"


@pytest.fixture
def graph():
    fake = FakeGraph()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


@pytest.fixture
def brand(session):
    return make_brand(session, slug="acme", name="Acme")


def _account(session, brand, graph: FakeGraph, platform: str = "facebook") -> ConnectorAccount:
    key = "page_id" if platform == "facebook" else "ig_user_id"
    object_id = graph.page_id if platform == "facebook" else graph.ig_user_id
    account, _ = create_account(
        session=session,
        brand=brand,
        platform=platform,
        credentials={
            key: object_id,
            "access_token": graph.token,
            "app_secret": graph.app_secret,
            "verify_token": graph.verify_token,
        },
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        base_url=graph.base_url,
        verify=True,
    )
    account.options = {**(account.options or {}), "direct_messages": True}
    session.add(account)
    session.commit()
    return account


@pytest.fixture
def facebook(session, brand, graph):
    return _account(session, brand, graph)


def _deliver(client, graph: FakeGraph, body: bytes):
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": graph.sign(body)}
    return client.post(URL, data=body, headers=headers)


def _cm(client, session, brand, role="community_manager", email="cm@example.test"):
    make_user(session, brand, role=role, email=email)
    login(client, email)


def _case_of(session, external_id: str) -> Case:
    session.expire_all()
    mention = session.exec(select(Mention).where(Mention.external_id == external_id)).one()
    case = session.get(Case, mention.case_id)
    assert case is not None
    return case


def _open_for_replies(session, case: Case) -> None:
    """The playbook may reserve the case; these tests are about the channel, not delegation."""
    case.action, case.approver = "reply", None
    session.add(case)
    session.commit()


def test_a_messenger_conversation_is_a_case_answered_through_the_send_api(
    app, client, session, brand, facebook, graph
):
    first = graph.add_message("Bonjour, ma commande CB-1042 n'est pas arrivée")
    assert _deliver(client, graph, graph.message_delivery(first)).get_json()["stored"] == 1
    second = graph.add_message("Vous êtes là ?")
    _deliver(client, graph, graph.message_delivery(second))
    _deliver(client, graph, graph.message_delivery(second))  # Meta delivers twice
    case = _case_of(session, first["id"])
    assert case.channel == "messenger" and case.mention_count == 2
    _open_for_replies(session, case)
    _cm(client, session, brand)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'data-window="open"' in page
    response = post(
        client, f"/cases/{case.id}/reply", {"text": "Bonjour, nous regardons votre commande."}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    Worker(app).send_outbox()
    Worker(app).send_outbox()
    sent = [m for m in graph.messages_with("7001") if m["from"]["id"] == graph.page_id]
    assert [m["message"] for m in sent] == ["Bonjour, nous regardons votre commande."]
    reply = session.exec(select(Reply)).one()
    session.refresh(reply)
    assert reply.outbox_state == "sent" and reply.external_id == sent[0]["id"]


def test_a_lost_message_webhook_is_caught_by_polling_once(
    app, client, session, brand, facebook, graph
):
    worker = Worker(app)
    worker.poll_due()
    delivered = graph.add_message("Premier message")
    lost = graph.add_message("Deuxième message, webhook perdu")
    _deliver(client, graph, graph.message_delivery(delivered))
    account = session.get(ConnectorAccount, facebook.id)
    account.next_poll_at = utcnow()
    session.add(account)
    session.commit()
    assert [o.stored for o in worker.poll_due()] == [1]
    session.expire_all()
    ids = sorted(m.external_id for m in session.exec(select(Mention)))
    assert ids == sorted([delivered["id"], lost["id"]])


def test_outside_the_window_a_reply_is_refused_with_the_reason(
    client, session, brand, facebook, graph
):
    old = graph.add_message("Bonjour ?", ago=timedelta(hours=30))
    _deliver(client, graph, graph.message_delivery(old))
    case = _case_of(session, old["id"])
    _open_for_replies(session, case)
    _cm(client, session, brand)
    assert 'data-window="closed"' in client.get(f"/cases/{case.id}").get_data(as_text=True)
    response = post(client, f"/cases/{case.id}/reply", {"text": "Bonjour, nous regardons."})
    assert response.status_code == 422
    assert "24 heures" in response.get_data(as_text=True)
    assert session.exec(select(Reply)).all() == []


def test_a_private_reply_once_per_comment_survives_a_stall(
    app, client, session, brand, facebook, graph
):
    comment = graph.add_comment("Je veux être remboursé, c'est honteux")
    _deliver(client, graph, graph.feed_delivery(comment))
    case = _case_of(session, comment["id"])
    _open_for_replies(session, case)
    mention = session.exec(select(Mention)).one()
    _cm(client, session, brand)
    assert "Envoyer en privé" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    path = f"/cases/{case.id}/mentions/{mention.id}/private-reply"
    assert post(client, path, {"text": "Bonjour, écrivez-nous ici."}).status_code == 302
    again = post(client, path, {"text": "Encore nous."})
    assert again.status_code == 302  # refused: flashed on the case page
    assert len(session.exec(select(Reply).where(Reply.kind == "private")).all()) == 1
    graph.inject("/messages", COMMIT_THEN_STALL, method="POST")
    worker = Worker(app)
    assert worker.send_outbox().unknown == 1
    reply = session.exec(select(Reply)).one()
    session.refresh(reply)
    reply.next_attempt_at = utcnow()
    session.add(reply)
    session.commit()
    assert worker.send_outbox().reconciled == 1
    assert len(graph.sent_messages) == 1 and comment["private_reply"]
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "une seule permise" in page


def test_no_private_reply_after_seven_days_and_the_case_says_why(
    client, session, brand, facebook, graph
):
    comment = graph.add_comment("Vieux commentaire")
    _deliver(client, graph, graph.feed_delivery(comment))
    mention = session.exec(select(Mention)).one()
    mention.posted_at = utcnow() - timedelta(days=8)
    session.add(mention)
    session.commit()
    case = _case_of(session, comment["id"])
    _cm(client, session, brand)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "plus de 7 jours" in page and "Envoyer en privé" not in page


def test_a_cm_asks_to_delete_a_lead_approves_the_worker_deletes_after_a_stall(
    app, client, session, brand, facebook, graph
):
    insult = graph.add_comment("Bande d'escrocs", name="Jean Visiteur")
    _deliver(client, graph, graph.feed_delivery(insult))
    case = _case_of(session, insult["id"])
    mention = session.exec(select(Mention)).one()
    _cm(client, session, brand)
    response = post(
        client,
        f"/cases/{case.id}/mentions/{mention.id}/moderate",
        {"action": "delete", "reason": "insulte"},
    )
    assert response.status_code == 302
    action = session.exec(select(ModerationAction)).one()
    assert (action.state, action.approver, action.reason) == (
        "awaiting_approval",
        "lead",
        "insulte",
    )
    Worker(app).moderate()
    assert insult["id"] not in graph.deleted  # not before a lead's approval
    # A CM cannot approve.
    decide = f"/cases/{case.id}/moderation/{action.id}/approve"
    assert post(client, decide, {}).status_code == 403
    lead = app.test_client()
    _cm(lead, session, brand, role="lead", email="lead@example.test")
    page = lead.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Supprimer le commentaire" in page and "insulte" in page
    assert post(lead, decide, {}).status_code == 302
    graph.inject(r"/v[\d.]+/" + insult["id"] + "$", COMMIT_THEN_STALL, method="DELETE")
    Worker(app).moderate()
    session.refresh(action)
    # Outcome unknown: still pending, the platform is checked before anything is sent again.
    assert action.state == "pending" and action.check_first and insult["id"] in graph.deleted
    Worker(app).moderate()
    session.refresh(action)
    assert action.state == "done"
    session.refresh(mention)
    assert mention.hidden  # gone from the platform: shown as removed in the case
    assert len(graph.requests_to(insult["id"] + "$", "DELETE")) == 1  # never sent twice


def test_hidden_by_rule_list_and_undo_in_one_click(app, client, session, brand, facebook, graph):
    from app.models import Triage

    comment = graph.add_comment("spam spam")
    _deliver(client, graph, graph.feed_delivery(comment))
    mention = session.exec(select(Mention)).one()
    triage = session.exec(select(Triage).where(Triage.mention_id == mention.id)).one()
    triage.action = "hide"
    mention.hidden, mention.hide_state = True, "done"
    session.add_all([triage, mention])
    session.commit()
    _cm(client, session, brand)
    page = client.get("/cases/hidden-by-rule").get_data(as_text=True)
    assert "spam spam" in page and "Rendre visible" in page
    assert (
        post(client, f"/cases/hidden-by-rule/{mention.id}", {"decision": "undo"}).status_code == 302
    )
    session.refresh(mention)
    assert not mention.hidden and mention.hide_state == "pending"
    Worker(app).sync_hidden()
    assert graph.objects[comment["id"]]["is_hidden"] is False
    assert "spam spam" not in client.get("/cases/hidden-by-rule").get_data(as_text=True)


def test_the_brand_switch_turns_automatic_hiding_off(session, brand):
    from app.services import case_platform

    assert case_platform.auto_moderation_on(brand.settings)
    assert not case_platform.auto_moderation_on({"auto_moderation": False})


def _closed_all_week(session, brand) -> str:
    """Open one minute a week, three days from today (so never now, never "demain"); returns
    the weekday the acknowledgement names."""
    day = (utcnow().astimezone(ZoneInfo(brand.timezone)) + timedelta(days=3)).weekday()
    brand.business_hours = {hours.DAYS[day]: ["08:00", "08:01"]}
    brand.settings = {**(brand.settings or {}), "dm_ack": {"enabled": True}}
    session.add(brand)
    session.commit()
    return dm_ack.WEEKDAYS[day]


def test_acknowledgement_outside_hours_once_per_conversation_never_public(
    app, client, session, brand, facebook, graph
):
    weekday = _closed_all_week(session, brand)
    first = graph.add_message("Bonjour, il y a quelqu'un ?")
    _deliver(client, graph, graph.message_delivery(first))
    comment = graph.add_comment("Commentaire public la nuit")
    _deliver(client, graph, graph.feed_delivery(comment))
    worker = Worker(app)
    worker.moderate()
    worker.moderate()
    acks = session.exec(select(Reply).where(Reply.kind == "ack")).all()
    assert len(acks) == 1 and f"{weekday} 8 h" in acks[0].text
    worker.send_outbox()
    second = graph.add_message("Toujours là ?")
    _deliver(client, graph, graph.message_delivery(second))
    worker.moderate()
    worker.send_outbox()
    ours = [m for m in graph.messages_with("7001") if m["from"]["id"] == graph.page_id]
    assert len(ours) == 1 and f"nous vous répondrons dès {weekday} 8 h" in ours[0]["message"]
    case = _case_of(session, first["id"])
    assert case.first_response_at is None and case.status == "open"  # still to be answered
    assert graph.requests_to("/comments", "POST") == []  # nothing public


def test_no_acknowledgement_when_the_brand_did_not_turn_it_on(
    app, client, session, brand, facebook, graph
):
    brand.business_hours = {"mon": ["08:00", "08:01"]}
    session.add(brand)
    session.commit()
    _deliver(client, graph, graph.message_delivery(graph.add_message("Bonjour")))
    Worker(app).moderate()
    assert session.exec(select(Reply)).all() == []


def test_brand_switches_are_saved_proofread_and_audited(client, session, brand):
    from app.models import AuditEvent

    make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    path = f"/admin/brands/{brand.id}/moderation"
    assert "Masquage automatique" in client.get(path).get_data(as_text=True)
    bad = post(client, path, {"ack_enabled": "on", "ack_text": "Merci, a bientot."})
    assert bad.status_code == 422 and "{quand}" in bad.get_data(as_text=True)
    good = post(
        client,
        path,
        {
            "ack_enabled": "on",
            "ack_text": "Merci pour votre message : nous vous répondrons dès {quand}.",
        },
    )
    assert good.status_code == 302
    session.refresh(brand)
    assert brand.settings["dm_ack"]["enabled"] and brand.settings["auto_moderation"] is False
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "brand.moderation_settings_saved")
    ).all()
    assert len(events) == 1


@pytest.mark.parametrize("switch", [True, False])
def test_the_brand_switch_decides_whether_a_rule_hides_at_ingest(
    app, client, session, brand, facebook, graph, switch
):
    from pathlib import Path

    from app.models import Triage
    from app.services import content

    shipped = Path(__file__).resolve().parents[3] / "playbooks" / "shipped" / "demo-shop.yaml"
    content.save_playbook(
        session=session, brand=brand, source=shipped.read_text(), actor=None, publish=True
    )
    brand.settings = {"auto_moderation": switch}
    session.add(brand)
    session.commit()
    comment = graph.add_comment("Gagnez de l'argent facile avec le bitcoin, revenus passifs !")
    _deliver(client, graph, graph.feed_delivery(comment))
    mention = session.exec(select(Mention)).one()
    triage = session.exec(select(Triage).where(Triage.mention_id == mention.id)).one()
    assert triage.action == "hide"  # the shipped playbook's spam rule
    assert mention.hidden is switch
    Worker(app).sync_hidden()
    assert graph.objects[comment["id"]]["is_hidden"] is switch
    _cm(client, session, brand)
    page = client.get("/cases/hidden-by-rule").get_data(as_text=True)
    assert "Gagnez" in page
    assert ("Rendre visible" in page) is switch


def test_an_admin_turns_on_reading_messages_and_the_human_agent_tag(
    client, session, brand, facebook, graph
):
    facebook.options = {}
    session.add(facebook)
    session.commit()
    make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    detail = client.get(f"/admin/accounts/{facebook.id}").get_data(as_text=True)
    assert "Relever aussi les messages privés" in detail
    path = f"/admin/accounts/{facebook.id}/meta-options"
    assert post(client, path, {"direct_messages": "on", "human_agent_tag": "on"}).status_code == 302
    session.refresh(facebook)
    assert facebook.options["direct_messages"] and facebook.options["human_agent_tag"]
    old = graph.add_message("Bonjour ?", ago=timedelta(hours=30))
    _deliver(client, graph, graph.message_delivery(old))
    case = _case_of(session, old["id"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'data-window="human_agent"' in page


def test_where_the_playbook_reserves_the_case_to_the_brand_the_brand_approves_the_delete(
    app, client, session, brand, facebook, graph
):
    insult = graph.add_comment("Bande d'escrocs", name="Jean Visiteur")
    _deliver(client, graph, graph.feed_delivery(insult))
    case = _case_of(session, insult["id"])
    case.action, case.approver = "escalate", "brand"
    session.add(case)
    session.commit()
    mention = session.exec(select(Mention)).one()
    lead = app.test_client()
    _cm(lead, session, brand, role="lead", email="lead@example.test")
    path = f"/cases/{case.id}/mentions/{mention.id}/moderate"
    assert post(lead, path, {"action": "delete"}).status_code == 302
    action = session.exec(select(ModerationAction)).one()
    assert (action.state, action.approver) == ("awaiting_approval", "brand")  # even a lead's
    decide = f"/cases/{case.id}/moderation/{action.id}/approve"
    assert post(lead, decide, {}).status_code == 403
    owner = app.test_client()
    _cm(owner, session, brand, role="brand_owner", email="owner@example.test")
    page = owner.get("/portal/moderation").get_data(as_text=True)
    assert "escrocs" in page
    assert (
        post(owner, f"/portal/moderation/{action.id}/approve", {"next": "page"}).status_code == 302
    )
    Worker(app).moderate()
    session.refresh(action)
    assert action.state == "done" and insult["id"] in graph.deleted
    assert "escrocs" not in owner.get("/portal/moderation").get_data(as_text=True)


def test_a_private_message_offers_no_delete_a_comment_does(
    app, client, session, brand, facebook, graph
):
    message = graph.add_message("Bonjour, ma commande n'est pas arrivée")
    _deliver(client, graph, graph.message_delivery(message))
    comment = graph.add_comment("Bande d'escrocs")
    _deliver(client, graph, graph.feed_delivery(comment))
    lead = app.test_client()
    _cm(lead, session, brand, role="lead", email="lead@example.test")
    dm_case = _case_of(session, message["id"])
    page = lead.get(f"/cases/{dm_case.id}").get_data(as_text=True)
    assert 'data-moderate="delete"' not in page
    dm = session.exec(select(Mention).where(Mention.external_id == message["id"])).one()
    asked = post(lead, f"/cases/{dm_case.id}/mentions/{dm.id}/moderate", {"action": "delete"})
    assert asked.status_code == 302 and session.exec(select(ModerationAction)).first() is None
    comment_case = _case_of(session, comment["id"])
    page = lead.get(f"/cases/{comment_case.id}").get_data(as_text=True)
    assert 'data-moderate="delete"' in page
