"""Test data built through the same services the app uses."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from app.models import Brand, User
from app.services import brands, users

_counter = itertools.count(1)
PASSWORD = "pw-test"


def make_brand(session: Session, slug: str | None = None, name: str | None = None) -> Brand:
    n = next(_counter)
    brand = brands.create_brand(
        session=session, slug=slug or f"brand-{n}", name=name or f"Marque {n}"
    )
    session.commit()
    return brand


def make_user(
    session: Session,
    brand: Brand | None = None,
    role: str = "community_manager",
    email: str | None = None,
) -> User:
    n = next(_counter)
    user = users.create_user(
        session=session, email=email or f"user{n}@example.test", password=PASSWORD
    )
    if brand is not None:
        users.grant(session=session, user=user, brand=brand, role=role)
    session.commit()
    return user
