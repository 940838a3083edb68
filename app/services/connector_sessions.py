"""A connector for a stored account, and the one rule about its credentials.

Some platforms rotate tokens as they are used (Bluesky's refresh token, X's OAuth 2 tokens):
the connector hands the new ones back in ``updated_credentials`` and the old ones are already
revoked, so they must be sealed into the account whatever the call's outcome
(``connectors/base.py``). Polling, the outbox, verification and hiding all go through here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlmodel import Session

from app.models import ConnectorAccount
from app.security import outbound
from app.security.secrets_box import CredentialsError, SecretsBox
from connectors import AccountMisconfigured, Connector, get_connector


def build_connector(
    account: ConnectorAccount, box: SecretsBox, *, http_timeout: float | None = None
) -> Connector:
    """The platform connector for an account, with its decrypted credentials."""
    cls = get_connector(account.platform)
    extra: dict[str, Any] = {"http_timeout": http_timeout} if http_timeout else {}
    connector = cls(
        credentials=box.open(account.credentials_encrypted),
        base_url=account.base_url,
        account_handle=account.handle or None,
        options=dict(account.options or {}),
        net_policy=outbound.policy(),
        **extra,
    )
    restore = getattr(connector, "restore_rate_limit", None)
    if restore is not None:
        # Meta: a throttle seen by another process (its usage headers) holds here too.
        restore(account.rate_limit_remaining, account.rate_limit_reset_at)
    return connector


def save_rate_limit(account: ConnectorAccount, connector: Connector) -> bool:
    """Keep the platform's last reported usage on the account (health, other workers);
    True when it changed (the caller commits)."""
    state = connector.rate_limit
    changed = False
    if state.remaining is not None and state.remaining != account.rate_limit_remaining:
        account.rate_limit_remaining, changed = state.remaining, True
    if state.reset_at is not None and state.reset_at != account.rate_limit_reset_at:
        account.rate_limit_reset_at, changed = state.reset_at, True
    return changed


def save_rotated_credentials(
    account: ConnectorAccount, connector: Connector, box: SecretsBox
) -> bool:
    """Seal tokens the platform rotated into the account (the caller commits); True if any."""
    if connector.updated_credentials is None:
        return False
    account.credentials_encrypted = box.seal(connector.updated_credentials)
    return True


@contextmanager
def connector_session(
    session: Session,
    account: ConnectorAccount,
    box: SecretsBox,
    *,
    http_timeout: float | None = None,
) -> Iterator[Connector]:
    """The account's connector, open; rotated credentials are kept on exit, even on failure.

    An account that cannot make a connector at all (no server URL, credentials that no longer
    decrypt) raises AccountMisconfigured: the account is flagged for an admin, and the caller's
    other accounts carry on.
    """
    try:
        connector = build_connector(account, box, http_timeout=http_timeout)
    except (ValueError, CredentialsError) as exc:
        raise AccountMisconfigured(f"Compte « {account.label} » mal configuré : {exc}") from exc
    if hasattr(connector, "quota") and account.id is not None:
        # Platforms with a daily unit quota (YouTube) share one count across processes.
        from app.services.platform_quota import DatabaseLedger

        connector.quota = DatabaseLedger(session.get_bind(), account.id)  # type: ignore[arg-type]
    try:
        with connector:
            yield connector
    finally:
        rotated = save_rotated_credentials(account, connector, box)
        if save_rate_limit(account, connector) or rotated:
            session.add(account)
