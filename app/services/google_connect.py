"""Connect with Google from the admin: a YouTube channel or Business Profile locations become
connector accounts holding a refresh token, stored encrypted and never shown again.

The OAuth client is the agency's own, configured by environment: VIGIE_GOOGLE_CLIENT_ID,
VIGIE_GOOGLE_CLIENT_SECRET; Google's endpoints can be replaced for tests and labs:
VIGIE_GOOGLE_AUTH_URL, VIGIE_GOOGLE_TOKEN_URL, VIGIE_GOOGLE_YOUTUBE_URL,
VIGIE_GOOGLE_BUSINESS_URL (one server for the reviews, accounts and locations APIs). The flow
(`connectors/google_consent.py`) is an authorization code with PKCE; its `state` and verifier
live in the admin's session like Facebook's (`services/oauth_state.py`). Connecting again for
a channel or location already connected renews its refresh token (same account): that is how a
revoked consent — the worker flags the account when Google answers `invalid_grant` — is mended.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.models import Brand, ConnectorAccount, User, utcnow
from app.security import outbound
from app.security.secrets_box import SecretsBox
from app.services import account_connect, audit, oauth_state
from app.services.oauth_state import ConnectError
from connectors import google_consent
from connectors.google_consent import GoogleApp

PRODUCTS = ("youtube", "google_business")
SESSION_KEY = "google_connect"
#: The credential that names what an account follows, per product.
OBJECT_KEY = {"youtube": "channel_id", "google_business": "location_id"}


def app_settings(config: Any) -> GoogleApp | None:
    """The agency's Google OAuth client, or None when none is configured."""

    def get(name: str) -> str:
        return str(config.get(name) or os.environ.get(name) or "").strip()

    client_id, secret = get("VIGIE_GOOGLE_CLIENT_ID"), get("VIGIE_GOOGLE_CLIENT_SECRET")
    if not client_id or not secret:
        return None
    business = get("VIGIE_GOOGLE_BUSINESS_URL")
    return GoogleApp(
        client_id=client_id,
        client_secret=secret,
        auth_url=get("VIGIE_GOOGLE_AUTH_URL") or google_consent.AUTH_URL,
        token_url=get("VIGIE_GOOGLE_TOKEN_URL") or google_consent.TOKEN_URL,
        youtube_url=get("VIGIE_GOOGLE_YOUTUBE_URL") or google_consent.YOUTUBE_URL,
        business_url=business or google_consent.BUSINESS_URL,
        business_accounts_url=business or google_consent.BUSINESS_ACCOUNTS_URL,
        business_info_url=business or google_consent.BUSINESS_INFO_URL,
    )


def start(
    store: MutableMapping[str, Any], app: GoogleApp, brand_id: int, product: str, redirect_uri: str
) -> str:
    """The consent screen's address for one brand and product; state and verifier are kept."""
    if product not in PRODUCTS:
        raise ConnectError("Produit Google inconnu.")
    verifier, challenge = oauth_state.pkce_pair()
    state = oauth_state.start(
        store, SESSION_KEY, brand_id, utcnow(), {"product": product, "verifier": verifier}
    )
    return google_consent.authorize_url(
        app, product=product, redirect_uri=redirect_uri, state=state, challenge=challenge
    )


def finish(
    *,
    session: Session,
    store: MutableMapping[str, Any],
    app: GoogleApp,
    args: dict[str, str],
    redirect_uri: str,
    box: SecretsBox,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Google's answer (the callback's query) → what the admin picks from, with the refresh
    token sealed: {"brand_id", "product", "sealed", "choices"}. ConnectError says why not.
    The state is used up in `session` (the caller commits, whatever the outcome)."""
    pending = oauth_state.check(
        store,
        SESSION_KEY,
        args.get("state", ""),
        now or utcnow(),
        provider="Google",
        session=session,
    )
    if args.get("error"):
        why = "accès refusé" if args["error"] == "access_denied" else args["error"][:200]
        raise ConnectError(f"Connexion à Google annulée : {why}.")
    if not args.get("code"):
        raise ConnectError("Google n'a pas renvoyé de code : recommencez la connexion.")
    policy = outbound.policy()
    product = str(pending["product"])
    grant = google_consent.exchange_code(
        app,
        code=args["code"][:2000],
        verifier=str(pending["verifier"]),
        redirect_uri=redirect_uri,
        policy=policy,
    )
    if product == "youtube":
        choices = google_consent.youtube_channels(app, grant.access_token, policy=policy)
        empty = "Ce compte Google n'a pas de chaîne YouTube."
    else:
        choices = google_consent.business_locations(app, grant.access_token, policy=policy)
        empty = "Ce compte Google ne gère aucun établissement (fiche d'établissement Google)."
    if not choices:
        raise ConnectError(empty)
    return {
        "brand_id": int(pending["brand_id"]),
        "product": product,
        "sealed": box.seal({"refresh_token": grant.refresh_token, "choices": choices}),
        "choices": choices,
    }


def _choice_key(product: str, choice: dict[str, str]) -> str:
    return choice["id"] if product == "youtube" else choice["location_id"]


def connect(
    *,
    session: Session,
    brand: Brand,
    app: GoogleApp,
    product: str,
    sealed: str,
    chosen: str,
    box: SecretsBox,
    actor: User,
) -> ConnectorAccount:
    """Create (or renew) the account of the chosen channel or location; audited."""
    opened = box.open(sealed)
    choice = next((c for c in opened.get("choices", []) if _choice_key(product, c) == chosen), None)
    if choice is None:
        raise ConnectError("Choix inconnu : recommencez la connexion.")
    credentials: dict[str, Any] = {
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "refresh_token": opened["refresh_token"],
    }
    if product == "youtube":
        credentials["channel_id"] = choice["id"]
        default, base = google_consent.YOUTUBE_URL, app.youtube_url
    else:
        credentials |= {"account_id": choice["account_id"], "location_id": choice["location_id"]}
        default, base = google_consent.BUSINESS_URL, app.business_url
    options = {"connected_with": "google_oauth", "connected_at": utcnow().isoformat()}
    if app.token_url != google_consent.TOKEN_URL:
        options["token_url"] = app.token_url
    account, renewed = account_connect.create_or_renew(
        session=session,
        brand=brand,
        platform=product,
        key=OBJECT_KEY[product],
        object_id=_choice_key(product, choice),
        credentials=credentials,
        options=options,
        label=f"{'YouTube' if product == 'youtube' else 'Google'} {choice.get('title')}",
        base_url=None if base.rstrip("/") == default else base,
        box=box,
        actor=actor,
    )
    action = "connector.google_renewed" if renewed else "connector.google_connected"
    session.flush()
    audit.record(
        session=session,
        action=action,
        target_type="connector_account",
        target_id=account.id,
        brand_id=brand.id,
        actor=actor,
        after={"platform": product, "object_id": _choice_key(product, choice), **options},
    )
    return account


def consent_state(account: ConnectorAccount) -> str | None:
    """A Google account's consent: "revoked" (flagged: Google refused the refresh token),
    "ok" (connected with Google), or None (credentials pasted, nothing known)."""
    if account.platform not in PRODUCTS:
        return None
    if account.status == "auth_failed":
        return "revoked"
    return "ok" if (account.options or {}).get("connected_with") == "google_oauth" else None
