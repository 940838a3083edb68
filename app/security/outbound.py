"""Where Vigie may send requests of its own (alert webhooks, chat tools): one check for all.

Only https, to a named host or a public address. Plain http and private or loopback addresses
are refused unless the deployment sets VIGIE_ALLOW_PRIVATE_URLS (tests, a lab on loopback),
and even then plain http is allowed only to the loopback host.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_URL_LENGTH = 500


class OutboundURLError(ValueError):
    """The URL may not be called by Vigie; the message says why, in the UI's language."""


def check_outbound_url(url: str, *, allow_private: bool = False) -> str:
    """The URL, stripped, if Vigie may POST to it; else OutboundURLError."""
    url = (url or "").strip()
    if len(url) > MAX_URL_LENGTH:
        raise OutboundURLError(_l("L'adresse est trop longue (500 caractères au plus)."))
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise OutboundURLError(_l("Cette adresse n'est pas une URL valide.")) from exc
    if not host:
        raise OutboundURLError(_l("Cette adresse n'est pas une URL valide."))
    if parts.username or parts.password:
        raise OutboundURLError(
            _l("L'adresse ne doit pas contenir d'identifiant ni de mot de passe.")
        )
    loopback = host.lower() in LOOPBACK_HOSTS
    if parts.scheme == "http" and loopback and allow_private:
        return url
    if parts.scheme != "https":
        raise OutboundURLError(_l("L'adresse doit commencer par https://."))
    if not allow_private and (loopback or _private_address(host)):
        raise OutboundURLError(_l("Les adresses privées ou locales ne sont pas autorisées."))
    return url


def _private_address(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: resolved by the HTTP client at send time
    return not address.is_global


def redact(url: str) -> str:
    """Scheme and host only: chat webhook URLs carry their token in the path."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "…"
    return f"{parts.scheme}://{parts.netloc}/…" if parts.netloc else "…"
