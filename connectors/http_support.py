"""Shared httpx plumbing: one client per connector, status codes mapped to the contract's errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from connectors.base import (
    AuthError,
    Connector,
    ConnectorError,
    CreditsExhausted,
    OutcomeUnknown,
    PermanentError,
    RateLimited,
    RateLimitState,
    TransientError,
    utcnow,
)
from connectors.net_policy import AddressRefused, NetPolicy

USER_AGENT = "Vigie/0.1 (moderation console; python-httpx)"

#: Failures before a byte of the request left: retrying cannot post twice.
_NOTHING_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)


class HttpConnector(Connector):
    """A connector that speaks HTTP through one httpx client, opened on first use and closed
    with the connector (the connection pool is the only resource a connector holds)."""

    _client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = new_client(self.http_timeout, policy=self.net_policy)
        return self._client

    def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None


class AddressNotAllowed(PermanentError):
    """The server's address is refused by the outbound policy (private, local): nothing sent."""


#: Parses the platform's rate-limit headers into a RateLimitState.
RateLimitParser = Callable[[httpx.Headers], RateLimitState]


def new_client(
    timeout: float, headers: dict[str, str] | None = None, *, policy: NetPolicy | None = None
) -> httpx.Client:
    """Return an httpx client with our User-Agent, a bounded timeout and the outbound policy.

    Every connection's address is checked (`policy`, default from the environment); redirects
    are not followed: they would leave the account's host, or drop the Authorization header.
    """
    return (policy or NetPolicy.from_env()).client(
        timeout=timeout, headers={"User-Agent": USER_AGENT, **(headers or {})}
    )


def parse_int(value: str | None) -> int | None:
    """Return `value` as an int, or None when absent or garbled."""
    if value is None:
        return None
    try:
        return int(float(str(value).strip()))
    except (ValueError, OverflowError):  # "", "abc", "nan", "1e999"
        return None


def parse_epoch(value: str | None) -> datetime | None:
    """Parse absolute Unix seconds (X, Bluesky) into a UTC datetime."""
    seconds = parse_int(value)
    if seconds is None or seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):  # beyond year 9999: garbled
        return None


def parse_iso(value: str | None) -> datetime | None:
    """Parse an ISO-8601 timestamp (Mastodon's reset, posts' dates) into UTC; None if invalid."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_retry_after(value: str | None) -> datetime | None:
    """Parse a Retry-After header (delay in seconds or an HTTP date)."""
    if not value:
        return None
    seconds = parse_int(value)
    if seconds is not None:
        return utcnow() + timedelta(seconds=max(seconds, 0))
    try:
        return parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return None


def json_body(response: httpx.Response, *, write: bool = False) -> Any:
    """Decode a JSON response; a garbled body is a transient fault (proxies, truncation).

    After a write (`write=True`) it is OutcomeUnknown: the platform may have stored the post.
    """
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        error = OutcomeUnknown if write else TransientError
        raise error(
            f"malformed JSON from {response.request.url.host} (HTTP {response.status_code})",
            status=response.status_code,
        ) from exc


def error_message(response: httpx.Response) -> str:
    """Extract the platform's error text ({"error", "message"} or problem JSON), if any."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:200]
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("error", "title", "message", "detail") if body.get(k)]
        return ": ".join(dict.fromkeys(parts))[:300]
    return ""


def raise_for_status(
    response: httpx.Response,
    rate_limit: RateLimitState,
    *,
    action: str,
    default_wait: timedelta,
    refusal_is_permanent: bool = False,
    write: bool = False,
) -> None:
    """Raise the contract's error for a non-2xx response.

    `refusal_is_permanent`: for writes (reply, hide) a 403 means "not allowed on this post"
    (X's reply restriction, a post we cannot see), not a revoked account, so it becomes a
    PermanentError; for reads it is an AuthError. `write`: the request created something
    (a post), so a 5xx or 408 is OutcomeUnknown — a proxy's 502/504 often hides a post
    the platform did store.
    """
    status = response.status_code
    if 200 <= status < 300:
        return
    detail = error_message(response)
    message = f"{action}: HTTP {status}" + (f" ({detail})" if detail else "")
    if status == 429:
        retry_at = parse_retry_after(response.headers.get("Retry-After")) or rate_limit.reset_at
        raise RateLimited(message, retry_at=retry_at, default_wait=default_wait)
    if status == 401 or (status == 403 and not refusal_is_permanent):
        raise AuthError(message, status=status)
    if status == 402:
        raise CreditsExhausted(message, status=status)
    if write and (status >= 500 or status == 408):
        raise OutcomeUnknown(message, status=status)
    if status >= 500 or status in (408, 425):
        raise TransientError(message, status=status)
    raise PermanentError(message, status=status)


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    action: str,
    write: bool = False,
    **kwargs: Any,
) -> httpx.Response:
    """Send one request; network failures and timeouts become TransientError.

    With `write=True`, a failure after the request may have left (read timeout, connection
    cut before the answer) is OutcomeUnknown; failing to connect stays TransientError.
    """
    try:
        return client.request(method, url, **kwargs)
    except AddressRefused as exc:
        raise AddressNotAllowed(f"{action}: {exc}") from exc
    except _NOTHING_SENT as exc:
        raise TransientError(f"{action}: could not connect ({type(exc).__name__})") from exc
    except httpx.TimeoutException as exc:
        if write:
            raise OutcomeUnknown(
                f"{action}: no answer in time ({type(exc).__name__}); it may have been published"
            ) from exc
        raise TransientError(f"{action}: timed out ({type(exc).__name__})") from exc
    except httpx.TransportError as exc:
        if write:
            raise OutcomeUnknown(
                f"{action}: connection lost ({type(exc).__name__}); it may have been published"
            ) from exc
        raise TransientError(f"{action}: network error ({type(exc).__name__})") from exc


def with_credentials(error: ConnectorError, credentials: dict[str, Any] | None) -> ConnectorError:
    """Attach rotated credentials to an error so the caller persists them even on failure."""
    if credentials is not None and error.credentials is None:
        error.credentials = credentials
    return error
