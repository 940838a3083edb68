"""Bluesky sessions and XRPC: log in with the app password, refresh before the access token
expires, follow the PDS named in the DID document, read the rate headers and map XRPC errors
to the contract's. `connectors.bluesky.BlueskyConnector` reads and replies on top of it."""

from __future__ import annotations

import base64
import json
import logging
import time
from datetime import timedelta
from typing import Any

import httpx

from connectors.base import (
    AuthError,
    ConnectorError,
    PermanentError,
    RateLimitState,
    TransientError,
)
from connectors.http_support import (
    HttpConnector,
    error_message,
    json_body,
    parse_epoch,
    parse_int,
    raise_for_status,
    send,
)
from connectors.net_policy import URLRefused

log = logging.getLogger("connectors.bluesky")

DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=5)


_SESSION_ERRORS = {"ExpiredToken", "InvalidToken"}


def bluesky_rate_limit(headers: httpx.Headers) -> RateLimitState:
    """Read RateLimit-* headers (the reset is absolute Unix seconds)."""
    return RateLimitState(
        limit=parse_int(headers.get("RateLimit-Limit")),
        remaining=parse_int(headers.get("RateLimit-Remaining")),
        reset_at=parse_epoch(headers.get("RateLimit-Reset")),
    )


def jwt_expiry(token: str | None) -> float | None:
    """Return the `exp` claim of a JWT (Unix seconds), or None when unreadable."""
    if not token or token.count(".") != 2:
        return None
    payload = token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (ValueError, KeyError, TypeError):
        return None


def pds_from_did_doc(did_doc: Any) -> str | None:
    """Return the account's PDS URL from its DID document, if present."""
    if not isinstance(did_doc, dict):
        return None
    for service in did_doc.get("service") or []:
        if str(service.get("id", "")).endswith("#atproto_pds"):
            return str(service.get("serviceEndpoint", "")).rstrip("/") or None
    return None


class BlueskySession(HttpConnector):
    """One Bluesky account's session and XRPC calls; the credentials carry the session."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    # -- sessions -------------------------------------------------------------------------

    def _ensure_session(self) -> None:
        creds = self.credentials
        expiry = jwt_expiry(creds.get("access_jwt"))
        if creds.get("access_jwt") and (expiry is None or expiry - time.time() > 60):
            return
        self._renew()

    def _renew(self) -> None:
        """Refresh the session; log in again only when the refresh token is refused."""
        if self.credentials.get("refresh_jwt"):
            try:
                self._refresh()
                return
            except AuthError:
                if not self._app_password():
                    raise
                log.info("Bluesky: refresh token refused, logging in again")
        self._login()

    def _session_call(self, nsid: str, action: str, **kw: Any) -> dict[str, Any]:
        response = send(self.client, "POST", f"{self.base_url}/xrpc/{nsid}", action=action, **kw)
        self._note_rate_limit(response)
        if response.status_code == 400 and self._xrpc_error(response) in _SESSION_ERRORS:
            raise AuthError(f"{action}: {error_message(response)}", status=400)
        raise_for_status(
            response, self.rate_limit, action=action, default_wait=DEFAULT_RATE_LIMIT_WAIT
        )
        body = json_body(response)
        if not isinstance(body, dict) or not body.get("accessJwt"):
            raise TransientError(f"{action}: answer without tokens")
        return body

    def _app_password(self) -> str:
        creds = self.credentials
        return str(creds.get("app_password") or creds.get("password") or "").strip()

    def _login(self) -> None:
        identifier = str(self.credentials.get("identifier") or "").strip().lstrip("@")
        password = self._app_password()
        if not identifier or not password:
            raise AuthError("Bluesky: identifier and app_password are required")
        try:
            body = self._session_call(
                "com.atproto.server.createSession",
                "log in",
                json={"identifier": identifier, "password": password},
            )
        except AuthError as exc:
            if "AuthFactorTokenRequired" in exc.message:
                # The account's main password with e-mail 2FA: an app password never asks.
                exc.message = f"{exc.message} — use an app password, not the account's password"
                exc.args = (exc.message,)
            raise
        self._adopt_session(body)

    def _refresh(self) -> None:
        body = self._session_call(
            "com.atproto.server.refreshSession",
            "refresh session",
            headers={"Authorization": f"Bearer {self.credentials['refresh_jwt']}"},
        )
        self._adopt_session(body)

    def _adopt_session(self, body: dict[str, Any]) -> None:
        pds = pds_from_did_doc(body.get("didDoc")) or self.credentials.get("pds_url")
        if pds:
            # The DID document is the account's own: its PDS gets the same outbound check.
            try:
                pds = self.net_policy.check_url(str(pds), resolve=False).rstrip("/")
            except URLRefused as exc:
                raise PermanentError(f"session: the account's PDS URL is refused ({exc})") from exc
        self._set_credentials(
            {
                **self.credentials,
                "access_jwt": body["accessJwt"],
                "refresh_jwt": body.get("refreshJwt"),
                "did": body.get("did"),
                "handle": body.get("handle"),
                "pds_url": pds or self.base_url,
            }
        )

    # -- XRPC -----------------------------------------------------------------------------

    @staticmethod
    def _xrpc_error(response: httpx.Response) -> str | None:
        try:
            body = response.json()
        except ValueError:
            return None
        return body.get("error") if isinstance(body, dict) else None

    def _note_rate_limit(self, response: httpx.Response) -> None:
        if "RateLimit-Remaining" in response.headers or "RateLimit-Reset" in response.headers:
            self.rate_limit = bluesky_rate_limit(response.headers)

    def _xrpc(
        self, method: str, nsid: str, *, action: str, write: bool = False, **kw: Any
    ) -> dict[str, Any]:
        """Call the PDS with the access token, refreshing it once if it expired."""
        self._ensure_session()
        for attempt in (1, 2):
            response = send(
                self.client,
                method,
                f"{self.credentials['pds_url']}/xrpc/{nsid}",
                action=action,
                write=write,
                headers={"Authorization": f"Bearer {self.credentials['access_jwt']}"},
                **kw,
            )
            self._note_rate_limit(response)
            error = self._xrpc_error(response) if response.status_code == 400 else None
            if error == "ExpiredToken" and attempt == 1:
                self._renew()
                continue
            if error in _SESSION_ERRORS:
                raise AuthError(f"{action}: {error_message(response)}", status=400)
            raise_for_status(
                response,
                self.rate_limit,
                action=action,
                default_wait=DEFAULT_RATE_LIMIT_WAIT,
                refusal_is_permanent=write,
                write=write,
            )
            body = json_body(response, write=write)
            if not isinstance(body, dict):
                raise TransientError(f"{action}: expected a JSON object")
            return body
        raise AssertionError("unreachable")  # pragma: no cover

    def _with_credentials(self, exc: ConnectorError) -> ConnectorError:
        if self.updated_credentials is not None and exc.credentials is None:
            exc.credentials = self.updated_credentials
        return exc
