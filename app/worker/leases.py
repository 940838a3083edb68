"""Database leases: one worker at a time per account, whatever the number of machines."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col

from app.models import ConnectorAccount, utcnow

LEASE_SECONDS = 120


def worker_id() -> str:
    """host:pid:random — unique per worker process, readable in the admin page."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def acquire(
    session: Session,
    account_id: int,
    owner: str,
    now: datetime | None = None,
    seconds: int = LEASE_SECONDS,
) -> bool:
    """Take the account's lease if it is free or expired (atomic UPDATE); commits."""
    now = now or utcnow()
    result = session.exec(  # type: ignore[call-overload]
        update(ConnectorAccount)
        .where(col(ConnectorAccount.id) == account_id)
        .where(
            or_(
                col(ConnectorAccount.lease_owner).is_(None),
                col(ConnectorAccount.lease_expires_at) < now,
                col(ConnectorAccount.lease_owner) == owner,
            )
        )
        .values(lease_owner=owner, lease_expires_at=now + timedelta(seconds=seconds))
    )
    session.commit()
    return result.rowcount == 1


def release(session: Session, account_id: int, owner: str) -> None:
    session.exec(  # type: ignore[call-overload]
        update(ConnectorAccount)
        .where(col(ConnectorAccount.id) == account_id, col(ConnectorAccount.lease_owner) == owner)
        .values(lease_owner=None, lease_expires_at=None)
    )
    session.commit()
