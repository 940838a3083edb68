"""Checks on URLs Vigie sends requests to on someone's behalf (replies to a brand's system)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


class OutboundURLError(ValueError):
    """The URL may not receive requests from Vigie; the message says why (French)."""


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _private_host(host: str) -> bool:
    if host in LOOPBACK_HOSTS or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def check_outbound_url(url: str, *, allow_private: bool = False) -> str:
    """Return `url` stripped if Vigie may POST to it, else raise OutboundURLError.

    https only, to a public host. `allow_private` (VIGIE_ALLOW_PRIVATE_URLS: tests, a lab)
    also lets private addresses through, and plain http to the loopback host only.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        _port = parts.port  # raises on a garbled port
    except ValueError as exc:
        raise OutboundURLError("URL invalide.") from exc
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise OutboundURLError("L'URL doit être de la forme https://hôte/chemin.")
    if parts.username or parts.password:
        raise OutboundURLError("L'URL ne doit pas contenir d'identifiants.")
    if len(url) > 1000:
        raise OutboundURLError("L'URL est trop longue (1000 caractères au plus).")
    private = _private_host(host)
    if not allow_private:
        if parts.scheme != "https":
            raise OutboundURLError("L'URL doit commencer par https://.")
        if private:
            raise OutboundURLError("L'URL désigne une adresse privée ou locale : refusée.")
    elif parts.scheme != "https" and host not in LOOPBACK_HOSTS:
        raise OutboundURLError("Seule l'adresse locale (loopback) peut être en http://.")
    return url
