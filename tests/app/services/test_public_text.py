"""The publish gate (services.public_text) as users meet it: the live check and sending on the
case page, an approver's edit, the brand's own reply. It proofreads in the language of the
mention a reply answers, and says "proofreading unavailable" when Grammalecte is missing."""

from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import select

from app.models import AuditEvent, Case, Escalation, Mention, Reply, Triage
from canned_replies import grammalecte_engine, proofreading
from canned_replies.grammalecte_engine import GrammalecteMissing
from tests.app.portal_support import cast, open_escalation, pending_reply
from tests.conftest import login, post
from tests.factories import add_mention, make_brand, make_case, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}
FRENCH = "Bonjour Jeanne, nous sommes désolés pour ce retard."
ENGLISH = "Sorry for the delay, we will call you back today."


@pytest.fixture
def no_grammalecte(monkeypatch):
    """This machine as one without the Debian Grammalecte package: loading it fails."""

    def missing():
        raise GrammalecteMissing("French proofreading needs Grammalecte")

    monkeypatch.setattr(grammalecte_engine, "_engine", None)
    monkeypatch.setattr(grammalecte_engine, "_import_grammalecte", missing)
    monkeypatch.setattr(proofreading, "_proofreaders", {})


@pytest.fixture
def rail(session):
    return make_brand(session, slug="rail", name="Rail Azur")


@pytest.fixture
def cm(client, session, rail):
    user = make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    return user


def _english_follow_up(session, case) -> Mention:
    """A later mention of the same person, written (and detected) in English."""
    mention = add_mention(session, case, "Still no train and nobody answers, this is a joke")
    mention.lang = "en"
    triage = session.exec(select(Triage).where(Triage.mention_id == mention.id)).one()
    triage.language = "en"
    session.add_all([mention, triage])
    session.commit()
    return mention


def _actions(session, case_id: int) -> list[str]:
    rows = session.exec(
        select(AuditEvent.action).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)
    )
    return list(rows)


# --- Grammalecte missing ----------------------------------------------------------------------


def test_live_check_says_proofreading_is_unavailable_instead_of_crashing(
    client, session, rail, cm, no_grammalecte
):
    case = make_case(session, rail)
    client.get(f"/cases/{case.id}")
    response = post(client, f"/cases/{case.id}/proofread", {"text": FRENCH}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-testid="proofreading-unavailable"' in html and "Grammalecte" in html
    assert "Aucune faute détectée" not in html  # never a silent pass


def test_sending_without_proofreading_needs_a_reason_and_is_audited(
    client, session, rail, cm, no_grammalecte
):
    case = make_case(session, rail)
    client.get(f"/cases/{case.id}")
    refused = post(client, f"/cases/{case.id}/reply", {"text": FRENCH, "action": "send"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Relecture indisponible" in html and FRENCH in html  # the draft is kept
    assert session.exec(select(Reply)).all() == []

    sent = post(
        client,
        f"/cases/{case.id}/reply",
        {"text": FRENCH, "action": "send", "override_reason": "relu à deux, correcteur en panne"},
    )
    assert sent.status_code == 302
    reply = session.exec(select(Reply)).one()
    assert reply.outbox_state == "queued"
    assert reply.proofreading_override == "relu à deux, correcteur en panne"
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "reply.sent_unproofread")
    ).one()
    assert event.note == "relu à deux, correcteur en panne" and event.target_id == reply.id
    assert "Grammalecte" in event.after["unavailable"]


def test_brand_reply_without_proofreading_is_refused_then_published_with_a_reason(
    client, session, no_grammalecte
):
    people = cast(session)
    escalation = open_escalation(session, people.brand, people.cm)
    login(client, "owner@rail.test")
    url = f"/portal/escalations/{escalation.id}/answer"
    refused = post(client, url, {"kind": "reply", "text": FRENCH}, headers=HX)
    assert refused.status_code == 422
    assert "Relecture indisponible" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Escalation, escalation.id).state == "open"
    ok = post(
        client,
        url,
        {"kind": "reply", "text": FRENCH, "override_reason": "texte validé par le juridique"},
        headers=HX,
    )
    assert ok.status_code == 200
    reply = session.exec(select(Reply).where(Reply.case_id == escalation.case_id)).one()
    assert reply.outbox_state == "queued" and reply.text == FRENCH
    assert "reply.sent_unproofread" in _actions(session, escalation.case_id)


def test_approver_edit_without_proofreading_needs_a_reason(client, session, no_grammalecte):
    people = cast(session)
    reply = pending_reply(session, people.brand, people.cm)
    login(client, "owner@rail.test")
    url = f"/portal/replies/{reply.id}/approve"
    refused = post(client, url, {"edit": "1", "text": FRENCH}, headers=HX)
    assert refused.status_code == 422 and "Relecture indisponible" in refused.get_data(as_text=True)
    ok = post(client, url, {"edit": "1", "text": FRENCH, "override_reason": "relu"}, headers=HX)
    assert ok.status_code == 200
    session.expire_all()
    stored = session.get(Reply, reply.id)
    assert stored.approval_state == "approved" and stored.text == FRENCH
    assert "reply.sent_unproofread" in _actions(session, stored.case_id)


# --- The language of the mention a reply answers ----------------------------------------------


def test_a_language_without_a_checker_is_unavailable_not_an_error(client, session, rail, cm):
    case = make_case(session, rail, "¿Dónde está mi tren?", language="es")
    client.get(f"/cases/{case.id}")
    live = post(client, f"/cases/{case.id}/proofread", {"text": "Lo sentimos."}, headers=HX)
    assert live.status_code == 200
    assert "pas de correcteur pour la langue" in unescape(live.get_data(as_text=True))
    refused = post(client, f"/cases/{case.id}/reply", {"text": "Lo sentimos.", "action": "send"})
    assert refused.status_code == 422


def test_reply_to_an_english_mention_is_proofread_in_english(client, session, rail, cm):
    case = make_case(session, rail)  # opened by a French mention: case.language is "fr"
    _english_follow_up(session, case)
    client.get(f"/cases/{case.id}")
    live = post(client, f"/cases/{case.id}/proofread", {"text": ENGLISH}, headers=HX)
    html = live.get_data(as_text=True)
    assert 'data-findings="0"' in html and "Relu en EN" in html
    sent = post(client, f"/cases/{case.id}/reply", {"text": ENGLISH, "action": "send"})
    assert sent.status_code == 302
    reply = session.exec(select(Reply)).one()
    assert reply.outbox_state == "queued" and reply.proofreading == []


def test_reply_to_a_french_mention_is_still_proofread_in_french(client, session, rail, cm):
    case = make_case(session, rail, language="en")
    mention = add_mention(session, case, "Mon train est encore en retard")
    mention.lang = "fr"
    triage = session.exec(select(Triage).where(Triage.mention_id == mention.id)).one()
    triage.language = "fr"
    session.commit()
    client.get(f"/cases/{case.id}")
    refused = post(
        client, f"/cases/{case.id}/reply", {"text": "Nous somme désolé.", "action": "send"}
    )
    assert refused.status_code == 422 and "fautes" in refused.get_data(as_text=True)


def test_brand_edits_an_english_reply_in_english(client, session):
    people = cast(session)
    reply = pending_reply(session, people.brand, people.cm)
    case = session.get(Case, reply.case_id)
    _english_follow_up(session, case)
    login(client, "owner@rail.test")
    ok = post(
        client, f"/portal/replies/{reply.id}/approve", {"edit": "1", "text": ENGLISH}, headers=HX
    )
    assert ok.status_code == 200, ok.get_data(as_text=True)
    session.expire_all()
    assert session.get(Reply, reply.id).text == ENGLISH


def test_brand_reply_to_an_english_mention_is_proofread_in_english(client, session):
    people = cast(session)
    escalation = open_escalation(session, people.brand, people.cm)
    _english_follow_up(session, session.get(Case, escalation.case_id))
    login(client, "owner@rail.test")
    ok = post(
        client,
        f"/portal/escalations/{escalation.id}/answer",
        {"kind": "reply", "text": ENGLISH},
        headers=HX,
    )
    assert ok.status_code == 200, ok.get_data(as_text=True)
    reply = session.exec(select(Reply).where(Reply.case_id == escalation.case_id)).one()
    assert reply.text == ENGLISH and reply.outbox_state == "queued"
