"""OpenID Connect, the relying party's side: discovery, the authorization request (PKCE, state,
nonce), the code exchange and the ID token's checks. No Flask and no database here.

Authlib does the protocol pieces (PKCE challenge, grant URI, token request body, client
authentication, the ID token's claim rules) and joserfc — Authlib's own JOSE library, which
Authlib 1.x itself now uses — checks the signature. Authlib's ready-made Flask client is not
used: it fetches with its own HTTP client and keeps the state in the cookie session, while
every call Vigie makes to an operator-supplied URL must go through the outbound-URL policy
(`connectors.net_policy`), and the state must be single-use across processes (kept in the
database, see app/security/sso.py).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import url_encode
from authlib.oauth2.auth import ClientAuth
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from app.config import OIDCProvider
from connectors.net_policy import NetPolicy, URLRefused

SCOPE = "openid email profile"
TIMEOUT = 10.0
DISCOVERY_TTL = 3600.0  # seconds a discovery document and its keys are trusted
JWKS_REFETCH_AFTER = 60.0  # an unknown key id fetches the keys again, at most this often
CLOCK_LEEWAY = 120  # seconds of clock difference tolerated on exp / iat
MAX_DOCUMENT = 512 * 1024
# Asymmetric signatures only: "none" and the HMAC family (keyed with the client secret) are out.
SIGNING_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)

#: OIDCError.reason values
UNREACHABLE, DISCOVERY, TOKEN, ID_TOKEN = "unreachable", "discovery", "token", "id_token"


class OIDCError(Exception):
    """The sign-in cannot go on; `reason` is one of the constants above, the message is for logs
    and the audit trail (never a secret)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    token_auth_method: str
    algorithms: tuple[str, ...]


@dataclass(frozen=True)
class AuthRequest:
    """What the callback needs to finish a sign-in, and where the browser goes now."""

    url: str
    state: str
    nonce: str
    code_verifier: str


_lock = threading.Lock()
_metadata: dict[str, tuple[float, ProviderMetadata]] = {}
_keys: dict[str, tuple[float, KeySet]] = {}


def clear_caches() -> None:
    """Forget discovery documents and keys (tests start providers on new ports)."""
    with _lock:
        _metadata.clear()
        _keys.clear()


def _get_json(policy: NetPolicy, url: str, reason: str) -> dict[str, Any]:
    try:
        policy.check_url(url)
    except URLRefused as exc:
        raise OIDCError(reason, f"{url}: {exc}") from exc
    try:
        with policy.client(timeout=TIMEOUT, headers={"Accept": "application/json"}) as client:
            response = client.get(url)
    except httpx.HTTPError as exc:
        raise OIDCError(UNREACHABLE, f"{url}: {type(exc).__name__}") from exc
    if response.status_code != 200 or len(response.content) > MAX_DOCUMENT:
        raise OIDCError(reason, f"{url}: HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError as exc:
        raise OIDCError(reason, f"{url}: not JSON") from exc
    if not isinstance(data, dict):
        raise OIDCError(reason, f"{url}: not a JSON object")
    return data


def metadata(provider: OIDCProvider, policy: NetPolicy) -> ProviderMetadata:
    """The provider's discovery document, checked and cached for an hour."""
    now = time.monotonic()
    with _lock:
        cached = _metadata.get(provider.issuer)
    if cached and now - cached[0] < DISCOVERY_TTL:
        return cached[1]
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    doc = _get_json(policy, url, DISCOVERY)
    issuer = doc.get("issuer")
    # OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for.
    if not isinstance(issuer, str) or issuer.rstrip("/") != provider.issuer.rstrip("/"):
        raise OIDCError(DISCOVERY, f"discovery names issuer {issuer!r}, not {provider.issuer!r}")
    endpoints = {}
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        value = doc.get(name)
        if not isinstance(value, str):
            raise OIDCError(DISCOVERY, f"discovery has no {name}")
        try:
            endpoints[name] = policy.check_url(value, resolve=False)
        except URLRefused as exc:
            raise OIDCError(DISCOVERY, f"{name}: {exc}") from exc
    methods = doc.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if "client_secret_basic" in methods:
        auth_method = "client_secret_basic"
    elif "client_secret_post" in methods:
        auth_method = "client_secret_post"
    else:
        raise OIDCError(DISCOVERY, f"no supported client authentication in {methods!r}")
    offered = doc.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = tuple(a for a in SIGNING_ALGORITHMS if a in offered)
    if not algorithms:
        raise OIDCError(DISCOVERY, f"no supported ID token signature in {offered!r}")
    meta = ProviderMetadata(
        issuer=issuer,
        authorization_endpoint=endpoints["authorization_endpoint"],
        token_endpoint=endpoints["token_endpoint"],
        jwks_uri=endpoints["jwks_uri"],
        token_auth_method=auth_method,
        algorithms=algorithms,
    )
    with _lock:
        _metadata[provider.issuer] = (now, meta)
    return meta


def authorization_request(
    provider: OIDCProvider, meta: ProviderMetadata, redirect_uri: str
) -> AuthRequest:
    """A fresh state, nonce and PKCE verifier, and the URL that sends the browser to sign in."""
    state, nonce, verifier = generate_token(43), generate_token(43), generate_token(64)
    url = prepare_grant_uri(
        meta.authorization_endpoint,
        client_id=provider.client_id,
        response_type="code",
        redirect_uri=redirect_uri,
        scope=SCOPE,
        state=state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    return AuthRequest(url=url, state=state, nonce=nonce, code_verifier=verifier)


def exchange_code(
    provider: OIDCProvider,
    meta: ProviderMetadata,
    policy: NetPolicy,
    *,
    code: str,
    redirect_uri: str,
    code_verifier: str,
) -> dict[str, Any]:
    """The token endpoint's answer to the authorization code (with the PKCE verifier)."""
    body = url_encode(
        [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", code_verifier),
        ]
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
    }
    auth = ClientAuth(provider.client_id, provider.client_secret, meta.token_auth_method)
    uri, headers, body = auth.prepare("POST", meta.token_endpoint, headers, body)
    try:
        with policy.client(timeout=TIMEOUT) as client:
            response = client.post(uri, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise OIDCError(UNREACHABLE, f"token endpoint: {type(exc).__name__}") from exc
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise OIDCError(TOKEN, f"token endpoint: HTTP {response.status_code}, not JSON")
    if response.status_code != 200:
        error = str(data.get("error", ""))[:100]
        raise OIDCError(TOKEN, f"token endpoint: HTTP {response.status_code} {error}")
    if not isinstance(data.get("id_token"), str):
        raise OIDCError(TOKEN, "token endpoint: no id_token")
    return data


def _key_set(meta: ProviderMetadata, policy: NetPolicy, *, refresh: bool) -> KeySet:
    now = time.monotonic()
    with _lock:
        cached = _keys.get(meta.jwks_uri)
    if cached:
        age = now - cached[0]
        if age < DISCOVERY_TTL and not (refresh and age > JWKS_REFETCH_AFTER):
            return cached[1]
    data = _get_json(policy, meta.jwks_uri, ID_TOKEN)
    try:
        keys = KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise OIDCError(ID_TOKEN, "the provider's keys cannot be read") from exc
    with _lock:
        _keys[meta.jwks_uri] = (now, keys)
    return keys


def verify_id_token(
    provider: OIDCProvider,
    meta: ProviderMetadata,
    policy: NetPolicy,
    *,
    id_token: str,
    nonce: str,
    access_token: str | None,
) -> dict[str, Any]:
    """The ID token's claims once its signature, iss, aud, exp, iat, nonce (and azp, at_hash
    when present) are right; else OIDCError."""
    try:
        header = jws.extract_compact(id_token.encode()).protected
    except (JoseError, ValueError) as exc:
        raise OIDCError(ID_TOKEN, "ID token is not a signed JWT") from exc
    if header.get("alg") not in meta.algorithms:
        raise OIDCError(ID_TOKEN, f"ID token signed with {header.get('alg')!r}")
    keys = _key_set(meta, policy, refresh=False)
    kid = header.get("kid")
    if kid and not any(k.kid == kid for k in keys.keys):
        keys = _key_set(meta, policy, refresh=True)  # the provider rotated its keys
    try:
        token = jwt.decode(id_token, keys, algorithms=list(meta.algorithms))
    except (JoseError, ValueError) as exc:
        raise OIDCError(ID_TOKEN, f"ID token signature: {type(exc).__name__}") from exc
    claims = CodeIDToken(
        token.claims,
        token.header,
        options={
            "iss": {"essential": True, "value": meta.issuer},
            "aud": {"essential": True, "value": provider.client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {"essential": True},
            "nonce": {"essential": True, "value": nonce},
        },
        params={"nonce": nonce, "client_id": provider.client_id, "access_token": access_token},
    )
    try:
        claims.validate(leeway=CLOCK_LEEWAY)
    except (JoseError, ValueError) as exc:
        raise OIDCError(ID_TOKEN, f"ID token claims: {exc}") from exc
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise OIDCError(ID_TOKEN, "ID token has no subject")
    return dict(claims)


def email_verified(claims: dict[str, Any]) -> bool:
    """Whether the provider vouches for the e-mail address: `email_verified` (Google and most
    providers), or Microsoft Entra's `xms_edov` optional claim (the domain is verified)."""
    for name in ("email_verified", "xms_edov"):
        value = claims.get(name)
        if value is True or (isinstance(value, str) and value.lower() == "true"):
            return True
    return False


# Values of `amr` (RFC 8176) that mean more than a password was used at the provider.
MFA_METHODS = frozenset({"mfa", "otp", "hwk", "swk", "sms", "fpt", "face", "iris", "pop"})


def provider_did_mfa(claims: dict[str, Any]) -> bool:
    amr = claims.get("amr")
    return isinstance(amr, list) and any(m in MFA_METHODS for m in amr if isinstance(m, str))
