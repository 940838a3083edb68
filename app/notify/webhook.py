"""Signed outgoing webhooks: the brand's own systems (pager, chat) hear of urgent cases.

The receiver checks ``X-Vigie-Signature: sha256=<hex>``, an HMAC-SHA256 of the raw body with
the brand's secret. The body carries the timestamp too (also sent as ``X-Vigie-Timestamp``),
so a replayed old request can be told from a fresh one without trusting an unsigned header.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

import httpx
from sqlmodel import Session

from app.models import OutgoingMessage, utcnow
from app.security.outbound import failure_text, http_client

SIGNATURE_HEADER = "X-Vigie-Signature"
TIMESTAMP_HEADER = "X-Vigie-Timestamp"
WEBHOOK_TIMEOUT_SECONDS = 5.0


def sign(secret: str, body: bytes) -> str:
    """The signature header value for a body: ``sha256=<hex>``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """Whether a signature header matches the body (constant-time comparison)."""
    return bool(header) and hmac.compare_digest(sign(secret, body), header or "")


def encode(payload: dict[str, Any], now: datetime) -> bytes:
    """The exact bytes that are signed and sent (timestamp included in the body)."""
    return json.dumps(
        {**payload, "timestamp": int(now.timestamp())}, ensure_ascii=False, sort_keys=True
    ).encode()


def post_once(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    client: httpx.Client | None,
    timeout: float,
    allow_private: bool,
) -> tuple[str, str | None]:
    """POST an alert once through the outbound-URL policy: ("sent", None) or ("failed", why)."""
    try:
        if client is None:
            with http_client(timeout=timeout, allow_private=allow_private) as own:
                response = own.post(url, content=body, headers=headers)
        else:
            response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return "failed", failure_text(exc)
    if response.status_code >= 300:
        return "failed", f"HTTP {response.status_code}"
    return "sent", None


def deliver_webhook(
    *,
    session: Session,
    brand_id: int,
    url: str,
    secret: str,
    payload: dict[str, Any],
    escalation_id: int | None = None,
    client: httpx.Client | None = None,
    allow_private: bool = False,
    now: datetime | None = None,
) -> OutgoingMessage:
    """POST the signed payload once; the outcome is stored, a failure is never raised."""
    now = now or utcnow()
    body = encode(payload, now)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(secret, body),
        TIMESTAMP_HEADER: str(int(now.timestamp())),
        "User-Agent": "Vigie-Alerts/1",
    }
    status, error = post_once(
        url,
        body,
        headers,
        client=client,
        timeout=WEBHOOK_TIMEOUT_SECONDS,
        allow_private=allow_private,
    )
    row = OutgoingMessage(
        brand_id=brand_id,
        channel="webhook",
        transport="http",
        recipient=url[:500],
        subject=str(payload.get("event", ""))[:300],
        body=body.decode(),
        status=status,
        error=error,
        escalation_id=escalation_id,
    )
    session.add(row)
    return row
