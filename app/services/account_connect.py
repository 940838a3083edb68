"""Accounts made by a "Connect with …" flow (Facebook Login, Google): found again by the
platform object they stand for (a Page, an Instagram account, a channel, a location), renewed
in place when connected again, created otherwise — once, even when two picks land together
(the unique `external_id` per brand and platform decides; the loser renews the winner's)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import Brand, ConnectorAccount, User
from app.security.secrets_box import SecretsBox
from app.services import accounts
from app.services.oauth_state import ConnectError


def find(
    session: Session, brand: Brand, platform: str, key: str, object_id: str, box: SecretsBox
) -> ConnectorAccount | None:
    """The brand's account of `platform` standing for `object_id`: the one carrying it as its
    external id, else the oldest one whose credentials name it under `key` (connected before
    external ids were kept), which takes it as its external id from now on."""
    mine = (ConnectorAccount.brand_id == brand.id) & (ConnectorAccount.platform == platform)
    found = session.exec(
        select(ConnectorAccount).where(mine, ConnectorAccount.external_id == object_id)
    ).first()
    if found is not None:
        return found
    for account in session.exec(
        select(ConnectorAccount)
        .where(mine, col(ConnectorAccount.external_id).is_(None))
        .order_by(col(ConnectorAccount.id))
    ):
        try:
            named = str(box.open(account.credentials_encrypted).get(key) or "")
        except Exception:  # credentials that no longer open: not this one
            continue
        if named == object_id:
            account.external_id = object_id
            session.add(account)
            return account
    return None


def create_or_renew(
    *,
    session: Session,
    brand: Brand,
    platform: str,
    key: str,
    object_id: str,
    credentials: dict[str, Any],
    options: dict[str, Any],
    label: str,
    base_url: str | None,
    box: SecretsBox,
    actor: User,
) -> tuple[ConnectorAccount, bool]:
    """The account of `object_id` (named under `key` in its credentials) with these
    credentials (sealed) and options; True when it was renewed. A new account is checked with
    the platform first (nothing stored when refused)."""
    existing = find(session, brand, platform, key, object_id, box)
    if existing is None:
        try:
            with session.begin_nested():
                account, _ = accounts.create_account(
                    session=session,
                    brand=brand,
                    platform=platform,
                    credentials=credentials,
                    box=box,
                    label=label,
                    base_url=base_url,
                    options=options,
                    actor=actor,
                    verify=True,
                    external_id=object_id,
                )
            return account, False
        except IntegrityError:  # the same object was connected by another pick meanwhile
            existing = find(session, brand, platform, key, object_id, box)
            if existing is None:
                raise ConnectError(
                    "Ce compte vient d'être connecté par ailleurs : recommencez la connexion."
                ) from None
    accounts.replace_credentials(
        session=session, account=existing, credentials=credentials, box=box, actor=actor
    )
    existing.options = {**(existing.options or {}), **options}
    session.add(existing)
    return existing, True
