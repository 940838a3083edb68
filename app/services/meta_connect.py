"""Connect with Facebook (Facebook Login for Business) from the admin: Pages and their linked
Instagram accounts become connector accounts with Page tokens stored encrypted.

The Meta app is the agency's own, configured by environment: VIGIE_META_APP_ID,
VIGIE_META_APP_SECRET, optional VIGIE_META_CONFIG_ID (a Login for Business configuration),
VIGIE_META_VERIFY_TOKEN (the webhook subscription's verify token), VIGIE_META_GRAPH_URL and
VIGIE_META_DIALOG_URL (the fake Graph server in tests and demos), VIGIE_META_GRAPH_VERSION.
Connecting again for a Page already connected renews its token (same account, new
credentials): that is how an expiring token is renewed. The paste-a-token form stays for
air-gapped set-ups and tests. The `state` is handled like Google's (`services/oauth_state.py`).
What Meta sends back (`connectors/meta_oauth.py`) only passes
through the outbound-URL policy's client.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.models import Brand, ConnectorAccount, User, utcnow
from app.security import outbound
from app.security.secrets_box import SecretsBox
from app.services import account_connect, audit, oauth_state
from app.services.oauth_state import ConnectError
from connectors import meta_oauth
from connectors.meta import DEFAULT_GRAPH_VERSION, GRAPH_URL

#: The renewal prompt shows this long before a token stops working.
RENEW_BEFORE = timedelta(days=14)


def app_settings(config: Any) -> meta_oauth.MetaApp | None:
    """The agency's Meta app, or None when none is configured."""

    def get(name: str) -> str:
        return str(config.get(name) or os.environ.get(name) or "").strip()

    app_id, secret = get("VIGIE_META_APP_ID"), get("VIGIE_META_APP_SECRET")
    if not app_id or not secret:
        return None
    return meta_oauth.MetaApp(
        app_id=app_id,
        app_secret=secret,
        graph_url=get("VIGIE_META_GRAPH_URL") or GRAPH_URL,
        dialog_url=get("VIGIE_META_DIALOG_URL") or meta_oauth.DIALOG_URL,
        version=get("VIGIE_META_GRAPH_VERSION") or DEFAULT_GRAPH_VERSION,
        config_id=get("VIGIE_META_CONFIG_ID") or None,
    )


def start(store: MutableMapping[str, Any], brand_id: int, now: datetime) -> str:
    """A fresh `state` for the dialog, remembered in the admin's session with the brand."""
    return oauth_state.start(store, "meta_connect", brand_id, now)


def check_state(
    store: MutableMapping[str, Any], state: str, now: datetime, *, session: Session
) -> int:
    """The brand the dialog was opened for, when `state` is the one we sent (and recent); the
    state is used up in `session` (the caller commits, whatever the outcome)."""
    pending = oauth_state.check(
        store, "meta_connect", state, now, provider="Facebook", session=session
    )
    return int(pending["brand_id"])


def finish(
    *, app: meta_oauth.MetaApp, code: str, redirect_uri: str, box: SecretsBox
) -> tuple[str, list[dict[str, Any]]]:
    """The code → Page grants; returns them sealed (kept in the session until the admin
    picks) and their public part (names and ids, for the form)."""
    policy = outbound.policy()
    user_token = meta_oauth.exchange_code(app, code=code, redirect_uri=redirect_uri, policy=policy)
    grants = meta_oauth.pages(app, user_token, policy=policy)
    if not grants:
        raise ConnectError(
            "Ce compte Facebook ne gère aucune Page (ou n'a pas accordé l'accès aux Pages)."
        )
    sealed = box.seal({"pages": [asdict(g) for g in grants]})
    public = [
        {
            "page_id": g.page_id,
            "name": g.name,
            "instagram_id": g.instagram_id,
            "instagram_username": g.instagram_username,
        }
        for g in grants
    ]
    return sealed, public


def connect(
    *,
    session: Session,
    brand: Brand,
    app: meta_oauth.MetaApp,
    sealed: str,
    chosen: list[str],
    box: SecretsBox,
    actor: User,
    verify_token: str = "",
) -> list[ConnectorAccount]:
    """Create (or renew) an account per chosen "facebook:<page id>" / "instagram:<ig id>"."""
    grants = [meta_oauth.PageGrant(**g) for g in box.open(sealed).get("pages", [])]
    policy = outbound.policy()
    done = []
    base_url = None if app.graph_url.rstrip("/") == GRAPH_URL else app.graph_url
    for grant in grants:
        expires = meta_oauth.token_expiry(app, grant.access_token, policy=policy)
        options = {
            "direct_messages": True,
            "token_expires_at": expires.isoformat() if expires else None,
            "connected_with": "facebook_login",
        }
        targets = [("facebook", grant.page_id, "page_id", grant.name)]
        if grant.instagram_id:
            label = grant.instagram_username or grant.instagram_id
            targets.append(("instagram", grant.instagram_id, "ig_user_id", label))
        for platform, object_id, key, label in targets:
            if f"{platform}:{object_id}" not in chosen:
                continue
            credentials = {key: object_id, "access_token": grant.access_token}
            credentials["app_secret"] = app.app_secret
            if platform == "instagram":
                credentials["page_id"] = grant.page_id  # messages go through the Page
            if verify_token:
                credentials["verify_token"] = verify_token
            account, renewed = account_connect.create_or_renew(
                session=session,
                brand=brand,
                platform=platform,
                key=key,
                object_id=object_id,
                credentials=credentials,
                options=options,
                label=f"{platform} {label}",
                base_url=base_url,
                box=box,
                actor=actor,
            )
            action = "connector.meta_renewed" if renewed else "connector.meta_connected"
            session.flush()
            audit.record(
                session=session,
                action=action,
                target_type="connector_account",
                target_id=account.id,
                brand_id=brand.id,
                actor=actor,
                after={"platform": platform, "object_id": object_id, **options},
            )
            done.append(account)
    return done


def token_state(
    account: ConnectorAccount, now: datetime | None = None
) -> tuple[str, datetime | None]:
    """("ok" | "renew" | "expired" | "unknown", when the token stops working)."""
    raw = (account.options or {}).get("token_expires_at")
    if not raw:
        return "unknown", None
    try:
        expires = datetime.fromisoformat(str(raw))
    except ValueError:
        return "unknown", None
    now = now or utcnow()
    if expires <= now:
        return "expired", expires
    return ("renew" if expires - now <= RENEW_BEFORE else "ok"), expires
