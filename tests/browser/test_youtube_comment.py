"""From a YouTube comment to a banned troll and a public reply, in Chromium.

An admin connects the demo rail brand's channel (the fake YouTube API on a loopback port) and
sees its quota; a question and a troll's comment arrive; a CM answers the question and asks to
ban the troll; a lead approves the ban; the worker carries both out on the channel.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.extensions import get_engine
from app.models import Mention
from app.worker.runner import Worker
from tests.browser.conftest import log_in, switch_user
from tests.connectors.fake_http_server import serve_fake
from tests.connectors.fake_youtube import FakeYouTube


@pytest.fixture
def youtube(live_app, monkeypatch):
    # The fake listens on 127.0.0.1: allowed as on a lab deployment (app and environment).
    monkeypatch.setitem(live_app.config, "VIGIE_ALLOW_PRIVATE_URLS", True)
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_URLS", "1")
    with serve_fake(FakeYouTube()) as fake:
        yield fake


def _mention(live_app, external_id: str) -> Mention:
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return session.exec(select(Mention).where(Mention.external_id == external_id)).one()


def test_youtube_comment_answered_and_troll_banned(page, live_server, live_app, youtube):
    log_in(page, live_server, "admin@vigie.demo")
    page.goto(f"{live_server.url}/admin/accounts/new")
    page.select_option("#brand_id", label="Ferlis (démo)")
    page.select_option("#platform", "youtube")
    page.fill("#label", "Chaîne YouTube Ferlis")
    page.fill("#base_url", youtube.base_url)
    form = page.locator('fieldset[data-platform="youtube"]')
    form.get_by_label("Client ID OAuth 2.0").fill(youtube.client_id)
    form.get_by_label("Client secret OAuth 2.0 (app confidentielle seulement)").fill(
        youtube.client_secret
    )
    form.get_by_label("Refresh token OAuth 2.0").fill(youtube.refresh_token)
    page.get_by_role("button", name="Connecter", exact=True).click()
    expect(page.get_by_text("Compte connecté.")).to_be_visible()

    question = youtube.add_comment(
        "Le TER de 8h12 pour Lyon circule-t-il demain ?", author="@nadia", author_id="UCnadia"
    )
    troll = youtube.add_comment("Arnaqueurs, rendez l'argent", author="@troll", author_id="UCtroll")
    worker = Worker(live_app)
    worker.poll_due()
    first, rude = _mention(live_app, question["id"]), _mention(live_app, troll["id"])
    assert first.platform == "youtube" and first.case_id and rude.case_id

    page.goto(page.url)  # the account page: today's units are counted
    expect(page.locator("[data-quota-used]")).to_contain_text("sur 10000")

    switch_user(page, live_server, "cm@vigie.demo")
    page.goto(f"{live_server.url}/cases/{first.case_id}")
    expect(page.locator(f"#mention-{first.id}")).to_contain_text("▶ YouTube")
    text = "Bonjour Nadia, oui : le TER de 8h12 circule normalement demain."
    page.fill("#reply-text", text)
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_url("**/queue**")
    worker.send_outbox()
    assert [r["snippet"]["textOriginal"] for r in youtube.posted] == [text]

    page.goto(f"{live_server.url}/cases/{rude.case_id}")
    item = page.locator(f"#mention-{rude.id}")
    item.get_by_role("button", name="Rejeter et bannir l'auteur").click()
    expect(page.get_by_text("attend l'accord d'un superviseur")).to_be_visible()
    worker.moderate()
    assert youtube.banned == set()  # not before a lead agrees

    switch_user(page, live_server, "lead@vigie.demo")
    page.goto(f"{live_server.url}/cases/{rude.case_id}")
    page.locator(f"#mention-{rude.id}").get_by_role("button", name="Approuver").click()
    worker.moderate()
    assert youtube.banned == {"UCtroll"}
    page.goto(f"{live_server.url}/cases/{rude.case_id}")
    expect(page.locator(f'#mention-{rude.id} [data-moderation-state="done"]')).to_be_visible()
