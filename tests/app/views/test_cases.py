"""The case page and its actions, through the real app and database."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import AuditEvent, Case, Escalation, Mention, Reply, Triage
from tests.conftest import login, post
from tests.factories import add_mention, make_brand, make_canned, make_case, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}
CLEAN = "Bonjour Jeanne, nous sommes désolés pour ce retard."


@pytest.fixture
def rail(session):
    return make_brand(session, slug="rail", name="Rail Azur")


@pytest.fixture
def cm(client, session, rail):
    user = make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    return user


def _actions(session, case) -> list[str]:
    return [
        e.action
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)
        )
    ]


def test_opening_a_case_claims_it_and_shows_mentions_person_triage(client, session, rail, cm):
    evidence = [
        {
            "rule": "lex:retard",
            "kind": "scenario",
            "explanation": "mot du lexique retard",
            "terms": ["retard"],
            "spans": [[21, 27]],
        }
    ]
    case = make_case(
        session,
        rail,
        "Mon train est encore retard <b>x</b>",
        tier="or",
        evidence=evidence,
        suggested=["retard_excuses"],
    )
    make_canned(session, rail)
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    session.refresh(case)
    assert case.assignee_id == cm.id and case.claim_expires_at is not None
    assert "<mark>retard</mark>" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "Jeanne Martin" in html and "lex:retard" in html and "Excuses pour un retard" in html
    assert "Voir l&#39;original" in html or "Voir l'original" in html
    assert _actions(session, case) == ["case.claimed"]


def test_second_user_sees_who_is_on_it_and_cannot_send(client, app, session, rail, cm):
    case = make_case(session, rail)
    client.get(f"/cases/{case.id}")
    make_user(session, rail, email="cm2@example.test")
    other = app.test_client()
    login(other, "cm2@example.test")
    html = other.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "cm traite ce cas en ce moment" in html
    response = post(other, f"/cases/{case.id}/reply", {"text": CLEAN, "action": "send"})
    assert response.status_code == 409
    assert session.exec(select(Reply)).all() == []


def test_send_queues_the_reply_and_the_case_leaves_the_queue(client, session, rail, cm):
    case = make_case(session, rail)
    canned = make_canned(session, rail)
    client.get(f"/cases/{case.id}")
    response = post(
        client, f"/cases/{case.id}/reply", {"text": CLEAN, "action": "send", "canned": canned.id}
    )
    assert response.status_code == 302 and response.location.endswith("/queue")
    reply = session.exec(select(Reply)).one()
    assert (reply.outbox_state, reply.approval_state) == ("queued", "not_required")
    assert reply.canned_reply_id == canned.id
    session.refresh(case)
    # Queued is not answered: the first response counts once the platform confirms it.
    assert case.status == "waiting" and case.first_response_at is None
    assert f'case-row-{case.id}"' not in client.get("/queue").get_data(as_text=True)
    assert "reply.queued" in _actions(session, case)


def test_server_refuses_a_direct_send_when_approval_is_required(client, session, rail, cm):
    case = make_case(session, rail, severity="S3", action="reply_with_approval", approver="brand")
    client.get(f"/cases/{case.id}")
    response = post(client, f"/cases/{case.id}/reply", {"text": CLEAN, "action": "send"})
    assert response.status_code == 422
    assert "validation" in response.get_data(as_text=True)
    assert session.exec(select(Reply)).all() == []
    post(client, f"/cases/{case.id}/reply", {"text": CLEAN, "action": "submit"})
    reply = session.exec(select(Reply)).one()
    assert (reply.approval_state, reply.approver_role, reply.outbox_state) == (
        "pending",
        "brand",
        "draft",
    )
    session.refresh(case)
    assert case.status == "pending_approval" and case.involved_brand


def test_missing_variables_block_sending_until_filled(client, session, rail, cm):
    case = make_case(session, rail)
    canned = make_canned(session, rail, body="Bonjour {{ prenom }}, votre dossier {{ dossier }}.")
    client.get(f"/cases/{case.id}")
    html = client.get(f"/cases/{case.id}/editor?canned={canned.id}", headers=HX).get_data(
        as_text=True
    )
    assert 'name="var_dossier"' in html and "Bonjour Jeanne, votre dossier [[dossier]]." in html
    text = "Bonjour Jeanne, votre dossier [[dossier]]."
    response = post(client, f"/cases/{case.id}/reply", {"text": text, "action": "send"})
    assert response.status_code == 422 and "variables" in response.get_data(as_text=True)
    filled = post(
        client, f"/cases/{case.id}/editor", {"text": text, "var_dossier": "A123"}, headers=HX
    ).get_data(as_text=True)
    assert "votre dossier A123." in filled and "var_dossier" not in filled


def test_proofreading_blocks_until_overridden_with_a_reason(client, session, rail, cm):
    case = make_case(session, rail)
    client.get(f"/cases/{case.id}")
    text = "Bonjour, nous somme désolés pour les enfant."
    fragment = post(client, f"/cases/{case.id}/proofread", {"text": text}, headers=HX)
    body = fragment.get_data(as_text=True)
    assert 'class="suggestion"' in body and "<html" not in body
    refused = post(client, f"/cases/{case.id}/reply", {"text": text, "action": "send"})
    assert refused.status_code == 422 and "relecture" in refused.get_data(as_text=True)
    post(
        client,
        f"/cases/{case.id}/reply",
        {"text": text, "action": "send", "override_reason": "citation exacte du client"},
    )
    reply = session.exec(select(Reply)).one()
    assert reply.proofreading_override == "citation exacte du client" and reply.proofreading
    assert "reply.proofreading_overridden" in _actions(session, case)


def test_length_counter_uses_the_channel(client, session, rail, cm):
    case = make_case(session, rail, channel="x")
    body = post(client, f"/cases/{case.id}/proofread", {"text": "a" * 300}, headers=HX).get_data(
        as_text=True
    )
    assert "300 / 280" in body and "trop long" in body


def test_escalate_hide_and_spam(client, session, rail, cm):
    case = make_case(session, rail)
    response = post(client, f"/cases/{case.id}/escalate", {"reason": ""})
    assert response.status_code == 302
    assert session.exec(select(Escalation)).all() == []
    post(client, f"/cases/{case.id}/escalate", {"reason": "Menace de plainte", "urgent": "1"})
    escalation = session.exec(select(Escalation)).one()
    assert escalation.urgency == "urgent"
    session.refresh(case)
    assert case.status == "escalated" and case.involved_brand

    spam = make_case(session, rail, "achetez des followers")
    mention = session.exec(select(Mention).where(Mention.case_id == spam.id)).one()
    fragment = post(client, f"/cases/{spam.id}/mentions/{mention.id}/hide", headers=HX)
    assert "masquée" in fragment.get_data(as_text=True)
    assert 'id="timeline" aria-labelledby="timeline-title" hx-swap-oob="true"' in fragment.get_data(
        as_text=True
    )
    post(client, f"/cases/{spam.id}/close", {"spam": "1"})
    session.refresh(spam)
    assert spam.status == "closed"
    assert _actions(session, spam)[-2:] == ["mention.hidden", "case.spam"]


def test_override_triage_writes_feedback_and_timeline(client, session, rail, cm):
    case = make_case(session, rail, severity="S2", scenario="retard")
    response = post(
        client,
        f"/cases/{case.id}/triage",
        {"severity": "S3", "scenario": "insulte", "reason": "insulte déguisée"},
    )
    assert response.status_code == 302
    override = session.exec(select(Triage).where(Triage.source == "override")).one()
    assert override.severity == "S3" and override.reason == "insulte déguisée"
    session.refresh(case)
    assert (case.severity, case.scenario) == ("S3", "insulte")
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "triage.overridden" in html and "S2 → S3" in html


def test_notes_are_saved_with_htmx(client, session, rail, cm):
    case = make_case(session, rail)
    body = post(
        client, f"/cases/{case.id}/notes", {"notes": "Client fidèle, <i>calme</i>"}, headers=HX
    ).get_data(as_text=True)
    assert body.lstrip().startswith('<form id="person-notes"') and "&lt;i&gt;" in body


def test_merge_and_split(client, session, rail, cm):
    first = make_case(session, rail, "premier message")
    second = make_case(session, rail, "second message")
    response = post(client, f"/cases/{first.id}/merge", {"other_case_id": str(second.id)})
    assert response.status_code == 302
    session.refresh(first)
    session.refresh(second)
    assert first.mention_count == 2 and second.status == "closed"
    moved = session.exec(select(Mention).where(Mention.case_id == first.id)).all()
    assert len(moved) == 2
    response = post(client, f"/cases/{first.id}/mentions/{moved[0].id}/split")
    new_case = session.exec(select(Case).order_by(Case.id.desc())).first()
    assert response.location.endswith(f"/cases/{new_case.id}")
    session.refresh(first)
    assert first.mention_count == 1 and new_case.mention_count == 1


def test_merge_refuses_another_brands_case(client, session, rail, cm):
    mine = make_case(session, rail)
    foreign = make_case(session, make_brand(session, slug="shop"))
    post(client, f"/cases/{mine.id}/merge", {"other_case_id": str(foreign.id)})
    session.refresh(foreign)
    assert foreign.status == "open"
    assert session.exec(select(Mention).where(Mention.case_id == foreign.id)).one()


def test_lead_reassigns_and_cm_cannot(client, app, session, rail, cm):
    case = make_case(session, rail)
    assert post(client, f"/cases/{case.id}/assign", {"assignee_id": str(cm.id)}).status_code == 403
    make_user(session, rail, role="lead", email="lead@example.test")
    lead = app.test_client()
    login(lead, "lead@example.test")
    post(lead, f"/cases/{case.id}/assign", {"assignee_id": str(cm.id)})
    session.refresh(case)
    assert case.assignee_id == cm.id
    assert "case.reassigned" in _actions(session, case)


def test_foreign_case_is_404_and_editor_role_reads_only(client, app, session, rail, cm):
    foreign = make_case(session, make_brand(session, slug="shop"), "SECRET")
    assert client.get(f"/cases/{foreign.id}").status_code == 404
    mine = make_case(session, rail)
    add_mention(session, mine, "second mention")
    session.commit()
    make_user(session, rail, role="playbook_editor", email="ed@example.test")
    editor = app.test_client()
    login(editor, "ed@example.test")
    html = editor.get(f"/cases/{mine.id}").get_data(as_text=True)
    assert "Lecture seule" in html and 'id="editor"' not in html
    assert post(editor, f"/cases/{mine.id}/claim").status_code == 403
