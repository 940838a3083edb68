"""Severity of proofreading findings as writers and editors meet it: advice is shown apart
and never blocks a send; a blocking mistake needs a fix or a reason, and the rules writers
override are listed for the brand's playbook editors (and only theirs)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import Reply
from tests.conftest import login, post
from tests.factories import make_brand, make_case, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}
# "coeur" without the ligature is advice (typography); "somme" after "nous" is a mistake.
ADVICE_ONLY = "Bonjour Jeanne, merci du fond du coeur pour votre message."
MISTAKE = "Bonjour Jeanne, nous somme désolés pour ce retard."


@pytest.fixture
def rail(session):
    return make_brand(session, slug="rail", name="Rail Azur")


@pytest.fixture
def cm(client, session, rail):
    user = make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    return user


def test_advice_is_shown_apart_and_does_not_block_sending(client, session, rail, cm):
    case = make_case(session, rail)
    client.get(f"/cases/{case.id}")
    html = post(client, f"/cases/{case.id}/proofread", {"text": ADVICE_ONLY}, headers=HX)
    page = html.get_data(as_text=True)
    assert 'data-findings="0"' in page and 'data-advice="1"' in page
    assert 'data-blocking="false"' in page and 'data-replacement="cœur"' in page
    assert "n'empêche pas l'envoi" in page.replace("&#39;", "'")

    sent = post(client, f"/cases/{case.id}/reply", {"text": ADVICE_ONLY, "action": "send"})
    assert sent.status_code == 302
    reply = session.exec(select(Reply)).one()
    assert reply.proofreading_override is None
    assert reply.proofreading[0]["blocking"] is False


def test_a_blocking_mistake_needs_a_reason_and_its_rule_is_reported(client, session, rail, cm):
    case = make_case(session, rail)
    client.get(f"/cases/{case.id}")
    page = post(client, f"/cases/{case.id}/proofread", {"text": MISTAKE}, headers=HX)
    html = page.get_data(as_text=True)
    assert 'data-findings="1"' in html and 'data-blocking="true"' in html
    assert 'class="suggestion primary-fix"' in html and 'data-replacement="sommes"' in html

    refused = post(client, f"/cases/{case.id}/reply", {"text": MISTAKE, "action": "send"})
    assert refused.status_code == 422
    sent = post(
        client,
        f"/cases/{case.id}/reply",
        {"text": MISTAKE, "action": "send", "override_reason": "citation exacte du client"},
    )
    assert sent.status_code == 302
    reply = session.exec(select(Reply)).one()
    assert reply.proofreading_override == "citation exacte du client"
    rules = {f["rule"] for f in reply.proofreading if f["blocking"]}
    assert rules

    # The brand's playbook editor sees the rule, the word and the reason.
    make_user(session, rail, role="playbook_editor", email="editor@example.test")
    post(client, "/logout")
    login(client, "editor@example.test")
    report = client.get("/canned-replies/overrides").get_data(as_text=True)
    assert all(f'data-rule="{rule}"' in report for rule in rules)
    assert "citation exacte du client" in report and "<mark>somme</mark>" in report

    # Another brand's editor does not.
    other = make_brand(session, slug="shop", name="Shop")
    make_user(session, other, role="playbook_editor", email="other@example.test")
    post(client, "/logout")
    login(client, "other@example.test")
    foreign = client.get("/canned-replies/overrides").get_data(as_text=True)
    assert "citation exacte du client" not in foreign and "data-rule" not in foreign
