"""Facebook Login for Business: from the consent dialog to Page access tokens (no Flask).

1. The admin's browser goes to `dialog_url` (facebook.com/{version}/dialog/oauth) with the
   app id, our redirect URI, a `state` and either a Login for Business configuration id
   (`config_id`) or the permissions (`scope`).
2. Meta sends the browser back with `code`; `exchange_code` turns it into a short-lived user
   token (`/oauth/access_token`), then `long_lived` into a 60-day one
   (`grant_type=fb_exchange_token`).
3. `pages` lists the Pages the person manages with their Page tokens (`/me/accounts`), each
   with its linked Instagram professional account. Page tokens derived from a long-lived user
   token do not expire by date, but their data access does (90 days): `token_expiry` reads
   both from `/debug_token` and gives the earlier, which the admin shows with a renewal prompt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from connectors.base import AuthError, TransientError
from connectors.http_support import new_client
from connectors.meta import DEFAULT_GRAPH_VERSION, GRAPH_URL
from connectors.net_policy import NetPolicy

DIALOG_URL = "https://www.facebook.com"
#: What Vigie asks for: read and moderate comments, messages, Instagram comments and messages.
PERMISSIONS = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_engagement",
    "pages_manage_metadata",
    "pages_messaging",
    "instagram_basic",
    "instagram_manage_comments",
    "instagram_manage_messages",
    "business_management",
)


@dataclass(frozen=True)
class MetaApp:
    app_id: str
    app_secret: str
    graph_url: str = GRAPH_URL
    dialog_url: str = DIALOG_URL
    version: str = DEFAULT_GRAPH_VERSION
    config_id: str | None = None  # a Facebook Login for Business configuration


@dataclass(frozen=True)
class PageGrant:
    """A Page the person manages, its token, and its Instagram account if one is linked."""

    page_id: str
    name: str
    access_token: str
    instagram_id: str | None
    instagram_username: str | None


def dialog_url(app: MetaApp, *, redirect_uri: str, state: str) -> str:
    params = {
        "client_id": app.app_id,
        "redirect_uri": redirect_uri,
        "state": state,
        "response_type": "code",
    }
    if app.config_id:
        params["config_id"] = app.config_id
    else:
        params["scope"] = ",".join(PERMISSIONS)
    return f"{app.dialog_url.rstrip('/')}/{app.version}/dialog/oauth?{urlencode(params)}"


def _get(client: httpx.Client, app: MetaApp, path: str, params: dict[str, Any]) -> dict[str, Any]:
    url = f"{app.graph_url.rstrip('/')}/{app.version}/{path}"
    try:
        response = client.get(url, params=params)
    except httpx.HTTPError as exc:
        raise TransientError(f"Meta injoignable : {type(exc).__name__}") from exc
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    if response.status_code >= 500:
        raise TransientError(f"Meta : HTTP {response.status_code}", status=response.status_code)
    if response.status_code != 200 or "error" in body:
        error: dict[str, Any] = body["error"] if isinstance(body.get("error"), dict) else {}
        raise AuthError(
            f"Meta refuse : {str(error.get('message') or response.status_code)[:300]}",
            status=response.status_code,
        )
    return body


def exchange_code(
    app: MetaApp, *, code: str, redirect_uri: str, policy: NetPolicy | None = None
) -> str:
    """The code from the dialog → a long-lived user access token."""
    with new_client(10.0, policy=policy) as client:
        short = _get(
            client,
            app,
            "oauth/access_token",
            {
                "client_id": app.app_id,
                "client_secret": app.app_secret,
                "redirect_uri": redirect_uri,
                "code": code,
            },
        )
        token = str(short.get("access_token") or "")
        if not token:
            raise AuthError("Meta n'a pas donné de jeton d'accès.")
        return long_lived(client, app, token)


def long_lived(client: httpx.Client, app: MetaApp, token: str) -> str:
    body = _get(
        client,
        app,
        "oauth/access_token",
        {
            "grant_type": "fb_exchange_token",
            "client_id": app.app_id,
            "client_secret": app.app_secret,
            "fb_exchange_token": token,
        },
    )
    return str(body.get("access_token") or token)


def pages(app: MetaApp, user_token: str, *, policy: NetPolicy | None = None) -> list[PageGrant]:
    """The Pages the person manages, with Page tokens and linked Instagram accounts."""
    found: list[PageGrant] = []
    with new_client(10.0, policy=policy) as client:
        params: dict[str, Any] = {
            "fields": "id,name,access_token,instagram_business_account{id,username}",
            "limit": 100,
            "access_token": user_token,
        }
        for _ in range(10):
            body = _get(client, app, "me/accounts", params)
            for item in body.get("data") or []:
                if not isinstance(item, dict) or not item.get("id") or not item.get("access_token"):
                    continue
                linked = item.get("instagram_business_account")
                ig: dict[str, Any] = linked if isinstance(linked, dict) else {}
                found.append(
                    PageGrant(
                        page_id=str(item["id"]),
                        name=str(item.get("name") or item["id"]),
                        access_token=str(item["access_token"]),
                        instagram_id=str(ig["id"]) if ig.get("id") else None,
                        instagram_username=str(ig.get("username") or "") or None,
                    )
                )
            paging: dict[str, Any] = body["paging"] if isinstance(body.get("paging"), dict) else {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                break
            params["after"] = after
    return found


def token_expiry(app: MetaApp, token: str, *, policy: NetPolicy | None = None) -> datetime | None:
    """When the token stops working: the earlier of its expiry and its data-access expiry
    (None when Meta gives neither)."""
    with new_client(10.0, policy=policy) as client:
        body = _get(
            client,
            app,
            "debug_token",
            {"input_token": token, "access_token": f"{app.app_id}|{app.app_secret}"},
        )
    data: dict[str, Any] = body["data"] if isinstance(body.get("data"), dict) else {}
    stamps = [
        int(v)
        for v in (data.get("expires_at"), data.get("data_access_expires_at"))
        if isinstance(v, int | float) and v > 0
    ]
    return datetime.fromtimestamp(min(stamps), UTC) if stamps else None
