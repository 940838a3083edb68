"""Client addresses behind a reverse proxy: X-Forwarded-For is believed only from trusted proxies.

`VIGIE_TRUSTED_PROXIES` is either a count (that many proxies in front of every request, e.g. `1`
for one nginx) or a comma-separated list of proxy addresses/CIDR networks. Unset, the socket's
peer address is the client and forwarded headers are ignored, so nobody can pick their own IP
to dodge the login limits.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ProxyConfigError(ValueError):
    """VIGIE_TRUSTED_PROXIES is neither a count nor a list of networks."""


def parse(value: str) -> int | list[Network]:
    """A proxy count, or the list of trusted networks."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        return [ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",")]
    except ValueError as exc:
        raise ProxyConfigError(
            f"VIGIE_TRUSTED_PROXIES: {value!r} is neither a number nor a list of addresses/CIDR"
        ) from exc


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class TrustedNetworks:
    """WSGI middleware: walk X-Forwarded-For from the right while the hop is a trusted proxy."""

    def __init__(self, wsgi_app: Callable[..., Any], networks: Iterable[Network]) -> None:
        self.wsgi_app = wsgi_app
        self.networks = list(networks)

    def _trusted(self, text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in net for net in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        peer = environ.get("REMOTE_ADDR", "")
        if self._trusted(peer):
            hops = [h.strip() for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            client = peer
            for hop in reversed([h for h in hops if h]):
                if _address(hop) is None:
                    break  # garbage from the client side: keep the last good address
                client = hop
                if not self._trusted(hop):
                    break
            environ["werkzeug.proxy_fix.orig_remote_addr"] = peer
            environ["REMOTE_ADDR"] = client
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
        return self.wsgi_app(environ, start_response)


def wrap(wsgi_app: Callable[..., Any], setting: str | None) -> Callable[..., Any]:
    """The app wrapped for the configured proxies, or unchanged when none is configured."""
    if not setting:
        return wsgi_app
    trusted = parse(setting)
    if isinstance(trusted, int):
        return ProxyFix(wsgi_app, x_for=trusted, x_proto=trusted) if trusted else wsgi_app
    return TrustedNetworks(wsgi_app, trusted)
