"""The fake Graph API's Facebook Login: the consent dialog (auto-accepted: it redirects back at
once with a code), code → short-lived user token → long-lived one, `/me/accounts` with Page
tokens and linked Instagram accounts, `/debug_token` with the data-access expiry."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from tests.connectors.fake_core import FakeRequest, FakeResponse


class FakeOAuth:
    """Mixed into FakeGraph."""

    app_secret: str
    token: str
    page_id: str
    page_name: str
    ig_user_id: str
    ig_username: str

    def _init_oauth(self) -> None:
        self.app_id = "1234567890"
        self.codes: dict[str, str] = {}  # code → redirect URI it was issued for
        self.user_token_short, self.user_token = "user-token-short", "user-token-long"
        self.data_access_days = 90

    def _route_oauth(self, request: FakeRequest) -> FakeResponse | None:
        from tests.connectors.fake_graph import graph_error

        params = {k: v[0] for k, v in request.query.items()}
        path = re.sub(r"^/v[\d.]+", "", request.path)
        if path == "/dialog/oauth":
            if params.get("client_id") != self.app_id:
                return FakeResponse(400, {"Content-Type": "text/plain"}, b"Invalid App ID")
            code = secrets.token_urlsafe(12)
            self.codes[code] = params.get("redirect_uri", "")
            query = urlencode({"code": code, "state": params.get("state", "")})
            return FakeResponse(302, {"Location": f"{params.get('redirect_uri')}?{query}"})
        if path == "/oauth/access_token":
            if (
                params.get("client_id") != self.app_id
                or params.get("client_secret") != self.app_secret
            ):
                return graph_error(1, "Error validating client secret.")
            if params.get("grant_type") == "fb_exchange_token":
                if params.get("fb_exchange_token") != self.user_token_short:
                    return graph_error(190, "Invalid OAuth access token.")
                body: dict[str, Any] = {
                    "access_token": self.user_token,
                    "token_type": "bearer",
                    "expires_in": 5184000,
                }
                return FakeResponse.json(body)
            code = params.get("code", "")
            if self.codes.pop(code, None) != params.get("redirect_uri"):
                return graph_error(100, "Invalid verification code format.", subcode=36007)
            return FakeResponse.json(
                {"access_token": self.user_token_short, "token_type": "bearer", "expires_in": 5183}
            )
        if path == "/me/accounts":
            if params.get("access_token") != self.user_token:
                return graph_error(190, "Invalid OAuth access token.")
            page = {
                "id": self.page_id,
                "name": self.page_name,
                "access_token": self.token,
                "category": "Retail",
                "tasks": ["MODERATE", "MESSAGING", "ANALYZE"],
                "instagram_business_account": {"id": self.ig_user_id, "username": self.ig_username},
            }
            return FakeResponse.json(
                {"data": [page], "paging": {"cursors": {"before": "a", "after": "a"}}}
            )
        if path == "/debug_token":
            if params.get("access_token") != f"{self.app_id}|{self.app_secret}":
                return graph_error(190, "Invalid OAuth access token.")
            expires = datetime.now(UTC) + timedelta(days=self.data_access_days)
            data = {
                "app_id": self.app_id,
                "is_valid": params.get("input_token") == self.token,
                "expires_at": 0,
                "data_access_expires_at": int(expires.timestamp()),
                "scopes": ["pages_manage_engagement", "pages_messaging"],
            }
            return FakeResponse.json({"data": data})
        return None
