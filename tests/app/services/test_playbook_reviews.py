"""Four-eyes publishing: propose, approve by someone else, delegation for the brand, rollback."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlmodel import select

from app.models import AuditEvent, Playbook, PlaybookReview
from app.security.access import BrandScope
from app.services import content, playbook_reviews
from app.services.playbook_reviews import ReviewError, ReviewForbidden
from app.ui.labels import AUDIT_LABELS
from tests.app.playbook_samples import SMALL_PLAYBOOK, STRICTER_PLAYBOOK
from tests.conftest import login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db
DELEGATED = (
    SMALL_PLAYBOOK
    + """delegation:
  - id: insultes-marque
    when: {severity: S3}
    action: reply_with_approval
    approver: brand
"""
)


@pytest.fixture
def team(session):
    brand = make_brand(session, slug="rail", name="Rail Test")
    people = {
        "editor": make_user(session, brand, role="playbook_editor", email="editor@rail.test"),
        "editor2": make_user(session, brand, role="playbook_editor", email="editor2@rail.test"),
        "lead": make_user(session, brand, role="lead", email="lead@rail.test"),
        "admin": make_user(session, brand, role="admin", email="admin@rail.test"),
        "owner": make_user(session, brand, role="brand_owner", email="owner@rail.test"),
    }
    live = content.save_playbook(
        session=session, brand=brand, source=SMALL_PLAYBOOK, actor=None, publish=True
    )
    session.commit()
    return brand, people, live


def _switch(client, email):
    post(client, "/logout")
    login(client, email)


def _live(session, brand):
    session.expire_all()
    return content.published_playbook(session=session, brand_id=brand.id)[0]


@pytest.fixture
def propose(session, team):
    """One of the team (by role name) saves `source` as a draft and proposes it."""
    brand, people, _live_row = team

    def run(who: str, source: str = STRICTER_PLAYBOOK) -> tuple[Playbook, PlaybookReview]:
        draft = content.save_playbook(
            session=session, brand=brand, source=source, actor=people[who]
        )
        review = playbook_reviews.propose(
            session=session, playbook=draft, actor=people[who], comment="Plus strict"
        )
        session.commit()
        return draft, review

    return run


@pytest.fixture
def decide(session, team):
    """One of the team (by role name) approves a review with their own powers."""
    _brand, people, _live_row = team

    def run(review: PlaybookReview, who: str) -> PlaybookReview:
        user = people[who]
        return playbook_reviews.decide(
            session=session,
            review=review,
            actor=user,
            scope=BrandScope.for_user(session, user),
            approve=True,
        )

    return run


def test_the_editor_proposes_and_nothing_is_published_until_a_lead_approves(client, session, team):
    brand, _people, live = team
    login(client, "editor@rail.test")
    response = post(
        client,
        "/playbooks/new",
        {"brand_id": brand.id, "source": STRICTER_PLAYBOOK, "intent": "propose", "comment": "S3"},
    )
    assert response.status_code == 302 and "/playbook-reviews/" in response.location
    draft = session.exec(select(Playbook).where(Playbook.number == 2)).one()
    assert draft.status == "proposed"
    # A proposal never publishes by itself: the old version still triages.
    assert _live(session, brand).id == live.id
    page = client.get(response.location).get_data(as_text=True)
    assert "Vous ne pouvez pas approuver votre propre modification." in page
    assert 'class="diff-add">+    severity: S3' in page and 'data-testid="review-figures"' in page
    # Forcing the approval by hand is refused too.
    review = session.exec(select(PlaybookReview)).one()
    post(client, f"/playbook-reviews/{review.id}/approve", {"comment": "moi-même"})
    assert _live(session, brand).id == live.id

    _switch(client, "lead@rail.test")
    assert f"/playbook-reviews/{review.id}" in client.get("/playbook-reviews").get_data(
        as_text=True
    )
    post(client, f"/playbook-reviews/{review.id}/approve", {"comment": "OK pour moi"})
    assert _live(session, brand).id == draft.id
    session.refresh(review)
    assert review.state == "approved" and review.decision_comment == "OK pour moi"
    actions = session.exec(select(AuditEvent.action)).all()
    assert {"playbook.proposed", "playbook.approved", "playbook.published"} <= set(actions)
    assert all(a in AUDIT_LABELS for a in actions)


def test_an_editor_cannot_approve_their_own_change_even_as_admin(session, team, propose, decide):
    brand, _people, live = team
    # An admin holds both powers: writing the version still bars them from approving it.
    _draft, review = propose("admin")
    with pytest.raises(ReviewForbidden):
        decide(review, "admin")
    session.rollback()
    # Nor may a plain editor approve anyone's change.
    with pytest.raises(ReviewForbidden):
        decide(review, "editor2")
    session.rollback()
    assert _live(session, brand).id == live.id


def test_the_author_of_the_text_cannot_approve_what_someone_else_proposed(session, team, decide):
    brand, people, _live_row = team
    draft = content.save_playbook(
        session=session, brand=brand, source=STRICTER_PLAYBOOK, actor=people["admin"]
    )
    review = playbook_reviews.propose(session=session, playbook=draft, actor=people["editor"])
    session.commit()
    with pytest.raises(ReviewForbidden):
        decide(review, "admin")


def test_a_rejection_needs_a_reason_and_returns_the_version_to_draft(
    client, session, team, propose
):
    brand, _people, live = team
    draft, review = propose("editor")
    login(client, "lead@rail.test")
    post(client, f"/playbook-reviews/{review.id}/reject", {"comment": ""})
    session.refresh(review)
    assert review.state == "pending"
    post(client, f"/playbook-reviews/{review.id}/reject", {"comment": "Trop sévère"})
    session.expire_all()
    assert review.state == "rejected" and session.get(Playbook, draft.id).status == "draft"
    assert _live(session, brand).id == live.id
    _switch(client, "editor@rail.test")
    page = client.get(f"/playbook-reviews/{review.id}").get_data(as_text=True)
    assert "Trop sévère" in page


def test_a_delegation_change_needs_the_brand_owner_in_the_portal(
    client, session, team, propose, decide
):
    brand, _people, _live_row = team
    draft, review = propose("editor", source=DELEGATED)
    assert review.needs_brand
    with pytest.raises(ReviewForbidden):
        decide(review, "lead")
    session.rollback()
    login(client, "owner@rail.test")
    portal = client.get(f"/portal?brand={brand.id}").get_data(as_text=True)
    assert 'data-testid="portal-playbook-reviews"' in portal and "délégation modifiée" in portal
    page = client.get(f"/playbook-reviews/{review.id}").get_data(as_text=True)
    assert 'data-testid="needs-brand"' in page and "+delegation:" in page
    post(client, f"/playbook-reviews/{review.id}/approve", {"comment": "Validé par la marque"})
    assert _live(session, brand).id == draft.id


def test_rollback_proposes_the_earlier_text_as_a_new_version(
    client, session, team, propose, decide
):
    brand, _people, live = team
    draft, review = propose("editor")
    decide(review, "lead")
    session.commit()
    login(client, "editor@rail.test")
    index = client.get(f"/playbooks?brand_id={brand.id}").get_data(as_text=True)
    assert 'data-testid="rollback-1"' in index
    response = post(client, f"/playbook-reviews/propose/{live.id}")
    assert response.status_code == 302
    back = session.exec(select(Playbook).where(Playbook.number == 3)).one()
    assert back.source == SMALL_PLAYBOOK and back.status == "proposed"
    assert _live(session, brand).id == draft.id  # not yet: it goes through the same approval
    rollback = session.exec(
        select(PlaybookReview).where(PlaybookReview.playbook_id == back.id)
    ).one()
    assert rollback.rollback_of_id == live.id
    _switch(client, "lead@rail.test")
    post(client, f"/playbook-reviews/{rollback.id}/approve")
    live_now = _live(session, brand)
    assert live_now.id == back.id and live_now.source == SMALL_PLAYBOOK


def test_the_proposer_withdraws_and_edits_again(session, team, propose, decide):
    _brand, people, _live_row = team
    draft, review = propose("editor")
    with pytest.raises(ReviewForbidden):
        playbook_reviews.withdraw(session=session, review=review, actor=people["lead"])
    session.rollback()
    playbook_reviews.withdraw(session=session, review=review, actor=people["editor"])
    session.commit()
    assert session.get(Playbook, draft.id).status == "draft"
    with pytest.raises(ReviewError):
        decide(review, "lead")


def test_a_crisis_variant_goes_through_the_same_approval(client, session, team, decide):
    brand, _people, live = team
    login(client, "editor@rail.test")
    post(
        client,
        "/playbooks/new",
        {"brand_id": brand.id, "kind": "crisis", "source": SMALL_PLAYBOOK, "intent": "propose"},
    )
    crisis_row = session.exec(select(Playbook).where(Playbook.kind == "crisis")).one()
    assert crisis_row.status == "proposed"
    review = playbook_reviews.open_review(session, crisis_row.id)
    decide(review, "lead")
    session.commit()
    session.expire_all()
    assert session.get(Playbook, crisis_row.id).status == "published"
    assert session.get(Playbook, live.id).status == "published"  # the normal one stays live


def test_other_brands_do_not_see_or_decide_a_proposal(client, session, team, propose):
    brand, _people, live = team
    _draft, review = propose("editor")
    other = make_brand(session, slug="shop", name="Shop")
    make_user(session, other, role="lead", email="lead@shop.test")
    login(client, "lead@shop.test")
    assert client.get(f"/playbook-reviews/{review.id}").status_code == 404
    assert post(client, f"/playbook-reviews/{review.id}/approve").status_code == 404
    assert _live(session, brand).id == live.id


def test_no_view_publishes_a_playbook_directly():
    # Web users publish only through playbook_reviews.decide (someone else's approval).
    views = Path(__file__).resolve().parents[3] / "app" / "views"
    for path in views.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute):
                assert node.attr != "publish_playbook", path.name
            if isinstance(node, ast.keyword) and node.arg == "publish":
                raise AssertionError(f"{path.name} saves a playbook with publish=")
