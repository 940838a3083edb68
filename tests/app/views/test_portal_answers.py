"""The portal after a refused answer: the owner's choice ("publish as is" or "instructions"),
text and reason come back with the message, with or without JavaScript, and a brand's reply is
never stored as instructions behind the owner's back."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlmodel import select

from app.models import Escalation, Reply
from tests.app.portal_support import cast, open_escalation, pending_reply
from tests.conftest import login, post

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}
MISTAKE = "Nous somme désolé pour ce retard."


@pytest.fixture
def people(session):
    return cast(session)


def _radio(html: str, value: str) -> str:
    tag = re.search(rf'<input type="radio" name="kind" value="{value}"[^>]*>', html)
    assert tag, html
    return tag.group(0)


def _details_open(html: str, css: str) -> bool:
    tag = re.search(rf"<details{css}[^>]*>", html)
    assert tag, html
    return " open" in tag.group(0)


def test_the_portal_makes_no_choice_for_the_owner(client, session, people):
    escalation = open_escalation(session, people.brand, people.cm)
    login(client, "owner@rail.test")
    html = client.get(f"/portal?brand={people.brand.id}").get_data(as_text=True)
    card = html[html.index(f'id="escalation-{escalation.id}"') :]
    assert "checked" not in _radio(card, "instructions")
    assert "checked" not in _radio(card, "reply")
    assert "required" in _radio(card, "reply")


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "no-js"])
def test_a_refused_brand_reply_keeps_the_choice_the_text_and_the_reason(
    client, session, people, headers
):
    escalation = open_escalation(session, people.brand, people.cm)
    login(client, "owner@rail.test")
    response = post(
        client,
        f"/portal/escalations/{escalation.id}/answer",
        {"kind": "reply", "text": MISTAKE, "override_reason": ""},
        headers=headers,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Relecture" in html and MISTAKE in html
    assert "checked" in _radio(html, "reply")
    assert "checked" not in _radio(html, "instructions")
    assert _details_open(html, "")  # the "publish anyway" reason is offered at once
    session.expire_all()
    assert session.get(Escalation, escalation.id).state == "open"
    assert session.exec(select(Reply)).all() == []


def test_a_reason_typed_before_a_refusal_is_kept(client, session, people):
    escalation = open_escalation(session, people.brand, people.cm)
    login(client, "owner@rail.test")
    long_text = "Nous sommes désolés. " * 30  # too long for Mastodon: refused even with a reason
    response = post(
        client,
        f"/portal/escalations/{escalation.id}/answer",
        {"kind": "reply", "text": long_text, "override_reason": "citation du client"},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Trop long" in html
    assert 'value="citation du client"' in html and "checked" in _radio(html, "reply")


def test_an_answer_without_a_choice_is_refused_not_stored_as_instructions(client, session, people):
    escalation = open_escalation(session, people.brand, people.cm)
    login(client, "owner@rail.test")
    text = "Bonjour, nous vous rappelons dans l'heure."  # escaped in the page: unescape below
    response = post(
        client, f"/portal/escalations/{escalation.id}/answer", {"text": text}, headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choisissez des consignes ou une réponse à publier" in html
    assert text in unescape(html)
    session.expire_all()
    stored = session.get(Escalation, escalation.id)
    assert stored.state == "open" and stored.answer_kind is None


def test_the_answered_card_says_what_was_stored(client, session, people):
    escalation = open_escalation(session, people.brand, people.cm)
    login(client, "owner@rail.test")
    response = post(
        client,
        f"/portal/escalations/{escalation.id}/answer",
        {"kind": "reply", "text": "Nous sommes désolés pour ce retard."},
        headers=HX,
    )
    assert response.status_code == 200
    assert "Réponse de la marque, en file d'envoi" in unescape(response.get_data(as_text=True))
    session.expire_all()
    assert session.get(Escalation, escalation.id).answer_kind == "reply"


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "no-js"])
def test_a_refused_edit_keeps_the_edited_text_and_the_reason_open(client, session, people, headers):
    reply = pending_reply(session, people.brand, people.cm)
    login(client, "owner@rail.test")
    response = post(
        client,
        f"/portal/replies/{reply.id}/approve",
        {"edit": "1", "text": "Bonjour. " * 80, "override_reason": "texte imposé"},
        headers=headers,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Trop long" in html
    assert _details_open(html, ' class="edit"')
    assert ("Bonjour. " * 80).strip() in html and 'value="texte imposé"' in html
    session.expire_all()
    assert session.get(Reply, reply.id).approval_state == "pending"
