"""Delegation of authority: only the named role on the brand approves; nothing else posts."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from app.models import AuditEvent, CannedReply, Case, Notification, Reply, User
from app.services import approvals
from app.services.approvals import ApprovalError, ApprovalForbidden
from tests.app.portal_support import cast, pending_reply, scope
from tests.conftest import login, post
from tests.factories import make_user

pytestmark = pytest.mark.db


@pytest.fixture
def people(session):
    return cast(session)


@pytest.fixture
def reply(session, people) -> Reply:
    """A community manager's reply waiting for the brand's approval."""
    return pending_reply(session, people.brand, people.cm)


@pytest.fixture
def approve(session):
    """`approvals.approve` by `actor` with their own powers."""

    def run(reply: Reply, actor: User, **kwargs: Any) -> Reply:
        return approvals.approve(
            session=session, reply=reply, actor=actor, scope=scope(session, actor), **kwargs
        )

    return run


@pytest.fixture
def reject(session):
    """`approvals.reject` by `actor` with their own powers."""

    def run(reply: Reply, actor: User, comment: str) -> Reply:
        return approvals.reject(
            session=session, reply=reply, actor=actor, scope=scope(session, actor), comment=comment
        )

    return run


def test_brand_owner_approves_and_the_reply_goes_to_the_outbox(session, people, reply, approve):
    approve(reply, people.owner)
    session.commit()
    assert reply.approval_state == "approved" and reply.outbox_state == "queued"
    assert reply.approved_by_id == people.owner.id
    assert approvals.may_send(reply)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "reply.approved")).one()
    assert event.actor_id == people.owner.id and event.case_id == reply.case_id
    told = session.exec(select(Notification).where(Notification.user_id == people.cm.id)).all()
    assert [n.kind for n in told] == ["approval_answered"]


@pytest.mark.parametrize("who", ["cm", "lead", "other_owner"])
def test_others_cannot_approve_a_brand_reply(session, people, who, reply, approve, reject):
    actor = getattr(people, who)
    with pytest.raises(ApprovalForbidden):
        approve(reply, actor)
    with pytest.raises(ApprovalForbidden):
        reject(reply, actor, comment="non")
    session.rollback()
    assert session.get(Reply, reply.id).approval_state == "pending"


def test_a_lead_reply_needs_a_lead_not_the_brand_nor_a_cm(session, people, approve):
    reply = pending_reply(session, people.brand, people.cm, approver="lead")
    for actor in (people.owner, people.cm):
        with pytest.raises(ApprovalForbidden):
            approve(reply, actor)
    approve(reply, people.lead)
    assert reply.approval_state == "approved"


def test_a_scope_of_someone_else_is_refused(session, people, reply):
    with pytest.raises(ApprovalForbidden):
        approvals.approve(
            session=session, reply=reply, actor=people.cm, scope=scope(session, people.owner)
        )


def test_edit_and_approve_keeps_both_versions(session, people, approve):
    reply = pending_reply(session, people.brand, people.cm, text="Texte de l'agence.")
    approve(reply, people.owner, edited_text="Texte revu par la marque.")
    session.commit()
    assert reply.text == "Texte revu par la marque."
    assert reply.original_text == "Texte de l'agence."
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "reply.approved_edited")
    ).one()
    assert event.before["text"] == "Texte de l'agence."
    assert event.after["text"] == "Texte revu par la marque."


def test_reject_needs_a_comment_and_reopens_the_case(session, people, reply, approve, reject):
    with pytest.raises(ApprovalError):
        reject(reply, people.owner, comment="  ")
    reject(reply, people.owner, comment="Trop familier.")
    session.commit()
    assert reply.approval_state == "rejected" and not approvals.may_send(reply)
    assert session.get(Case, reply.case_id).status == "open"
    with pytest.raises(ApprovalError):  # no second decision
        approve(reply, people.owner)


def test_promote_an_approved_reply_to_an_approved_canned_reply(session, people, reply, approve):
    approve(reply, people.owner)
    canned = approvals.promote_to_canned(
        session=session,
        reply=reply,
        actor=people.owner,
        scope=scope(session, people.owner),
        title="Plainte : on regarde",
    )
    session.commit()
    stored = session.exec(select(CannedReply).where(CannedReply.id == canned.id)).one()
    assert stored.status == "approved" and stored.body == reply.text
    assert stored.brand_id == people.brand.id
    with pytest.raises(ApprovalForbidden):
        approvals.promote_to_canned(
            session=session,
            reply=reply,
            actor=people.lead,
            scope=scope(session, people.lead),
            title="x",
        )


def test_may_send_only_when_approval_is_not_needed_or_given():
    for state, expected in [
        ("not_required", True),
        ("approved", True),
        ("pending", False),
        ("rejected", False),
    ]:
        assert (
            approvals.may_send(
                Reply(text="x", approval_state=state, brand_id=1, case_id=1, idempotency_key="k")
            )
            is expected
        )


# --- through HTTP ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["cm@agency.test", "lead@agency.test", "owner@shop.test"])
def test_http_approve_is_refused_to_others(client, session, people, who, reply):
    login(client, who)
    for action in ("approve", "reject"):
        response = post(client, f"/portal/replies/{reply.id}/{action}", {"comment": "x"})
        assert response.status_code in (403, 404)
    session.expire_all()
    assert session.get(Reply, reply.id).approval_state == "pending"


def test_http_owner_approves_with_htmx_and_gets_the_updated_card(client, session, people, reply):
    login(client, "owner@rail.test")
    response = post(client, f"/portal/replies/{reply.id}/approve", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="reply-{reply.id}"' in html and 'data-state="approved"' in html
    session.expire_all()
    assert session.get(Reply, reply.id).outbox_state == "queued"


def test_http_reject_without_comment_is_a_form_error(client, session, people, reply):
    login(client, "owner@rail.test")
    response = post(
        client,
        f"/portal/replies/{reply.id}/reject",
        {"comment": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "pourquoi" in response.get_data(as_text=True)


def test_lead_approvals_page_lists_lead_replies(client, session, people):
    reply = pending_reply(
        session, people.brand, people.cm, approver="lead", text="Réponse pour le superviseur"
    )
    login(client, "lead@agency.test")
    html = client.get("/approvals").get_data(as_text=True)
    assert "Réponse pour le superviseur" in html and f"reply-{reply.id}" in html
    assert post(client, f"/portal/replies/{reply.id}/approve").status_code == 302
    session.expire_all()
    assert session.get(Reply, reply.id).approval_state == "approved"


def test_an_edited_text_with_mistakes_is_refused_and_kept(client, session, people, reply):
    login(client, "owner@rail.test")
    response = post(
        client,
        f"/portal/replies/{reply.id}/approve",
        {"edit": "1", "text": "Nous somme désolé, votre billet sera remboursé."},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Relecture" in body
    assert "Nous somme désolé" in body
    session.expire_all()
    assert session.get(Reply, reply.id).approval_state == "pending"


# --- Separation of duties: whoever wrote a reply does not approve it ---


def test_the_author_of_a_reply_cannot_approve_it_a_second_lead_can(session, people, approve):
    reply = pending_reply(session, people.brand, people.lead, approver="lead")
    with pytest.raises(ApprovalError, match="une autre personne"):
        approve(reply, people.lead)
    with pytest.raises(ApprovalError, match="une autre personne"):
        approve(reply, people.lead, edited_text="Une version revue par son auteur.")
    session.rollback()
    assert session.get(Reply, reply.id).approval_state == "pending"
    other_lead = make_user(session, people.brand, "lead", email="lead2@agency.test")
    approve(reply, other_lead)
    assert reply.approval_state == "approved" and reply.approved_by_id == other_lead.id


def test_the_author_may_still_withdraw_their_reply(session, people, reject):
    reply = pending_reply(session, people.brand, people.lead, approver="lead")
    reject(reply, people.lead, comment="Je la retire, je la reformule.")
    assert reply.approval_state == "rejected"


def test_http_the_author_gets_no_approve_button_and_is_refused(client, session, people):
    reply = pending_reply(session, people.brand, people.lead, approver="lead")
    login(client, "lead@agency.test")
    html = client.get("/approvals").get_data(as_text=True)
    assert f'id="reply-{reply.id}"' in html and 'data-testid="own-reply"' in html
    assert f"/portal/replies/{reply.id}/approve" not in html
    response = post(client, f"/portal/replies/{reply.id}/approve")
    assert response.status_code == 422
    assert "une autre personne doit la valider" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Reply, reply.id).approval_state == "pending"
    assert not session.exec(select(AuditEvent).where(AuditEvent.action == "reply.approved")).all()
