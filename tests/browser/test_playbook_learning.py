"""The playbook learns, end to end in Chromium (issue 18, "Done when"): reviewers' corrections →
a proposal accepted into a draft → the draft backtested → approved by a lead → published → the
next mention is judged by the new version; a rollback restores the previous one.

Most corrections are seeded as history (the proposal needs a few sharing a cause); the last one
is made in the browser by the lead on a case, as a reviewer does. Throughout, the editor who
proposes cannot approve their own change, and nothing is published before the lead approves.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

import playbooks
from app.extensions import get_engine
from app.models import Brand, User, utcnow
from app.services import brands, content, proposal_jobs, users
from tests.app.proposal_samples import corrected_brand
from tests.browser.conftest import log_in
from tests.browser.test_four_eyes import _approve_as_lead, _judge
from tests.factories import make_brand, make_case

NEXT = "Nouvelle panne de signalisation à Massy ce matin"


def _published_decides(live_app, brand: Brand, text: str):
    """What the published version decides, without storing a mention (a stored one would be
    history the proposals read)."""
    with live_app.app_context(), Session(get_engine()) as session:
        _row, engine = content.published_playbook(session=session, brand_id=brand.id)
        item = playbooks.MentionInput(text, lang="fr", channel="x", posted_at=utcnow())
        return engine.decide(item, brands.playbook_context(brand), now=utcnow())


@pytest.fixture
def learning_brand(live_app):
    """A brand of its own (the demo brands' playbooks stay as other tests expect them), with
    the demo editor and lead on it and a history of corrections."""
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = make_brand(session, slug="rail-apprenant", name="Rail apprenant")
        for email, role in (("editor@vigie.demo", "playbook_editor"), ("lead@vigie.demo", "lead")):
            user = session.exec(select(User).where(User.email == email)).one()
            users.grant(session=session, user=user, brand=brand, role=role)
        corrected_brand(session, brand)  # publishes version 1 and seeds the corrections
        case = make_case(
            session,
            brand,
            "Grosse panne ce soir à Choisy",
            severity="S1",
            scenario=None,
        )
        live = content.published_playbook(session=session, brand_id=brand.id)[0]
        session.commit()
    return brand, case, live


def test_corrections_to_a_published_proposal_then_rollback(
    browser, live_server, live_app, learning_brand
):
    brand, case, before = learning_brand
    assert "retard" not in _published_decides(live_app, brand, NEXT).scenarios

    # One more correction, made by the lead on a case.
    lead = browser.new_context().new_page()
    lead.on("dialog", lambda dialog: dialog.accept())
    log_in(lead, live_server, "lead@vigie.demo")
    lead.goto(f"{live_server.url}/cases/{case.id}")
    lead.get_by_text("Corriger le triage").click()
    lead.select_option("#ov-severity", "S2")
    lead.fill("#ov-scenario", "retard")
    lead.fill("#ov-reason", "Une panne, c'est un retard")
    lead.get_by_role("button", name="Enregistrer la correction").click()
    expect(lead.locator(".flash", has_text="Triage corrigé")).to_be_visible()

    # The editor asks for proposals; the worker computes them behind a progress bar.
    editor = browser.new_context().new_page()
    editor.on("dialog", lambda dialog: dialog.accept())
    log_in(editor, live_server, "editor@vigie.demo")
    editor.goto(f"{live_server.url}/playbooks/proposals?brand_id={brand.id}")
    editor.get_by_test_id("proposals-compute").click()
    expect(editor.get_by_test_id("proposal-progress")).to_be_visible()
    with live_app.app_context():
        assert proposal_jobs.run_pending(get_engine(), "browser-worker") == 1
    card = editor.get_by_test_id("proposal").filter(has_text="Ajouter « panne » au lexique retard")
    expect(card).to_be_visible(timeout=20_000)  # the polled bar refreshes the page
    expect(card.get_by_test_id("proposal-fixes")).to_contain_text("correction(s) sur 5")
    card.get_by_test_id("proposal-accept").click()
    expect(editor.locator(".flash-success")).to_contain_text("non publié")

    # The draft is backtested in the editor, then proposed; its author cannot approve it.
    editor.get_by_role("button", name="Rejouer").click()
    expect(editor.get_by_test_id("agreement")).to_be_visible(timeout=60_000)
    expect(editor.get_by_test_id("rule-stats")).to_contain_text("retard")
    editor.fill("#pb-comment", "Les pannes sont des retards (corrections des superviseurs)")
    editor.get_by_role("button", name="Proposer à la publication").click()
    expect(editor.locator(".flash-success")).to_contain_text("Proposition enregistrée")
    expect(editor.get_by_test_id("review-refusal")).to_contain_text("votre propre modification")
    assert "retard" not in _published_decides(live_app, brand, NEXT).scenarios  # not published

    lead.goto(f"{live_server.url}/playbook-reviews")
    lead.get_by_test_id("pending-reviews").get_by_role("link").first.click()
    expect(lead.get_by_test_id("review-diff")).to_contain_text("panne")
    _approve_as_lead(lead, live_server, "D'accord avec les corrections")
    judged = _judge(live_app, brand, NEXT)
    assert "retard" in judged.scenarios and judged.severity == "S2"

    # One-click rollback, approved the same way, restores the previous version.
    editor.goto(f"{live_server.url}/playbooks?brand_id={brand.id}")
    editor.get_by_test_id(f"rollback-{before.number}").click()
    expect(editor.locator(".flash-success")).to_contain_text("Proposition enregistrée")
    _approve_as_lead(lead, live_server, "Retour arrière validé")
    assert "retard" not in _judge(live_app, brand, NEXT + " encore").scenarios
    with live_app.app_context(), Session(get_engine()) as session:
        live = content.published_playbook(session=session, brand_id=brand.id)[0]
        assert live.source == before.source and live.id != before.id
        assert session.get(Brand, brand.id) is not None
