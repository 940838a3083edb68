"""Two people deciding playbook proposals at the same moment: one outcome, one live version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, Playbook, PlaybookReview, User
from app.security.access import BrandScope
from app.services import content, playbook_reviews
from app.services.playbook_reviews import ReviewError
from tests.app.playbook_samples import SMALL_PLAYBOOK, STRICTER_PLAYBOOK
from tests.factories import make_brand, make_user
from tests.races import race

pytestmark = pytest.mark.db


@pytest.fixture
def setup(session):
    brand = make_brand(session, slug="rail", name="Rail Test")
    editor = make_user(session, brand, role="playbook_editor", email="editor@rail.test")
    lead = make_user(session, brand, role="lead", email="lead@rail.test")
    owner = make_user(session, brand, role="brand_owner", email="owner@rail.test")
    content.save_playbook(
        session=session, brand=brand, source=SMALL_PLAYBOOK, actor=None, publish=True
    )
    session.commit()
    return brand, editor, lead, owner


def _proposal(session, brand, editor, source):
    draft = content.save_playbook(session=session, brand=brand, source=source, actor=editor)
    review = playbook_reviews.propose(session=session, playbook=draft, actor=editor)
    session.commit()
    return review.id


def _decider(review_id: int, user_id: int, approve: bool):
    def decide(session: Session, ready: Callable[[], Any]) -> str:
        review, actor = session.get(PlaybookReview, review_id), session.get(User, user_id)
        scope = BrandScope.for_user(session, actor)
        ready()
        playbook_reviews.decide(
            session=session,
            review=review,
            actor=actor,
            scope=scope,
            approve=approve,
            comment="" if approve else "Non.",
        )
        return "approved" if approve else "rejected"

    return decide


def test_approve_and_reject_at_once_give_one_outcome(engine, session, setup):
    brand, editor, lead, owner = setup
    review_id = _proposal(session, brand, editor, STRICTER_PLAYBOOK)

    outcomes = race(
        engine, _decider(review_id, lead.id, True), _decider(review_id, owner.id, False)
    )

    won = [o for o in outcomes if isinstance(o, str)]
    assert len(won) == 1 and sum(isinstance(o, ReviewError) for o in outcomes) == 1
    session.expire_all()
    review = session.get(PlaybookReview, review_id)
    assert review.state == won[0]
    decisions = session.exec(
        select(AuditEvent.action).where(
            AuditEvent.action.in_(["playbook.approved", "playbook.rejected"])  # type: ignore[attr-defined]
        )
    ).all()
    assert len(decisions) == 1
    live = session.exec(select(Playbook).where(Playbook.status == "published")).all()
    assert len(live) == 1
    assert (live[0].id == review.playbook_id) == (won[0] == "approved")


def test_two_proposals_approved_at_once_leave_one_live_version(engine, session, setup):
    brand, editor, lead, owner = setup
    first = _proposal(session, brand, editor, STRICTER_PLAYBOOK)
    second = _proposal(session, brand, editor, SMALL_PLAYBOOK.replace("name: Test", "name: B"))

    outcomes = race(engine, _decider(first, lead.id, True), _decider(second, owner.id, True))

    assert outcomes == ["approved", "approved"]
    session.expire_all()
    live = session.exec(
        select(Playbook).where(Playbook.status == "published", Playbook.kind == "normal")
    ).all()
    assert len(live) == 1


def test_two_approvals_of_one_proposal_publish_it_once(engine, session, setup):
    brand, editor, lead, owner = setup
    review_id = _proposal(session, brand, editor, STRICTER_PLAYBOOK)

    outcomes = race(engine, _decider(review_id, lead.id, True), _decider(review_id, owner.id, True))

    assert outcomes.count("approved") == 1
    assert sum(isinstance(o, ReviewError) for o in outcomes) == 1
    session.expire_all()
    published = session.exec(
        select(AuditEvent).where(AuditEvent.action == "playbook.published")
    ).all()
    assert len(published) == 2  # the system's install, then this approval once
