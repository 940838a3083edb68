"""Where Vigie may connect with a URL someone typed in: one policy for every outgoing client.

Alert webhooks, chat hooks, a webhook account's reply URL and the Mastodon/Bluesky servers are
all user-supplied URLs. The rules, in one place:

- https only (plain http only to the loopback host, and only when private addresses are
  allowed: tests, a lab), no credentials in the URL;
- loopback, link-local (cloud metadata at 169.254.169.254), private, shared, multicast and
  reserved addresses are refused unless the operator sets VIGIE_ALLOW_PRIVATE_URLS (a
  self-hosted instance on the LAN);
- checked when the URL is saved (`NetPolicy.check_url`) AND on every connection
  (`GuardedTransport`): the name is resolved once, every address checked, and the socket
  connects to the address that was checked, so a DNS answer that changes between the check
  and the request (rebinding) cannot reach an internal service;
- redirects are never followed (clients are built with follow_redirects=False) and
  pagination links stay on the account's host (`same_origin`).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

ENV_ALLOW_PRIVATE = "VIGIE_ALLOW_PRIVATE_URLS"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_URL_LENGTH = 500

#: URLRefused.reason values (the app words them for the user).
TOO_LONG, INVALID, CREDENTIALS, SCHEME, PRIVATE = (
    "too_long",
    "invalid",
    "credentials",
    "scheme",
    "private",
)


class URLRefused(ValueError):
    """A URL the policy refuses; `reason` is one of the constants above."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class AddressRefused(httpx.ConnectError):
    """The host resolved to an address the policy refuses; nothing was sent."""


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def address_allowed(address: str, *, allow_private: bool) -> bool:
    """Whether a socket may connect to this IP address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return False  # never a web server, even on a LAN
    return allow_private or ip.is_global


def _resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (raises OSError when it does not)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def same_origin(url: str, base_url: str | None) -> bool:
    """Whether `url` has the scheme, host and port of `base_url` (pagination stays home)."""
    try:
        a, b = urlsplit(url), urlsplit(base_url or "")
        ports = {"http": 80, "https": 443}
        return bool(a.hostname) and (a.scheme, a.hostname, a.port or ports.get(a.scheme)) == (
            b.scheme,
            b.hostname,
            b.port or ports.get(b.scheme),
        )
    except ValueError:
        return False


@dataclass(frozen=True)
class NetPolicy:
    """The outbound-URL policy; `allow_private` is VIGIE_ALLOW_PRIVATE_URLS."""

    allow_private: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> NetPolicy:
        """The policy the process's environment configures."""
        env = os.environ if environ is None else environ
        return cls(allow_private=truthy(env.get(ENV_ALLOW_PRIVATE)))

    def check_url(self, url: str, *, resolve: bool = True) -> str:
        """The URL, stripped, if Vigie may call it; else URLRefused.

        With `resolve`, a host name is looked up now and refused when it points at a refused
        address; a name that does not resolve yet is left to the connect-time check.
        """
        url = (url or "").strip()
        if len(url) > MAX_URL_LENGTH:
            raise URLRefused(TOO_LONG, f"URL longer than {MAX_URL_LENGTH} characters")
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
            port = parts.port
        except ValueError as exc:
            raise URLRefused(INVALID, "not a valid URL") from exc
        if parts.scheme not in ("http", "https"):
            raise URLRefused(SCHEME, "only https:// URLs may be called")
        if not host:
            raise URLRefused(INVALID, "not a valid URL")
        if parts.username or parts.password:
            raise URLRefused(CREDENTIALS, "the URL must not carry a user name or password")
        loopback = host.lower() in LOOPBACK_HOSTS
        if parts.scheme == "http" and not (loopback and self.allow_private):
            raise URLRefused(SCHEME, "only https:// URLs may be called")
        if self.allow_private:
            return url
        if loopback:
            raise URLRefused(PRIVATE, "private or local addresses are not allowed")
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            addresses = []
            if resolve:
                try:
                    addresses = _resolve(host, port or 443)
                except (OSError, UnicodeError):
                    addresses = []  # unknown today: the connect-time check decides
        if any(not address_allowed(a, allow_private=False) for a in addresses):
            raise URLRefused(PRIVATE, "private or local addresses are not allowed")
        return url

    def client(self, *, timeout: float, headers: dict[str, str] | None = None) -> httpx.Client:
        """An httpx client whose every connection goes through this policy; no redirects."""
        return httpx.Client(
            transport=GuardedTransport(self),
            timeout=httpx.Timeout(timeout),
            headers=headers,
            follow_redirects=False,
        )


class GuardedBackend(httpcore.SyncBackend):
    """Resolves, checks every address, then connects to a checked address (no re-lookup)."""

    def __init__(self, policy: NetPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = _resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"could not resolve {host}") from exc
        refused = [
            a for a in addresses if not address_allowed(a, allow_private=self.policy.allow_private)
        ]
        if refused or not addresses:
            # One refused address refuses the name: a mixed answer is a rebinding trick.
            raise AddressRefused(
                f"{host} resolves to an address that may not be called "
                f"(private, local or reserved; see {ENV_ALLOW_PRIVATE})"
            )
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:  # try the host's next address
                last = exc
            except httpcore.ConnectTimeout as exc:
                last = exc
        assert last is not None
        raise last


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the policy's connect-time address check."""

    def __init__(self, policy: NetPolicy, *, retries: int = 0) -> None:
        super().__init__(retries=retries)
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=5.0,
            retries=retries,
            network_backend=GuardedBackend(policy),
        )
