"""Editing the playbook without YAML in Chromium (issue 18, part 6): an editor adds a term to a
scenario through its form, gets a draft (not published), proposes it, and the draft's YAML and
the proposal's diff hold the term."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.extensions import get_engine
from app.models import Brand
from app.services import content
from tests.browser.conftest import log_in


@pytest.fixture
def rail(live_app):
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        live = content.published_playbook(session=session, brand_id=brand.id)[0]
    return brand, live


def test_editor_adds_a_term_through_the_form_and_proposes_it(browser, live_server, live_app, rail):
    brand, live = rail
    editor = browser.new_context().new_page()
    editor.on("dialog", lambda dialog: dialog.accept())
    log_in(editor, live_server, "editor@vigie.demo")
    editor.goto(f"{live_server.url}/playbooks/{live.id}")
    editor.get_by_test_id("open-forms").click()
    editor.get_by_test_id("scenario-retard").click()
    expect(editor.get_by_test_id("terms")).to_contain_text("en retard")
    editor.fill("#new-term", "zorglub en rade")
    editor.get_by_test_id("add-term").click()

    # A new draft, not published: its YAML holds the term, the rest of the text as it was.
    expect(editor.locator(".flash-success")).to_contain_text("non publié")
    source = editor.locator("#pb-source").input_value()
    assert '"zorglub en rade"' in source
    assert source.replace('"zorglub en rade", ', "", 1) == live.source
    expect(editor.get_by_test_id("validation")).to_contain_text("Playbook valide", timeout=60_000)

    editor.fill("#pb-comment", "Le zorglub en rade est un retard")
    editor.get_by_role("button", name="Proposer à la publication").click()
    expect(editor.locator(".flash-success")).to_contain_text("Proposition enregistrée")
    expect(editor.get_by_test_id("review-diff")).to_contain_text("zorglub en rade")
    with live_app.app_context(), Session(get_engine()) as session:
        assert content.published_playbook(session=session, brand_id=brand.id)[0].id == live.id

    # Leave the shared demo as it was for the other browser tests.
    editor.get_by_role("button", name="Retirer la proposition").click()
    expect(editor).to_have_url(re.compile(r"/playbooks/\d+$"))
    expect(editor.get_by_test_id("pending-review")).to_have_count(0)
