"""A Messenger conversation answered in its 24-hour window, and a private reply to a comment,
in Chromium against the fake Graph API on a loopback port.

An admin connects the demo rail brand's Page with its app secret (webhooks signed); a person
writes to the Page in private and Meta delivers it by webhook; a lead sees the conversation's
answer window on the case and answers; the worker sends it through the Send API. Then a
comment gets a private reply from its case: once, and the case then says why not again.
"""

from __future__ import annotations

import itertools

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from app.extensions import get_engine
from app.models import ConnectorAccount, Mention
from app.worker.runner import Worker
from tests.browser.conftest import log_in, switch_user
from tests.connectors.fake_graph import FakeGraph
from tests.connectors.fake_http_server import serve_fake

LABEL = "Messenger Ferlis"


@pytest.fixture
def graph(live_app, monkeypatch):
    monkeypatch.setitem(live_app.config, "VIGIE_ALLOW_PRIVATE_URLS", True)
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_URLS", "1")
    fake = FakeGraph(app_secret="ferlis-app-secret-browser")
    fake._ids = itertools.count(9000)  # other tests' fakes made posts "1000001_1"…: no clash
    with serve_fake(fake) as served:
        yield served


def _mention(live_app, external_id: str) -> Mention:
    """The mention stored through this test's account (other tests' fakes reuse ids)."""
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return session.exec(
            select(Mention)
            .join(ConnectorAccount, col(ConnectorAccount.id) == col(Mention.account_id))
            .where(Mention.external_id == external_id, ConnectorAccount.label == LABEL)
        ).one()


def _deliver(live_server, graph: FakeGraph, body: bytes) -> None:
    answer = httpx.post(
        f"{live_server.url}/api/v1/meta/webhook",
        content=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": graph.sign(body)},
    )
    assert answer.status_code == 200, answer.text


def test_messenger_conversation_answered_and_a_private_reply(page, live_server, live_app, graph):
    log_in(page, live_server, "admin@vigie.demo")
    page.goto(f"{live_server.url}/admin/accounts/new")
    page.select_option("#brand_id", label="Ferlis (démo)")
    page.select_option("#platform", "facebook")
    page.fill("#label", LABEL)
    page.fill("#base_url", graph.base_url)
    facebook = page.locator('fieldset[data-platform="facebook"]')
    facebook.get_by_label("Identifiant de la Page Facebook").fill(graph.page_id)
    facebook.get_by_label("Jeton d'accès").fill(graph.token)
    facebook.get_by_label("Secret de l'application Meta (signature des webhooks)").fill(
        graph.app_secret
    )
    page.get_by_role("button", name="Connecter", exact=True).click()
    expect(page.get_by_text("Compte connecté.")).to_be_visible()

    message = graph.add_message(
        "Bonjour, le TER de 8h12 pour Lyon circule-t-il demain ?", user_id="7701", name="Nadia"
    )
    _deliver(live_server, graph, graph.message_delivery(message))
    dm = _mention(live_app, message["id"])
    assert dm.channel == "messenger" and dm.case_id

    switch_user(page, live_server, "lead@vigie.demo")
    page.goto(f"{live_server.url}/cases/{dm.case_id}")
    expect(page.get_by_test_id("messaging-window")).to_contain_text("fenêtre de réponse ouverte")
    text = "Bonjour Nadia, oui : le TER de 8h12 circule normalement demain."
    page.fill("#reply-text", text)
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_url("**/queue**")
    worker = Worker(live_app)
    worker.send_outbox()
    ours = [m["message"] for m in graph.messages_with("7701") if m["from"]["id"] == graph.page_id]
    assert ours == [text]

    comment = graph.add_comment(
        "Bonjour, je voudrais un remboursement pour mon billet annulé",
        name="Paul Facebook",
        user_id="8803",
    )
    _deliver(live_server, graph, graph.feed_delivery(comment))
    public = _mention(live_app, comment["id"])
    page.goto(f"{live_server.url}/cases/{public.case_id}")
    box = page.get_by_test_id(f"private-reply-{public.id}")
    box.get_by_role("textbox").fill("Bonjour Paul, envoyez-nous votre numéro de billet ici.")
    box.get_by_role("button", name="Envoyer en privé").click()
    expect(page.get_by_text("Réponse privée envoyée")).to_be_visible()
    worker.send_outbox()
    assert [m["message"] for m in graph.sent_messages][-1].startswith("Bonjour Paul")
    page.goto(f"{live_server.url}/cases/{public.case_id}")
    expect(page.get_by_test_id("private-reply-why")).to_contain_text("une seule permise")
