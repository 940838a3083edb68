"""Connect with Google: from the consent screen to a refresh token and the channel or
locations it gives access to (no Flask).

1. The admin's browser goes to `authorize_url` (accounts.google.com/o/oauth2/v2/auth) with the
   agency's client id, our redirect URI, a `state`, a PKCE challenge (S256), the product's
   scope, `access_type=offline` and `prompt=consent` (so that Google gives a refresh token,
   every time, even to someone who consented before).
2. Google sends the browser back with `code`; `exchange_code` trades it, with the PKCE
   verifier, for an access token and the refresh token (`oauth2.googleapis.com/token`).
   A code is good once: Google answers `invalid_grant` to a second exchange.
3. `youtube_channels` lists the channels of the person who consented (`channels.list(mine)`);
   `business_locations` their Business Profile accounts and locations (Account Management
   and Business Information APIs), so the admin picks what Vigie follows.

Every endpoint is configurable (`GoogleApp`): tests and labs point them at a loopback fake.
Requests go through the outbound-URL policy's client like every other connector's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from connectors.base import AuthError, TransientError
from connectors.google_oauth import TOKEN_URL
from connectors.http_support import new_client
from connectors.net_policy import NetPolicy

AUTH_URL = "https://accounts.google.com/o/oauth2/v2/auth"
YOUTUBE_URL = "https://youtube.googleapis.com"
BUSINESS_URL = "https://mybusiness.googleapis.com"
BUSINESS_ACCOUNTS_URL = "https://mybusinessaccountmanagement.googleapis.com"
BUSINESS_INFO_URL = "https://mybusinessbusinessinformation.googleapis.com"
SCOPES = {
    "youtube": "https://www.googleapis.com/auth/youtube.force-ssl",
    "google_business": "https://www.googleapis.com/auth/business.manage",
}


@dataclass(frozen=True)
class GoogleApp:
    """The agency's OAuth client and Google's endpoints (or a fake's)."""

    client_id: str
    client_secret: str
    auth_url: str = AUTH_URL
    token_url: str = TOKEN_URL
    youtube_url: str = YOUTUBE_URL
    business_url: str = BUSINESS_URL
    business_accounts_url: str = BUSINESS_ACCOUNTS_URL
    business_info_url: str = BUSINESS_INFO_URL


@dataclass(frozen=True)
class Grant:
    """What a consent gave: the refresh token (and a first access token)."""

    refresh_token: str
    access_token: str
    expires_in: int
    scope: str


def authorize_url(
    app: GoogleApp, *, product: str, redirect_uri: str, state: str, challenge: str
) -> str:
    params = {
        "client_id": app.client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": SCOPES[product],
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
    }
    return f"{app.auth_url}?{urlencode(params)}"


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def exchange_code(
    app: GoogleApp,
    *,
    code: str,
    verifier: str,
    redirect_uri: str,
    policy: NetPolicy | None = None,
) -> Grant:
    """The code from the consent screen → the refresh token (AuthError when Google refuses:
    a code used twice or expired, a wrong verifier or client)."""
    with new_client(10.0, policy=policy) as client:
        try:
            response = client.post(
                app.token_url,
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "code_verifier": verifier,
                    "redirect_uri": redirect_uri,
                    "client_id": app.client_id,
                    "client_secret": app.client_secret,
                },
            )
        except httpx.HTTPError as exc:
            raise TransientError(f"Google injoignable : {type(exc).__name__}") from exc
    body = _json(response)
    if response.status_code >= 500:
        raise TransientError(f"Google : HTTP {response.status_code}", status=response.status_code)
    if response.status_code != 200 or not body.get("access_token"):
        error = str(body.get("error") or response.status_code)
        detail = str(body.get("error_description") or "")[:300]
        hint = (
            " — ce code a déjà servi ou a expiré : recommencez la connexion"
            if error == "invalid_grant"
            else ""
        )
        raise AuthError(
            f"Google refuse l'échange du code ({error}{': ' + detail if detail else ''}){hint}",
            status=response.status_code,
        )
    if not body.get("refresh_token"):
        raise AuthError(
            "Google n'a pas donné de jeton de rafraîchissement : recommencez en acceptant "
            "l'accès hors connexion."
        )
    return Grant(
        refresh_token=str(body["refresh_token"]),
        access_token=str(body["access_token"]),
        expires_in=int(body.get("expires_in") or 3600),
        scope=str(body.get("scope") or ""),
    )


def _get(client: httpx.Client, url: str, token: str, params: dict[str, Any]) -> dict[str, Any]:
    try:
        response = client.get(url, params=params, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        raise TransientError(f"Google injoignable : {type(exc).__name__}") from exc
    body = _json(response)
    if response.status_code >= 500:
        raise TransientError(f"Google : HTTP {response.status_code}", status=response.status_code)
    if response.status_code != 200:
        raw = body.get("error")
        error: dict[str, Any] = raw if isinstance(raw, dict) else {}
        message = str(error.get("message") or response.status_code)[:300]
        raise AuthError(f"Google refuse la lecture : {message}", status=response.status_code)
    return body


def youtube_channels(
    app: GoogleApp, access_token: str, *, policy: NetPolicy | None = None
) -> list[dict[str, str]]:
    """The channels of the person who consented: [{"id", "title"}]."""
    with new_client(10.0, policy=policy) as client:
        body = _get(
            client,
            f"{app.youtube_url.rstrip('/')}/youtube/v3/channels",
            access_token,
            {"part": "snippet", "mine": "true"},
        )
    found = []
    for item in body.get("items") or []:
        if isinstance(item, dict) and item.get("id"):
            raw = item.get("snippet")
            snippet: dict[str, Any] = raw if isinstance(raw, dict) else {}
            title = snippet.get("customUrl") or snippet.get("title") or item["id"]
            found.append({"id": str(item["id"]), "title": str(title)})
    return found


def business_locations(
    app: GoogleApp, access_token: str, *, policy: NetPolicy | None = None
) -> list[dict[str, str]]:
    """The Business Profile locations the person manages: [{"account_id", "location_id",
    "title"}] (first 10 accounts, 100 locations each: an agency picks among a few)."""
    found = []
    with new_client(10.0, policy=policy) as client:
        accounts = _get(
            client, f"{app.business_accounts_url.rstrip('/')}/v1/accounts", access_token, {}
        )
        for account in (accounts.get("accounts") or [])[:10]:
            name = str((account or {}).get("name") or "") if isinstance(account, dict) else ""
            if not name.startswith("accounts/"):
                continue
            body = _get(
                client,
                f"{app.business_info_url.rstrip('/')}/v1/{name}/locations",
                access_token,
                {"readMask": "name,title", "pageSize": 100},
            )
            for location in body.get("locations") or []:
                if not isinstance(location, dict) or not location.get("name"):
                    continue
                location_id = str(location["name"]).rsplit("/", 1)[-1]
                found.append(
                    {
                        "account_id": name.removeprefix("accounts/"),
                        "location_id": location_id,
                        "title": str(location.get("title") or location_id),
                    }
                )
    return found
