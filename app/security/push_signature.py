"""Inbound webhook pushes: an account with a secret only takes signed, fresh pushes."""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import Headers

from app.models import ConnectorAccount
from app.services.accounts import secrets_box
from connectors.webhook import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    PushSignatureError,
    check_push_signature,
)


def push_refusal(
    account: ConnectorAccount, body: bytes, headers: Mapping[str, str] | Headers
) -> str | None:
    """Why this push must be refused (401), or None when it may be stored."""
    if not account.credentials_encrypted:
        return None
    secret = secrets_box().open(account.credentials_encrypted).get("secret")
    if not secret:
        return None
    try:
        check_push_signature(
            body,
            str(secret),
            signature=headers.get(SIGNATURE_HEADER),
            timestamp=headers.get(TIMESTAMP_HEADER),
        )
    except PushSignatureError as exc:
        return str(exc)
    return None
