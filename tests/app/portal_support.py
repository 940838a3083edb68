"""Shared set-up of the portal tests (no tests here): a brand, its people, pending work."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session

from app.models import Brand, Case, Escalation, Reply, User
from app.security.access import BrandScope
from tests.factories import make_brand, make_case, make_user


@dataclass
class Cast:
    brand: Brand
    other: Brand
    owner: User
    owner2: User
    lead: User
    cm: User
    other_owner: User


def cast(session: Session) -> Cast:
    brand = make_brand(session, slug="rail", name="Rail")
    other = make_brand(session, slug="shop", name="Shop")
    return Cast(
        brand=brand,
        other=other,
        owner=make_user(session, brand, "brand_owner", email="owner@rail.test"),
        owner2=make_user(session, brand, "brand_owner", email="owner2@rail.test"),
        lead=make_user(session, brand, "lead", email="lead@agency.test"),
        cm=make_user(session, brand, "community_manager", email="cm@agency.test"),
        other_owner=make_user(session, other, "brand_owner", email="owner@shop.test"),
    )


def scope(session: Session, user: User) -> BrandScope:
    return BrandScope.for_user(session, user)


def pending_reply(
    session: Session, brand: Brand, author: User, approver: str = "brand", text: str = ""
) -> Reply:
    """An S3 case whose reply waits for approval, as the console's submit leaves it."""
    case = make_case(
        session,
        brand,
        "Vous êtes des incapables, je vais porter plainte",
        severity="S3",
        action="reply_with_approval",
        approver=approver,
    )
    case.status = "pending_approval"
    case.involved_brand = approver == "brand"
    reply = Reply(
        brand_id=brand.id,
        case_id=case.id,
        author_user_id=author.id,  # type: ignore[arg-type]
        text=text or "Bonjour, nous sommes désolés et regardons votre dossier.",
        approval_state="pending",
        approver_role=approver,
        idempotency_key=secrets.token_hex(8),
    )
    session.add_all([case, reply])
    session.commit()
    return reply


def open_escalation(
    session: Session, brand: Brand, requester: User | None, urgency: str = "normal"
) -> Escalation:
    case: Case = make_case(
        session, brand, "Je vais me jeter sous un train", severity="S4", action="escalate_urgent"
    )
    case.status = "escalated"
    case.pinned = urgency == "urgent"
    escalation = Escalation(
        brand_id=brand.id,
        case_id=case.id,
        reason="Détresse",  # type: ignore[arg-type]
        urgency=urgency,
        requested_by_id=requester.id if requester else None,
    )
    session.add_all([case, escalation])
    session.commit()
    return escalation
