"""A brand's switches for platform moderation and private messages, on ``Brand.settings``:
``auto_moderation`` (playbook rules that hide at ingest carry it out; on by default) and
``dm_ack`` (the acknowledgement of a conversation outside business hours, app/services/dm_ack.py).
"""

from __future__ import annotations

from sqlmodel import Session

from app.models import Brand, ConnectorAccount, User
from app.services import audit, dm_ack
from app.services.case_platform import auto_moderation_on


class SettingsError(ValueError):
    """The settings cannot be saved; the message says why."""


def current(brand: Brand) -> dict[str, object]:
    ack = dm_ack.settings(brand)
    return {
        "auto_moderation": auto_moderation_on(brand.settings),
        "ack_enabled": ack.enabled,
        "ack_text": ack.text,
    }


def save(
    *,
    session: Session,
    brand: Brand,
    actor: User,
    auto_moderation: bool,
    ack_enabled: bool,
    ack_text: str,
) -> None:
    """Store the switches; the acknowledgement's text is proofread before it is accepted."""
    ack_text = " ".join(ack_text.split())[:1000] or dm_ack.DEFAULT_TEXT
    problem = dm_ack.check_text(brand, ack_text) if ack_enabled else None
    if problem:
        raise SettingsError(problem)
    before = current(brand)
    settings = dict(brand.settings or {})
    settings["auto_moderation"] = auto_moderation
    settings["dm_ack"] = {"enabled": ack_enabled, "text": ack_text}
    brand.settings = settings
    session.add(brand)
    audit.record(
        session=session,
        action="brand.moderation_settings_saved",
        target_type="brand",
        target_id=brand.id,
        brand_id=brand.id,
        actor=actor,
        before=before,
        after=current(brand),
    )


def save_account_options(
    *,
    session: Session,
    account: ConnectorAccount,
    actor: User,
    direct_messages: bool,
    human_agent_tag: bool,
) -> None:
    """A Meta account's messaging switches: poll its conversations (the token has
    `pages_messaging` / `instagram_manage_messages`), answer up to 7 days with HUMAN_AGENT
    (the app has Meta's Human Agent feature)."""
    before = {
        k: (account.options or {}).get(k, False) for k in ("direct_messages", "human_agent_tag")
    }
    after = {"direct_messages": direct_messages, "human_agent_tag": human_agent_tag}
    account.options = {**(account.options or {}), **after}
    session.add(account)
    audit.record(
        session=session,
        action="connector.meta_options_saved",
        target_type="connector_account",
        target_id=account.id,
        brand_id=account.brand_id,
        actor=actor,
        before=before,
        after=after,
    )
