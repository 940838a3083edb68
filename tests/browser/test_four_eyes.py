"""Four-eyes publishing in Chromium (issue 18, part 4): the editor proposes, the lead approves
with a comment, the next mention is judged by the new version; a rollback, approved the same
way, restores the previous one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.extensions import get_engine
from app.models import Brand, Mention, Triage, utcnow
from app.services import content, ingest, triage
from connectors import AuthorInfo, FetchedMention
from tests.browser.conftest import log_in
from tests.factories import account_for

SCENARIO = """scenarios:
  - id: zorglub-test
    label: Zorglub (test navigateur)
    severity: S3
    when: {keywords: [zorglub]}
"""


@pytest.fixture
def rail(live_app):
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        live = content.published_playbook(session=session, brand_id=brand.id)[0]
    return brand, live


def _judge(live_app, brand: Brand, text: str) -> Triage:
    """A new mention arrives and is triaged by whatever version is published now."""
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        account = account_for(session, brand.id)
        item = FetchedMention(
            external_id=f"four-eyes-{utcnow().timestamp()}",
            text=text,
            author=AuthorInfo(external_id="four-eyes", handle="@voyageuse"),
            posted_at=utcnow(),
            url=None,
            lang="fr",
            channel="x",
        )
        stored = ingest.store_mentions(session=session, account=account, items=[item])
        triage.triage_pending(session=session, account_id=account.id, external_ids=stored.new)
        session.commit()
        mention = session.exec(select(Mention).where(Mention.external_id == item.external_id)).one()
        return session.exec(select(Triage).where(Triage.mention_id == mention.id)).one()


def _approve_as_lead(lead, server, comment: str) -> None:
    lead.goto(f"{server.url}/playbook-reviews")
    lead.get_by_test_id("pending-reviews").get_by_role("link").first.click()
    expect(lead.get_by_test_id("review-figures")).to_be_visible()
    lead.fill("#review-comment", comment)
    lead.get_by_role("button", name="Approuver et publier").click()
    expect(lead.locator(".flash-success")).to_contain_text("approuvée et publiée")
    expect(lead.get_by_test_id("review-state")).to_have_text(re.compile("approuvée"))


def test_editor_proposes_lead_approves_then_rollback_restores(browser, live_server, live_app, rail):
    brand, before = rail
    assert (
        "zorglub-test"
        not in _judge(live_app, brand, "Le zorglub de la gare est en panne").scenarios
    )

    editor = browser.new_context().new_page()
    editor.on("dialog", lambda dialog: dialog.accept())
    log_in(editor, live_server, "editor@vigie.demo")
    editor.goto(f"{live_server.url}/playbooks/new?brand_id={brand.id}")
    source = editor.locator("#pb-source")
    source.fill(source.input_value().replace("scenarios:\n", SCENARIO, 1))
    expect(editor.get_by_test_id("validation")).to_contain_text("Playbook valide", timeout=60_000)
    editor.fill("#pb-comment", "Les zorglubs en panne passent en S3")
    editor.get_by_role("button", name="Proposer à la publication").click()
    expect(editor.locator(".flash-success")).to_contain_text("Proposition enregistrée")
    expect(editor.get_by_test_id("review-refusal")).to_contain_text("votre propre modification")
    # Proposed is not published: the next mention is still judged by the old version.
    assert "zorglub-test" not in _judge(live_app, brand, "Zorglub encore en panne").scenarios

    lead = browser.new_context().new_page()
    lead.on("dialog", lambda dialog: dialog.accept())
    log_in(lead, live_server, "lead@vigie.demo")
    lead.goto(f"{live_server.url}/playbook-reviews")
    lead.get_by_test_id("pending-reviews").get_by_role("link").first.click()
    expect(lead.get_by_test_id("review-diff")).to_contain_text("zorglub")
    _approve_as_lead(lead, live_server, "D'accord, c'est un vrai risque")
    judged = _judge(live_app, brand, "Le zorglub du quai 3 est en panne")
    assert "zorglub-test" in judged.scenarios and judged.severity == "S3"

    # One-click rollback to the version that was live before, through the same approval.
    editor.goto(f"{live_server.url}/playbooks?brand_id={brand.id}")
    editor.get_by_test_id(f"rollback-{before.number}").click()
    expect(editor.locator(".flash-success")).to_contain_text("Proposition enregistrée")
    _approve_as_lead(lead, live_server, "Retour arrière validé")
    assert "zorglub-test" not in _judge(live_app, brand, "Zorglub toujours en panne").scenarios
    with live_app.app_context(), Session(get_engine()) as session:
        assert (
            content.published_playbook(session=session, brand_id=brand.id)[0].source
            == before.source
        )
