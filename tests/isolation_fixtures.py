"""One record of every brand-owned kind in a foreign brand, by URL parameter name.

The isolation test fails on a URL parameter missing here, so new routes must add theirs.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.models import (
    Brand,
    BrandLexicon,
    CannedReply,
    CrisisPeriod,
    Escalation,
    Invitation,
    Membership,
    Mention,
    MentionCluster,
    ModerationAction,
    Person,
    Playbook,
    PlaybookReview,
    Reply,
    UserSession,
    Wave,
    utcnow,
)
from app.security.secrets_box import SecretsBox
from app.services import sessions as session_service
from app.services.accounts import create_account
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.factories import make_case, make_user


def foreign_records(session: Session, brand: Brand, marker: str) -> dict[str, int]:
    """Create the foreign brand's records, each carrying the marker text."""
    owner = make_user(session, brand, role="brand_owner", email=f"owner-{marker.lower()}@x.test")
    account, _ = create_account(
        session=session,
        brand=brand,
        platform="webhook",
        credentials={},
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        label=f"Compte {marker}",
    )
    session.commit()
    case = make_case(session, brand, f"Message {marker}", person_name=f"Client {marker}")
    mention_id = session.exec(select(Mention.id).where(Mention.case_id == case.id)).one()
    reply = Reply(
        brand_id=brand.id,
        case_id=case.id,
        text=f"Réponse {marker}",
        approval_state="pending",
        approver_role="brand",
        idempotency_key=marker,
    )
    escalation = Escalation(brand_id=brand.id, case_id=case.id, reason=f"Escalade {marker}")
    playbook = Playbook(brand_id=brand.id, version=marker, source=f"# {marker}\nformat: 1\n")
    canned = CannedReply(
        brand_id=brand.id, key="foreign.key", title=f"Titre {marker}", body=f"Bonjour {marker}"
    )
    lexicon = BrandLexicon(brand_id=brand.id, name="foreign", terms=f"{marker}\n")
    invitation = Invitation(
        brand_id=brand.id,
        email=f"invited-{marker.lower()}@x.test",
        role="lead",
        expires_at=utcnow() + timedelta(days=7),
    )
    # A ban and a delete waiting for the brand (case page and portal).
    moderation = ModerationAction(
        brand_id=brand.id,
        case_id=case.id,
        mention_id=mention_id,
        account_id=account.id,
        action="ban",
        state="awaiting_approval",
        approver="brand",
        error=f"Modération {marker}",
    )
    delete = ModerationAction(
        brand_id=brand.id,
        case_id=case.id,
        mention_id=mention_id,
        account_id=account.id,
        action="delete",
        state="awaiting_approval",
        approver="brand",
        reason=f"Suppression {marker}",
    )
    session.add_all([reply, escalation, playbook, canned, lexicon, invitation, moderation, delete])
    # A live login session of the foreign brand's owner (Mon compte → disconnect a device).
    session_service.start(
        session=session, user=owner, ip="192.0.2.1", user_agent=marker, lifetime=timedelta(hours=1)
    )
    session.commit()
    owner_session_id = session.exec(
        select(UserSession.id).where(UserSession.user_id == owner.id)
    ).one()
    # A wave of the foreign brand: its cluster, a wave reply, two people to link (issue 16).
    cluster = MentionCluster(brand_id=brand.id, size=2, sample_text=f"Vague {marker}")
    session.add(cluster)
    session.flush()
    wave = Wave(
        brand_id=brand.id, cluster_id=cluster.id, body=f"Vague {marker}", created_by_id=owner.id
    )
    other_person = Person(brand_id=brand.id, display_name=f"Autre {marker}")
    # A playbook version proposed for approval (four-eyes) and a past crisis (its report).
    review = PlaybookReview(
        brand_id=brand.id, playbook_id=playbook.id, comment=f"Proposition {marker}"
    )
    crisis = CrisisPeriod(brand_id=brand.id, reason=f"Crise {marker}")
    session.add_all([wave, other_person, review, crisis])
    session.commit()
    return {
        "review_id": review.id,  # type: ignore[dict-item]
        "crisis_id": crisis.id,  # type: ignore[dict-item]
        "slug": brand.slug,  # type: ignore[dict-item]
        "month": utcnow().strftime("%Y-%m"),  # type: ignore[dict-item]
        "cluster_id": cluster.id,
        "wave_id": wave.id,
        "person_id": case.person_id,
        "other_id": other_person.id,
        "move": "stop",  # type: ignore[dict-item]
        "decision": "confirm",  # type: ignore[dict-item]
        "brand_id": brand.id,
        "user_id": owner.id,
        "account_id": account.id,
        "case_id": case.id,
        "mention_id": mention_id,
        "reply_id": reply.id,
        "escalation_id": escalation.id,
        "playbook_id": playbook.id,
        "canned_reply_id": canned.id,
        "lexicon_id": lexicon.id,
        "invitation_id": invitation.id,
        "session_id": owner_session_id,
        "action_id": moderation.id,  # type: ignore[dict-item]
        "token": "not-a-valid-ack-token",  # type: ignore[dict-item]  # ack links are public
        "key": "default",  # type: ignore[dict-item]  # an SSO provider's key (login flow, public)
        "scenario_id": "insulte",  # type: ignore[dict-item]  # a scenario of the playbook above
    }


def shared_users(session: Session, mine: Brand, foreign: Brand, marker: str) -> dict[str, int]:
    """Accounts the admin pages must handle with care: users are global, brands are not.

    ``shared``: the agency's lead of both brands (the admin may see them and change their roles
    on the admin's brand, never their password or access); ``shared_cm``: a colleague who is
    community manager on the admin's brand and brand owner of the foreign one.
    """
    from app.services import users

    shared = make_user(session, mine, role="lead", email="shared-lead@agency.test")
    users.grant(session=session, user=shared, brand=foreign, role="lead")
    shared_cm = make_user(session, mine, role="community_manager", email="cm-owner@x.test")
    users.grant(session=session, user=shared_cm, brand=foreign, role="brand_owner")
    session.commit()
    foreign_memberships = session.exec(
        select(Membership.id).where(Membership.brand_id == foreign.id)
    ).all()
    return {
        "shared": shared.id,  # type: ignore[dict-item]
        "shared_cm": shared_cm.id,  # type: ignore[dict-item]
        "foreign_membership": max(foreign_memberships),
    }
