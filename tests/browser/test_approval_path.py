"""The whole approval path in Chromium: an S3 mention arrives from a (fake) Mastodon server, the
community manager may not send it alone, the brand owner approves it on the portal from a phone,
the worker posts it exactly once, and the case and the audit export show every step."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import Brand, Case, Mention, Reply
from app.security.secrets_box import SecretsBox
from app.services.accounts import create_account
from app.worker import polling
from app.worker.runner import Worker
from tests.browser.conftest import log_in
from tests.connectors.fake_mastodon_server import serve_fake_mastodon

REPLY = "Bonjour, nous sommes désolés de cette situation. Nous étudions votre dossier."
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def fake_mastodon(live_app, monkeypatch):
    # The fake instance listens on 127.0.0.1: allowed as on a lab deployment.
    monkeypatch.setitem(live_app.config, "VIGIE_ALLOW_PRIVATE_URLS", True)
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_URLS", "1")
    with serve_fake_mastodon() as fake:
        yield fake


@pytest.fixture
def s3_case(live_app, fake_mastodon) -> int:
    """Poll the fake instance once: the legal threat is triaged S3, approval by the brand."""
    box = SecretsBox(live_app.config["VIGIE_ENCRYPTION_KEY"])
    engine = live_app.extensions["vigie_engine"]
    with Session(engine, expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        account, _ = create_account(
            session=session,
            brand=brand,
            platform="mastodon",
            credentials={"access_token": fake_mastodon.token},
            box=box,
            handle="ferlis",
            base_url=fake_mastodon.base_url,
            interval_seconds=3600,
        )
        session.commit()
        fake_mastodon.add_mention(
            "@ferlis train supprimé sans prévenir, je vais porter plainte", acct="paul@piaille.fr"
        )
        outcome = polling.poll_account(engine, account.id, box, "browser-test")
        assert outcome.stored == 1, outcome
        mention = session.exec(select(Mention).where(Mention.account_id == account.id)).one()
        case = session.get(Case, mention.case_id)
        assert case.severity == "S3" and case.approver == "brand", (case.severity, case.approver)
        return case.id


def test_s3_reply_is_approved_by_the_brand_then_posted_once(
    browser, live_app, live_server, fake_mastodon, s3_case
):
    base = live_server.url
    cm = browser.new_page()
    log_in(cm, live_server, "cm@vigie.demo")
    cm.goto(f"{base}/cases/{s3_case}")
    cm.fill("#reply-text", REPLY)
    # Sending directly is refused by the server, whatever the page offers.
    token = cm.locator("input[name=csrf_token]").first.input_value()
    refused = cm.request.post(
        f"{base}/cases/{s3_case}/reply", form={"text": REPLY, "action": "send", "csrf_token": token}
    )
    assert refused.status == 422
    cm.get_by_role("button", name="Soumettre à la marque").click()
    cm.wait_for_url("**/queue**")

    engine = live_app.extensions["vigie_engine"]
    with Session(engine) as session:
        reply = session.exec(select(Reply).where(Reply.case_id == s3_case)).one()
        assert (reply.approval_state, reply.outbox_state) == ("pending", "draft")
    Worker(live_app).send_outbox()
    assert fake_mastodon.posted == []  # nothing leaves before the brand approves

    owner_ctx = browser.new_context(viewport=PHONE, is_mobile=True)
    owner = owner_ctx.new_page()
    log_in(owner, live_server, "owner@demo-rail.vigie.demo")
    owner.get_by_role("link", name="Portail marque").click()
    card = owner.locator(f"#reply-{reply.id}")
    assert REPLY in card.get_by_test_id("reply-text").inner_text()
    approve = card.get_by_test_id("approve")
    box = approve.bounding_box()
    assert box and box["width"] <= PHONE["width"] and box["height"] >= 40  # thumb-sized
    approve.click()
    owner.locator(f"#reply-{reply.id} [data-testid=approved]").wait_for()

    worker = Worker(live_app)
    worker.send_outbox()
    worker.send_outbox()
    posted = [p for p in fake_mastodon.posted if "étudions votre dossier" in str(p)]
    assert len(posted) == 1

    cm.goto(f"{base}/cases/{s3_case}")
    timeline = cm.locator("#timeline").inner_text()
    for label in ("Réponse soumise à approbation", "Réponse approuvée", "Réponse publiée"):
        assert label in timeline

    export = owner.request.get(f"{base}/audit/export.csv?action=reply.").text()
    for action in ("reply.submitted", "reply.approved", "reply.sent"):
        assert action in export
    assert "owner@demo-rail.vigie.demo" in export and "cm@vigie.demo" in export
    owner_ctx.close()
    cm.close()
