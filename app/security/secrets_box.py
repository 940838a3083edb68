"""Encryption at rest for connector credentials (Fernet: AES-128-CBC + HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from cryptography.fernet import Fernet, InvalidToken


class CredentialsError(Exception):
    """Stored credentials could not be decrypted (wrong VIGIE_ENCRYPTION_KEY?)."""


class SecretsBox:
    """Encrypts and decrypts the JSON credentials of connector accounts."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode() if isinstance(key, str) else key)

    def seal(self, credentials: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(credentials, sort_keys=True).encode()).decode()

    def open(self, token: str) -> dict[str, Any]:
        if not token:
            return {}
        try:
            return json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken as exc:
            raise CredentialsError("credentials cannot be decrypted with this key") from exc


def new_token() -> str:
    """A random bearer token for inbound webhooks or acknowledgement links."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The sha256 we store in place of a token."""
    return hashlib.sha256(token.encode()).hexdigest()
