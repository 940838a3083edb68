"""Connector accounts: creation with encrypted credentials, health, webhook tokens."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from sqlmodel import Session

from app.models import PLATFORMS, Brand, ConnectorAccount, User, utcnow
from app.security import outbound
from app.security.outbound import OutboundURLError, check_outbound_url
from app.security.secrets_box import SecretsBox, new_token, token_digest
from app.services import account_holds, audit, push_tokens
from app.services.connector_sessions import connector_session
from connectors import AuthError, ConnectorError, get_connector
from connectors.http_support import AddressNotAllowed

REQUIRED_CREDENTIALS = {
    "x": (
        ("client_id", "refresh_token"),
        ("consumer_key", "consumer_secret", "access_token", "access_token_secret"),
        ("bearer_token",),
    ),
    "mastodon": (("access_token",),),
    "bluesky": (("identifier", "app_password"),),
    "webhook": ((),),
    "demo": ((),),
    "facebook": (("page_id", "access_token"),),
    "instagram": (("ig_user_id", "access_token"),),
    "youtube": (("client_id", "client_secret", "refresh_token"), ("access_token",)),
    "google_business": (
        ("client_id", "client_secret", "refresh_token", "account_id", "location_id"),
        ("access_token", "account_id", "location_id"),
    ),
}
#: Platforms whose credentials the platform itself can check.
VERIFIABLE = ("x", "mastodon", "bluesky", "facebook", "instagram", "youtube", "google_business")


class AccountError(ValueError):
    """An invalid connector account, with a message for the UI."""


def secrets_box(key: str | None = None) -> SecretsBox:
    return SecretsBox(key or current_app.config["VIGIE_ENCRYPTION_KEY"])


def _allow_private_urls() -> bool:
    return outbound.policy().allow_private


def checked_reply_url(url: str) -> str:
    """A webhook account's reply URL, checked like every URL Vigie posts to."""
    try:
        return check_outbound_url(url, allow_private=_allow_private_urls())
    except OutboundURLError as exc:
        raise AccountError(f"URL de réponse : {exc}") from exc


def checked_base_url(url: str) -> str:
    """A Mastodon instance or Bluesky server URL, checked like every URL Vigie calls."""
    try:
        return check_outbound_url(url, allow_private=_allow_private_urls()).rstrip("/")
    except OutboundURLError as exc:
        raise AccountError(f"URL du serveur : {exc}") from exc


def check_failure(exc: ConnectorError) -> tuple[str, str | None]:
    """How a failed credentials check is told: ("refused", the platform's words),
    ("blocked", None) for an address the policy refuses, else ("unreachable", None).

    Anything but an explicit refusal reads the same — connection refused, timeout, TLS
    error, a server that is not the platform — so the check cannot map which ports answer.
    """
    if isinstance(exc, AddressNotAllowed):
        return "blocked", None
    if isinstance(exc, AuthError):
        return "refused", exc.message
    return "unreachable", None


def _json(raw: str, what: str) -> Any:
    try:
        return json.loads(raw) if raw else {}
    except json.JSONDecodeError as exc:
        raise AccountError(f"{what} : JSON invalide ({exc.msg}, ligne {exc.lineno}).") from exc
    except RecursionError as exc:  # "[[[[…" thousands deep
        raise AccountError(f"{what} : JSON trop imbriqué.") from exc


def parse_options(raw: str) -> dict[str, Any]:
    """Parse a connector's options: a JSON object (empty text means none)."""
    data = _json(raw.strip(), "Options")
    if not isinstance(data, dict):
        raise AccountError("Options : un objet JSON est attendu, par exemple {}.")
    return data


def parse_credentials(platform: str, raw: str | dict[str, Any]) -> dict[str, Any]:
    """Parse and check credentials (JSON) for a platform, naming what is missing."""
    data = _json(raw.strip(), "Identifiants") if isinstance(raw, str) else raw
    if not isinstance(data, dict):
        raise AccountError("Identifiants : un objet JSON est attendu.")
    data = normalise_credentials(platform, data)
    alternatives = REQUIRED_CREDENTIALS[platform]
    if not any(all(data.get(k) for k in keys) for keys in alternatives):
        wanted = " ou ".join("{" + ", ".join(keys) + "}" for keys in alternatives)
        raise AccountError(f"Identifiants {platform} incomplets : attendu {wanted}.")
    return data


def normalise_credentials(platform: str, data: dict[str, Any]) -> dict[str, Any]:
    """Rename the keys a connector accepts under another name (Bluesky `password`)."""
    data = dict(data)
    if platform not in PLATFORMS:
        return data
    for alias, key in get_connector(platform).credential_aliases.items():
        if alias in data:
            value = data.pop(alias)
            if not data.get(key):
                data[key] = value
    return data


def check_credentials(
    *,
    platform: str,
    credentials: dict[str, Any],
    base_url: str | None = None,
    handle: str = "",
    options: dict[str, Any] | None = None,
) -> tuple[str, dict[str, Any]]:
    """Ask the platform whose credentials these are, before anything is stored.

    Returns the account's handle and the credentials to store (Bluesky adds its session,
    which spares a second login). Raises connectors.ConnectorError as the platform answered.
    """
    cls = get_connector(platform)
    connector = cls(
        credentials=credentials,
        base_url=base_url or cls.default_base_url,
        account_handle=handle or None,
        options=options or {},
        net_policy=outbound.policy(),
    )
    with connector:
        found = connector.verify()
    if options is not None:  # what these credentials allow, for the admin (create_account)
        options["access"] = connector.access()
    return found, connector.updated_credentials or credentials


def create_account(
    *,
    session: Session,
    brand: Brand,
    platform: str,
    credentials: dict[str, Any],
    box: SecretsBox,
    label: str = "",
    handle: str = "",
    base_url: str | None = None,
    interval_seconds: int = 60,
    options: dict[str, Any] | None = None,
    actor: User | None = None,
    verify: bool = False,
    external_id: str | None = None,
) -> tuple[ConnectorAccount, str | None]:
    """Create an account; returns it and, for webhooks, the bearer token (shown once).

    `verify`: check the credentials against the platform first (connectors.ConnectorError
    when it refuses them or cannot be reached; nothing is stored then). `external_id`: the
    platform object a "Connect with" flow picked (unique per brand and platform).
    """
    if platform not in PLATFORMS:
        raise AccountError(f"Plateforme inconnue : {platform}")
    if platform == "mastodon" and not base_url:
        raise AccountError("Mastodon : l'URL de l'instance est obligatoire.")
    if base_url:
        base_url = checked_base_url(base_url)
    if not 5 <= interval_seconds <= 86400:
        raise AccountError("Intervalle de relève : entre 5 et 86400 secondes.")
    options = dict(options or {})
    if options.get("reply_url"):
        if platform != "webhook":
            raise AccountError("Seul un compte webhook a une URL de réponse.")
        options["reply_url"] = checked_reply_url(str(options["reply_url"]))
        if not (credentials.get("reply_secret") or credentials.get("secret")):
            raise AccountError(
                "URL de réponse : donnez un secret de signature (les réponses sont signées)."
            )
    credentials = normalise_credentials(platform, credentials)
    verified = verify and platform in VERIFIABLE
    if verified:
        found, credentials = check_credentials(
            platform=platform,
            credentials=credentials,
            base_url=base_url,
            handle=handle,
            options=options,
        )
        handle = handle or found
    token = None
    account = ConnectorAccount(
        brand_id=brand.id,  # type: ignore[arg-type]
        platform=platform,
        label=label or f"{platform} {handle}".strip(),
        handle=handle,
        base_url=base_url or get_connector(platform).default_base_url,
        credentials_encrypted=box.seal(credentials) if credentials else "",
        options=options,
        interval_seconds=interval_seconds,
        next_poll_at=utcnow(),
        external_id=external_id,
    )
    if platform == "webhook":
        token = new_token()
        account.webhook_token_hash = token_digest(token)
    session.add(account)
    session.flush()
    audit.record(
        session=session,
        action="connector.created",
        target_type="connector_account",
        target_id=account.id,
        brand_id=brand.id,
        actor=actor,
        after={
            "platform": platform,
            "label": account.label,
            "handle": handle,
            "base_url": account.base_url,
            "interval_seconds": interval_seconds,
            "credentials": "(chiffrés)" if credentials else None,
            "verified": verified,
        },
    )
    return account, token


def replace_credentials(
    *,
    session: Session,
    account: ConnectorAccount,
    credentials: dict[str, Any],
    box: SecretsBox,
    actor: User | None,
) -> None:
    """Store new credentials and put a flagged account back into service."""
    account.credentials_encrypted = box.seal(credentials)
    if account.status == "auth_failed":
        account.status = "ok"
        account.consecutive_failures = 0
    account.next_poll_at = utcnow()
    session.add(account)
    push_tokens.forget()  # pushes to this process see it at once
    audit.record(
        session=session,
        action="connector.credentials_replaced",
        target_type="connector_account",
        target_id=account.id,
        brand_id=account.brand_id,
        actor=actor,
    )


def set_active(
    *, session: Session, account: ConnectorAccount, active: bool, actor: User | None
) -> None:
    account.is_active = active
    if active:
        account.next_poll_at = utcnow()
    session.add(account)
    push_tokens.forget()  # pushes to this process see it at once
    audit.record(
        session=session,
        action="connector.enabled" if active else "connector.disabled",
        target_type="connector_account",
        target_id=account.id,
        brand_id=account.brand_id,
        actor=actor,
    )


def rotate_webhook_token(*, session: Session, account: ConnectorAccount, actor: User | None) -> str:
    """Issue a new inbound token (the old one stops working); shown once."""
    token = new_token()
    account.webhook_token_hash = token_digest(token)
    session.add(account)
    push_tokens.forget()  # pushes to this process see it at once
    audit.record(
        session=session,
        action="connector.token_rotated",
        target_type="connector_account",
        target_id=account.id,
        brand_id=account.brand_id,
        actor=actor,
    )
    return token


def set_reply_url(
    *,
    session: Session,
    account: ConnectorAccount,
    url: str,
    reply_secret: str,
    box: SecretsBox,
    actor: User | None,
) -> None:
    """Where a webhook account's replies are POSTed (signed); empty: copied by hand.

    A new `reply_secret` is sealed with the other credentials (it signs the replies; without
    one the account's `secret` does).
    """
    if account.platform != "webhook":
        raise AccountError("Seul un compte webhook a une URL de réponse.")
    url = url.strip()
    options = dict(account.options or {})
    before = options.get("reply_url")
    if url:
        options["reply_url"] = checked_reply_url(url)
    else:
        options.pop("reply_url", None)
    credentials = box.open(account.credentials_encrypted)
    if reply_secret.strip():
        credentials["reply_secret"] = reply_secret.strip()
    if url and not (credentials.get("reply_secret") or credentials.get("secret")):
        raise AccountError(
            "URL de réponse : donnez un secret de signature (les réponses sont signées)."
        )
    account.credentials_encrypted = box.seal(credentials) if credentials else ""
    account.options = options
    session.add(account)
    push_tokens.forget()  # pushes to this process see it at once
    audit.record(
        session=session,
        action="connector.reply_url_set",
        target_type="connector_account",
        target_id=account.id,
        brand_id=account.brand_id,
        actor=actor,
        before={"reply_url": before},
        after={
            "reply_url": options.get("reply_url"),
            "reply_secret": "(chiffré, remplacé)" if reply_secret.strip() else None,
        },
    )


def set_push_rate(
    *, session: Session, account: ConnectorAccount, per_minute: int | None, actor: User | None
) -> None:
    """How many mentions a webhook account may push a minute (None: the default, 600)."""
    from app.security.webhook_quota import MAX_RATE_PER_MINUTE, OPTION

    if account.platform != "webhook":
        raise AccountError("Seul un compte webhook reçoit des mentions poussées.")
    if per_minute is not None and not 1 <= per_minute <= MAX_RATE_PER_MINUTE:
        raise AccountError(
            f"Limite : un nombre de mentions par minute entre 1 et {MAX_RATE_PER_MINUTE}."
        )
    options = dict(account.options or {})
    before = options.get(OPTION)
    if per_minute is None:
        options.pop(OPTION, None)
    else:
        options[OPTION] = per_minute
    account.options = options
    session.add(account)
    push_tokens.forget()  # pushes to this process see it at once
    audit.record(
        session=session,
        action="connector.push_rate_set",
        target_type="connector_account",
        target_id=account.id,
        brand_id=account.brand_id,
        actor=actor,
        before={OPTION: before},
        after={OPTION: per_minute},
    )


def verify_account(
    *, session: Session, account: ConnectorAccount, box: SecretsBox, actor: User | None
) -> str:
    """Ask the platform who these credentials belong to; returns the handle.

    Raises connectors.ConnectorError with the platform's answer when they do not work. A
    working check puts a flagged account back into service and fills in its handle.
    """
    with connector_session(session, account, box) as connector:
        handle = connector.verify()
    account.handle = account.handle or handle
    account.options = {**(account.options or {}), "access": connector.access()}
    if account.status == "auth_failed":
        account.status, account.consecutive_failures = "ok", 0
        account.next_poll_at = utcnow()
        account_holds.release(session, account, utcnow())  # replies held for the account
    session.add(account)
    audit.record(
        session=session,
        action="connector.verified",
        target_type="connector_account",
        target_id=account.id,
        brand_id=account.brand_id,
        actor=actor,
        after={"handle": handle},
    )
    return handle
