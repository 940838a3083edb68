"""Where Vigie may send requests of its own: the app's face of connectors.net_policy.

Only https, to a host that resolves to public addresses. Plain http and private or loopback
addresses are refused unless the deployment sets VIGIE_ALLOW_PRIVATE_URLS (tests, a lab, a
self-hosted instance on the LAN), and even then plain http is allowed only to the loopback
host. The same policy is checked again on every connection (`http_client`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from connectors import net_policy
from connectors.net_policy import NetPolicy, URLRefused

LOOPBACK_HOSTS = net_policy.LOOPBACK_HOSTS
MAX_URL_LENGTH = net_policy.MAX_URL_LENGTH


class OutboundURLError(ValueError):
    """The URL may not be called by Vigie; the message says why, in the UI's language."""


def _messages() -> dict[str, object]:
    return {
        net_policy.TOO_LONG: _l("L'adresse est trop longue (500 caractères au plus)."),
        net_policy.INVALID: _l("Cette adresse n'est pas une URL valide."),
        net_policy.CREDENTIALS: _l(
            "L'adresse ne doit pas contenir d'identifiant ni de mot de passe."
        ),
        net_policy.SCHEME: _l("L'adresse doit commencer par https://."),
        net_policy.PRIVATE: _l("Les adresses privées ou locales ne sont pas autorisées."),
    }


def policy(allow_private: bool | None = None) -> NetPolicy:
    """The deployment's policy: VIGIE_ALLOW_PRIVATE_URLS from the app, else the environment."""
    if allow_private is None:
        if has_app_context():
            allow_private = bool(current_app.config.get("VIGIE_ALLOW_PRIVATE_URLS"))
        else:
            return NetPolicy.from_env()
    return NetPolicy(allow_private=allow_private)


def check_outbound_url(url: str, *, allow_private: bool = False) -> str:
    """The URL, stripped, if Vigie may call it (its addresses too); else OutboundURLError."""
    try:
        return NetPolicy(allow_private=allow_private).check_url(url)
    except URLRefused as exc:
        raise OutboundURLError(_messages()[exc.reason]) from exc


def http_client(*, timeout: float, allow_private: bool | None = None) -> httpx.Client:
    """An httpx client that checks every address it connects to (DNS rebinding), no redirects."""
    return policy(allow_private).client(timeout=timeout)


def failure_text(exc: httpx.HTTPError) -> str:
    """What a failed call to a user-supplied URL records: one text for every network failure,
    so a stored error cannot tell a closed port from a silent or non-TLS one."""
    if isinstance(exc, net_policy.AddressRefused):
        return str(_l("Adresse privée ou locale refusée (VIGIE_ALLOW_PRIVATE_URLS)."))
    return str(_l("Serveur injoignable (connexion refusée, délai dépassé ou échec TLS)."))


def redact(url: str) -> str:
    """Scheme and host only: chat webhook URLs carry their token in the path."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "…"
    return f"{parts.scheme}://{parts.netloc}/…" if parts.netloc else "…"
