"""Canned reply pages: library search, create/edit with live proofreading, versions, approval."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import AuditEvent, CannedReply, CannedReplyVersion
from app.services import content
from tests.conftest import login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}
MISTAKE = "Bonjour {{ prenom }}, nous somme désolés pour le retart. Suivez le trafic : {{ lien }}"
CLEAN = "Bonjour {{ prenom }}, nous sommes désolés pour le retard. Suivez le trafic : {{ lien }}"


@pytest.fixture
def editor(client, session):
    brand = make_brand(session, slug="rail", name="Rail Test")
    user = make_user(session, brand, role="playbook_editor", email="editor@example.test")
    login(client, "editor@example.test")
    return user, brand


def _reply(session, brand, key="rail.retard", body=CLEAN, status="draft", **kw):
    reply = content.upsert_canned_reply(
        session=session,
        brand=brand,
        key=key,
        language=kw.get("language", "fr"),
        title=kw.get("title", "Retard"),
        body=body,
        scenarios=kw.get("scenarios", ["retard"]),
        channels=["x", "mastodon"],
        status=status,
        actor=None,
    )
    session.commit()
    return reply


def test_library_search_and_filters(client, session, editor):
    _, brand = editor
    _reply(session, brand, key="rail.retard", title="Retard")
    _reply(
        session,
        brand,
        key="rail.merci",
        title="Compliment",
        body="Merci {{ prenom }} !",
        scenarios=["compliment"],
        status="approved",
    )
    _reply(session, brand, key="rail.thanks", title="Thanks", body="Thank you!", language="en")
    page = client.get("/canned-replies").get_data(as_text=True)
    assert "rail.retard" in page and "rail.merci" in page and "rail.thanks" in page

    fragment = client.get(
        "/canned-replies?q=compliment", headers={**HX, "HX-Target": "cr-results"}
    ).get_data(as_text=True)
    assert "<html" not in fragment and "rail.merci" in fragment and "rail.retard" not in fragment
    assert "rail.thanks" in client.get("/canned-replies?language=en").get_data(as_text=True)
    approved = client.get("/canned-replies?status=approved").get_data(as_text=True)
    assert "rail.merci" in approved and "rail.retard" not in approved
    scenario = client.get("/canned-replies?scenario=retard").get_data(as_text=True)
    assert "rail.retard" in scenario and "rail.merci" not in scenario
    assert "Aucune réponse type" in client.get("/canned-replies?q=zzz").get_data(as_text=True)


def test_live_check_highlights_mistakes_with_suggestions_and_previews(client, editor):
    _, brand = editor
    data = {"brand_id": brand.id, "language": "fr", "body": MISTAKE, "channels": ["x"]}
    html = post(client, "/canned-replies/check", data, headers=HX).get_data(as_text=True)
    assert "<html" not in html and 'data-findings="2"' in html
    assert 'data-original="retart"' in html and 'data-replacement="retard"' in html
    assert 'data-replacement="sommes"' in html
    # The preview fills the sample author and shows the variables it cannot fill.
    assert "Bonjour Camille" in html and '<mark class="missing">[[lien]]</mark>' in html
    assert 'data-channel="x"' in html and "/ 280" in html


def test_live_check_escapes_the_text(client, editor):
    _, brand = editor
    data = {"brand_id": brand.id, "language": "fr", "body": "Bonjour <img src=x>"}
    html = post(client, "/canned-replies/check", data, headers=HX).get_data(as_text=True)
    assert "<img" not in html and "&lt;img src=x&gt;" in html


def test_create_edit_and_see_versions_with_diff(client, session, editor):
    _, brand = editor
    form = {
        "brand_id": brand.id,
        "key": "rail.retard",
        "language": "fr",
        "title": "Retard",
        "body": CLEAN,
        "scenarios": "retard, greve",
        "channels": ["x", "mastodon"],
    }
    assert post(client, "/canned-replies/new", form).status_code == 302
    reply = session.exec(select(CannedReply)).one()
    assert reply.status == "draft" and reply.scenarios == ["retard", "greve"]

    duplicate = post(client, "/canned-replies/new", form)
    assert duplicate.status_code == 422 and "existe déjà" in duplicate.get_data(as_text=True)

    edited = {**form, "body": CLEAN.replace("désolés", "navrés")}
    post(client, f"/canned-replies/{reply.id}", edited)
    session.refresh(reply)
    assert reply.version == 2 and "navrés" in reply.body
    html = client.get(f"/canned-replies/{reply.id}/versions").get_data(as_text=True)
    assert "<del>désolés</del>" in html and "<ins>navrés</ins>" in html


def test_invalid_new_reply_keeps_the_form(client, session, editor):
    _, brand = editor
    form = {"brand_id": brand.id, "key": "Bad Key", "language": "fr", "title": "", "body": MISTAKE}
    response = post(client, "/canned-replies/new", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "La clé doit" in html and "Donnez un titre" in html
    assert "nous somme désolés" in html
    assert session.exec(select(CannedReply)).all() == []


def test_approval_with_findings_needs_an_override_reason(client, session, editor):
    _, brand = editor
    reply = _reply(session, brand, body=MISTAKE)
    response = post(client, f"/canned-replies/{reply.id}/approve", follow_redirects=True)
    assert "indiquez la raison" in response.get_data(as_text=True)
    session.refresh(reply)
    assert reply.status == "draft"

    post(
        client,
        f"/canned-replies/{reply.id}/approve",
        {"override_reason": "Orthographe voulue par la marque"},
    )
    session.refresh(reply)
    assert reply.status == "approved"
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "canned_reply.approved")
    ).one()
    assert event.note == "Orthographe voulue par la marque" and event.after["overridden"]

    # The approved version keeps the findings and the reason, like a reply sent over them,
    # and the overridden-rules report lists the rule, the word and the reason.
    approved = session.exec(
        select(CannedReplyVersion).where(CannedReplyVersion.status == "approved")
    ).one()
    assert approved.proofreading_override == "Orthographe voulue par la marque"
    rules = {f["rule"] for f in approved.proofreading or []}
    assert rules and set(event.after["rules"]) == rules
    report = client.get("/canned-replies/overrides").get_data(as_text=True)
    assert all(f'data-rule="{rule}"' in report for rule in rules)
    assert "Orthographe voulue par la marque" in report
    assert "<mark>somme</mark>" in report and "<mark>retart</mark>" in report

    # Another brand's editor does not see it.
    other = make_brand(session, slug="shop", name="Shop")
    make_user(session, other, role="playbook_editor", email="other@example.test")
    post(client, "/logout")
    login(client, "other@example.test")
    foreign = client.get("/canned-replies/overrides").get_data(as_text=True)
    assert "Orthographe voulue" not in foreign and "data-rule" not in foreign


def test_clean_reply_is_approved_without_reason_and_edits_send_it_back_to_draft(
    client, session, editor
):
    _, brand = editor
    reply = _reply(session, brand, body=CLEAN)
    post(client, f"/canned-replies/{reply.id}/approve")
    session.refresh(reply)
    assert reply.status == "approved"
    versions = session.exec(
        select(CannedReplyVersion.status).where(CannedReplyVersion.canned_reply_id == reply.id)
    ).all()
    assert versions == ["draft", "approved"]

    form = {
        "title": "Retard",
        "body": CLEAN + " Bonne journée.",
        "scenarios": "retard",
        "channels": ["x"],
    }
    post(client, f"/canned-replies/{reply.id}", form)
    session.refresh(reply)
    assert reply.status == "draft"


def test_foreign_replies_are_not_found(client, session, editor):
    other = make_brand(session)
    reply = _reply(session, other)
    assert client.get(f"/canned-replies/{reply.id}").status_code == 404
    assert post(client, f"/canned-replies/{reply.id}/approve").status_code == 404
    assert "rail.retard" not in client.get("/canned-replies").get_data(as_text=True)
    data = {"brand_id": other.id, "key": "x.y", "language": "fr", "title": "T", "body": "B"}
    assert post(client, "/canned-replies/new", data).status_code == 404
    assert session.exec(select(CannedReply).where(CannedReply.key == "x.y")).first() is None
