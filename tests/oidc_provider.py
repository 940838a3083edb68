"""A real OpenID Connect provider on a loopback port for the SSO tests: `oidc-provider-mock`
(Authlib's authorization server: discovery, JWKS, authorization form, token endpoint, RS256 ID
tokens), served by werkzeug in a thread. Vigie talks to it over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import httpx
import oidc_provider_mock
from werkzeug.serving import make_server

from app.config import OIDCProvider
from app.security import oidc

CLIENT_ID = "vigie-test-client"
CLIENT_SECRET = "vigie-test-secret"


class Provider:
    def __init__(self, url: str) -> None:
        self.url = url

    def config(self, key: str = "default", name: str = "Google Workspace", **kw) -> OIDCProvider:
        return OIDCProvider(
            key=key,
            name=name,
            issuer=kw.pop("issuer", self.url),
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            **kw,
        )

    def set_user(self, sub: str, **claims: object) -> None:
        """What the provider will say about this subject (email, email_verified…)."""
        httpx.put(f"{self.url}/users/{sub}", json=claims).raise_for_status()

    def authorize(self, authorize_url: str, sub: str, *, deny: bool = False) -> dict[str, str]:
        """Submit the provider's sign-in form as the user would; the query string it sends the
        browser back with (code and state, or error)."""
        data = {"action": "deny"} if deny else {"sub": sub}
        response = httpx.post(authorize_url, data=data)
        assert response.status_code == 302, response.text[:500]
        query = parse_qs(urlsplit(response.headers["location"]).query)
        return {k: v[0] for k, v in query.items()}


@contextmanager
def running_provider() -> Iterator[Provider]:
    app = oidc_provider_mock.app(require_nonce=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(5)
        oidc.clear_caches()
