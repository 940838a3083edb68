"""Google's OAuth 2 refresh-token flow, shared by the YouTube and Business Profile connectors.

Credentials: `client_id`, `client_secret`, `refresh_token` (from the owner's consent); the
short-lived `access_token` and its `token_expires_at` (Unix seconds) are handed back through
`Connector._set_credentials` after every refresh, so the caller stores them encrypted and the
next process does not refresh again. The token endpoint is Google's, or `{base_url}/token`
when the account points at another server (a fake in tests, a lab), or the `token_url` option.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

import httpx

from connectors.base import AuthError, TransientError, utcnow
from connectors.http_support import send

TOKEN_URL = "https://oauth2.googleapis.com/token"
#: Seconds before expiry at which a stored access token is refreshed anyway.
TOKEN_MARGIN = 60


class GoogleOAuth:
    """Mixin for a Connector holding Google OAuth credentials (`client`, `credentials`)."""

    credentials: dict[str, Any]
    options: dict[str, Any]
    base_url: str | None

    if TYPE_CHECKING:  # provided by Connector and the concrete class
        platform: ClassVar[str]
        default_base_url: ClassVar[str | None]

        @property
        def client(self) -> httpx.Client: ...

        def _set_credentials(self, credentials: dict[str, Any]) -> None: ...

    @property
    def token_url(self) -> str:
        if self.options.get("token_url"):
            return str(self.options["token_url"])
        if self.base_url and self.base_url != self.default_base_url:
            return f"{self.base_url}/token"  # a test or lab server serves both
        return TOKEN_URL

    def _refresh_token(self) -> str:
        """A new access token from the refresh token (stored back, encrypted, by the caller)."""
        creds = self.credentials
        if not (creds.get("refresh_token") and creds.get("client_id")):
            raise AuthError(
                f"{self.platform}: the access token expired and there is no refresh token"
            )
        response = send(
            self.client,
            "POST",
            self.token_url,
            action="refresh token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": creds["refresh_token"],
                "client_id": creds["client_id"],
                "client_secret": creds.get("client_secret") or "",
            },
        )
        try:
            body = response.json()
        except (ValueError, UnicodeDecodeError):
            body = {}
        body = body if isinstance(body, dict) else {}
        if response.status_code >= 500:
            raise TransientError(f"refresh token: HTTP {response.status_code}")
        if response.status_code != 200 or not body.get("access_token"):
            detail = body.get("error_description") or body.get("error") or ""
            raise AuthError(
                f"refresh token: HTTP {response.status_code} {detail} — the owner must connect "
                "the account again (OAuth consent) and the new refresh token be pasted",
                status=response.status_code,
            )
        expires = utcnow() + timedelta(seconds=int(body.get("expires_in") or 3600))
        self._set_credentials(
            {
                **self.credentials,
                "access_token": body["access_token"],
                "token_expires_at": int(expires.timestamp()),
                # Google rarely rotates refresh tokens, but keep the new one when it does.
                "refresh_token": body.get("refresh_token") or creds["refresh_token"],
            }
        )
        return str(body["access_token"])

    def _token(self) -> str:
        """A usable access token: the stored one while fresh, else a refreshed one."""
        token = self.credentials.get("access_token")
        expires = self.credentials.get("token_expires_at")
        fresh = expires is None or int(expires) > utcnow().timestamp() + TOKEN_MARGIN
        if token and fresh:
            return str(token)
        return self._refresh_token()

    def _forget_token(self) -> None:
        """The platform refused the access token (401): refresh it on the next call."""
        self.credentials["access_token"] = ""
        self.credentials.pop("token_expires_at", None)
