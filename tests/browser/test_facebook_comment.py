"""From a Facebook comment to a hidden insult and a public reply, in Chromium.

An admin connects the demo rail brand's Page (the fake Graph API on a loopback port); a
complaint and an insulting reply arrive; a lead hides the insult and answers the complaint;
the worker carries both out on the Page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.extensions import get_engine
from app.models import ConnectorAccount, Mention, utcnow
from app.worker.runner import Worker
from tests.browser.conftest import log_in, switch_user
from tests.connectors.fake_graph import FakeGraph
from tests.connectors.fake_http_server import serve_fake


@pytest.fixture
def graph(live_app, monkeypatch):
    # The fake listens on 127.0.0.1: allowed as on a lab deployment (app and environment).
    monkeypatch.setitem(live_app.config, "VIGIE_ALLOW_PRIVATE_URLS", True)
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_URLS", "1")
    with serve_fake(FakeGraph()) as fake:
        yield fake


def _mention(live_app, external_id: str) -> Mention:
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return session.exec(select(Mention).where(Mention.external_id == external_id)).one()


def _poll_now(live_app, worker: Worker) -> None:
    """Poll the Page now, without waiting for its interval."""
    with live_app.app_context(), Session(get_engine()) as session:
        for account in session.exec(
            select(ConnectorAccount).where(ConnectorAccount.platform == "facebook")
        ):
            account.next_poll_at = utcnow()
            session.add(account)
        session.commit()
    worker.poll_due()


def test_facebook_comment_to_hidden_insult_and_public_reply(page, live_server, live_app, graph):
    log_in(page, live_server, "admin@vigie.demo")
    page.goto(f"{live_server.url}/admin/accounts/new")
    page.select_option("#brand_id", label="Ferlis (démo)")
    page.select_option("#platform", "facebook")
    page.fill("#label", "Page Facebook Ferlis")
    page.fill("#base_url", graph.base_url)
    facebook = page.locator('fieldset[data-platform="facebook"]')
    facebook.get_by_label("Identifiant de la Page Facebook").fill(graph.page_id)
    facebook.get_by_label("Jeton d'accès").fill(graph.token)
    page.get_by_role("button", name="Connecter", exact=True).click()
    expect(page.get_by_text("Compte connecté.")).to_be_visible()
    expect(page.locator("#meta-webhook")).to_contain_text("/api/v1/meta/webhook")

    complaint = graph.add_comment(
        "Bonjour, le TER de 8h12 pour Lyon circule-t-il demain ?",
        name="Nadia Facebook",
        user_id="8801",
    )
    worker = Worker(live_app)
    worker.poll_due()
    first = _mention(live_app, complaint["id"])
    assert first.platform == "facebook" and first.case_id

    switch_user(page, live_server, "lead@vigie.demo")
    page.goto(f"{live_server.url}/cases/{first.case_id}")
    expect(page.locator(f"#mention-{first.id}")).to_contain_text("Nadia Facebook")
    text = "Bonjour Nadia, oui : le TER de 8h12 circule normalement demain."
    page.fill("#reply-text", text)
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_url("**/queue**")
    worker.send_outbox()
    assert [(c["parent_id"], c["message"]) for c in graph.posted] == [(complaint["id"], text)]

    # A troll answers in the thread: the reply joins the case, and is hidden on the Page.
    insult = graph.add_comment(
        "Bande d'incapables, connards de Ferlis", parent=complaint, name="Troll", user_id="8802"
    )
    _poll_now(live_app, worker)
    rude = _mention(live_app, insult["id"])
    if not rude.hidden:  # unless the playbook already hid it, the lead does
        assert rude.case_id == first.case_id
        page.goto(f"{live_server.url}/cases/{first.case_id}")
        item = page.locator(f"#mention-{rude.id}")
        item.get_by_role("button", name="Masquer").click()
        expect(item.get_by_text("masquée")).to_be_visible()
    assert worker.sync_hidden() >= 1  # demo mentions hidden by the playbook too
    assert graph.objects[insult["id"]]["is_hidden"] is True
    assert len(graph.posted) == 1
