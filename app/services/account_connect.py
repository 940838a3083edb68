"""Accounts made by a "Connect with …" flow (Facebook Login, Google): found again by the
platform object they stand for (a Page, an Instagram account, a channel, a location), renewed
in place when connected again, created otherwise."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.models import Brand, ConnectorAccount, User
from app.security.secrets_box import SecretsBox
from app.services import accounts


def find(
    session: Session, brand: Brand, platform: str, key: str, object_id: str, box: SecretsBox
) -> ConnectorAccount | None:
    """The brand's account of `platform` whose credentials name `object_id` under `key`."""
    for account in session.exec(
        select(ConnectorAccount).where(
            ConnectorAccount.brand_id == brand.id, ConnectorAccount.platform == platform
        )
    ):
        try:
            if str(box.open(account.credentials_encrypted).get(key) or "") == object_id:
                return account
        except Exception:  # credentials that no longer open: not this one
            continue
    return None


def create_or_renew(
    *,
    session: Session,
    brand: Brand,
    platform: str,
    existing: ConnectorAccount | None,
    credentials: dict[str, Any],
    options: dict[str, Any],
    label: str,
    base_url: str | None,
    box: SecretsBox,
    actor: User,
) -> tuple[ConnectorAccount, bool]:
    """The account with these credentials (sealed) and options; True when it was renewed.
    A new account is checked with the platform first (nothing stored when refused)."""
    if existing is not None:
        accounts.replace_credentials(
            session=session, account=existing, credentials=credentials, box=box, actor=actor
        )
        existing.options = {**(existing.options or {}), **options}
        session.add(existing)
        return existing, True
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
    )
    return account, False
