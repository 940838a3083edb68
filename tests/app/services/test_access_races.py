"""Two saves of one brand lexicon, or two openings of one invitation link, at the same moment:
one wins, the other is refused; nothing doubles (real threads, SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import AuditEvent, Brand, BrandLexicon, Invitation, Membership, User
from app.notify.mail import SinkMailer
from app.services import brand_lexicons, invitations
from app.services.brand_lexicons import LexiconConflict
from tests.factories import make_brand, make_user
from tests.races import race

pytestmark = pytest.mark.db
NEW_PASSWORD = "vélo rouge sur le quai"


def test_two_saves_of_one_lexicon_version_one_wins(engine, session):
    brand = make_brand(session, slug="shop", name="Boutique")
    row = brand_lexicons.create_lexicon(
        session=session, brand=brand, name="produits", language="fr", terms="vélo", actor=None
    )
    session.commit()

    def save(terms: str):
        def racer(s, wait):
            mine = s.get(BrandLexicon, row.id)
            b = s.get(Brand, brand.id)
            wait()
            return brand_lexicons.update_lexicon(
                session=s,
                brand=b,
                lexicon=mine,
                language="fr",
                terms=terms,
                expected_version=1,
                actor=None,
            ).version

        return racer

    outcomes = race(engine, save("vélo\ntrottinette"), save("vélo\ngyropode"))
    assert sorted(o for o in outcomes if isinstance(o, int)) == [2]
    assert sum(isinstance(o, LexiconConflict) for o in outcomes) == 1
    session.expire_all()
    stored = session.get(BrandLexicon, row.id)
    assert stored.version == 2
    updates = session.exec(select(AuditEvent).where(AuditEvent.action == "lexicon.updated"))
    assert len(updates.all()) == 1


def test_one_invitation_link_opened_twice_at_once_makes_one_account(engine, session):
    brand = make_brand(session, slug="acme", name="Acme")
    admin = make_user(session, brand, role="admin", email="admin@example.test")
    invitation = invitations.invite(
        session=session,
        brand=brand,
        email="new@example.test",
        role="lead",
        actor=admin,
        secret_key="k",
        public_url="http://localhost",
        mailer=SinkMailer(),
    )
    session.commit()

    def accept(s, wait):
        mine = s.get(Invitation, invitation.id)
        wait()
        return invitations.accept_new(session=s, invitation=mine, name="", password=NEW_PASSWORD).id

    outcomes = race(engine, accept, accept)
    assert sum(isinstance(o, int) for o in outcomes) == 1
    assert sum(isinstance(o, invitations.InvitationError) for o in outcomes) == 1
    session.expire_all()
    users = session.exec(select(User).where(User.email == "new@example.test")).all()
    assert len(users) == 1
    roles = session.exec(select(Membership).where(Membership.user_id == users[0].id)).all()
    assert [m.role for m in roles] == ["lead"]
