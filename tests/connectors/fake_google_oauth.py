"""A fake Google authorization server for Connect with Google, on top of the fake YouTube and
Business Profile servers (which then accept the tokens it hands out).

`/o/oauth2/v2/auth` is the consent screen, auto-accepted (or refused with `deny = True`): it
sends the browser back at once with `code` and `state`, as Google does after consent, or with
`error=access_denied`. `/token` speaks Google's token endpoint: `authorization_code` (the PKCE
verifier must hash to the challenge, the redirect URI must match, a code is good once — a
second exchange is `invalid_grant`, as on Google) and `refresh_token`. Consent to
`youtube.force-ssl` gives the fake YouTube's refresh token; to `business.manage`, the fake
Business Profile's. Knobs: `deny`, `omit_refresh_token` (what Google does without
`prompt=consent` for someone who consented before), `inject(...)` from FakeServer.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode

from tests.connectors.fake_core import FakeRequest, FakeResponse, FakeServer
from tests.connectors.fake_google_business import FakeGoogleBusiness
from tests.connectors.fake_youtube import FakeYouTube

YOUTUBE_SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
BUSINESS_SCOPE = "https://www.googleapis.com/auth/business.manage"


class FakeGoogleOAuth(FakeServer):
    """accounts.google.com and oauth2.googleapis.com for one agency OAuth client."""

    base_url = "https://accounts.fake.test"

    def __init__(
        self,
        youtube: FakeYouTube,
        business: FakeGoogleBusiness,
        base_url: str | None = None,
    ) -> None:
        super().__init__()
        if base_url:
            self.base_url = base_url.rstrip("/")
        self.client_id, self.client_secret = "agency.apps.googleusercontent.com", "agency-secret"
        self.youtube, self.business = youtube, business
        for fake in (youtube, business):  # one agency client for both products
            fake.client_id, fake.client_secret = self.client_id, self.client_secret
        self.deny = False
        self.omit_refresh_token = False
        self.codes: dict[str, dict[str, str]] = {}
        self.consents: list[dict[str, str]] = []  # every consent screen shown

    @property
    def auth_url(self) -> str:
        return f"{self.base_url}/o/oauth2/v2/auth"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/token"

    def respond(self, request: FakeRequest) -> FakeResponse:
        if request.method == "GET" and request.path == "/o/oauth2/v2/auth":
            return self._consent({k: v[0] for k, v in request.query.items()})
        if request.method == "POST" and request.path == "/token":
            form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
            return self._token(form)
        return FakeResponse(404, {"Content-Type": "text/plain"}, b"Not Found")

    def _consent(self, params: dict[str, str]) -> FakeResponse:
        if params.get("client_id") != self.client_id:
            return FakeResponse(400, {"Content-Type": "text/plain"}, b"Error 401: invalid_client")
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return FakeResponse(400, {"Content-Type": "text/plain"}, b"invalid_request: PKCE")
        self.consents.append(params)
        back = params.get("redirect_uri", "")
        if self.deny:
            query = urlencode({"error": "access_denied", "state": params.get("state", "")})
            return FakeResponse(302, {"Location": f"{back}?{query}"})
        code = "4/0A" + secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = params
        query = urlencode(
            {"code": code, "state": params.get("state", ""), "scope": params["scope"]}
        )
        return FakeResponse(302, {"Location": f"{back}?{query}"})

    def _resource(self, scope: str) -> Any:
        return self.youtube if YOUTUBE_SCOPE in scope else self.business

    def _token(self, form: dict[str, str]) -> FakeResponse:
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return FakeResponse.json(
                {"error": "invalid_client", "error_description": "Unauthorized"}, 401
            )
        if form.get("grant_type") == "refresh_token":
            for fake in (self.youtube, self.business):
                if form.get("refresh_token") == fake.refresh_token and not fake.revoked:
                    return FakeResponse.json(self._access(fake))
            return FakeResponse.json(
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
                400,
            )
        if form.get("grant_type") != "authorization_code":
            return FakeResponse.json({"error": "unsupported_grant_type"}, 400)
        with self.lock:
            issued = self.codes.pop(form.get("code", ""), None)  # a code is good once
        if issued is None:
            return FakeResponse.json(
                {"error": "invalid_grant", "error_description": "Bad Request"}, 400
            )
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if challenge != issued["code_challenge"]:
            return FakeResponse.json(
                {"error": "invalid_grant", "error_description": "Invalid code verifier."}, 400
            )
        if form.get("redirect_uri") != issued.get("redirect_uri"):
            return FakeResponse.json({"error": "redirect_uri_mismatch"}, 400)
        fake = self._resource(issued["scope"])
        body = self._access(fake) | {"scope": issued["scope"], "token_type": "Bearer"}
        offline = issued.get("access_type") == "offline" and issued.get("prompt") == "consent"
        if offline and not self.omit_refresh_token:
            body["refresh_token"] = fake.refresh_token
        return FakeResponse.json(body)

    def _access(self, fake: Any) -> dict[str, Any]:
        token = f"ya29.{secrets.token_hex(8)}"
        with fake.lock:
            fake.tokens.add(token)
        return {"access_token": token, "expires_in": 3599}
