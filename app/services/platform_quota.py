"""Daily API quota units per account, shared by every process (YouTube: 10,000 a day).

The connector spends units before each call (`connectors.quota`); this ledger keeps the count
in `platform_quota`, one row per account and quota day, incremented in its own short
transaction with an upsert, so the poller and the outbox worker (other processes, other
transactions) add up instead of overwriting each other, and a caller's rollback does not
forget units Google already counted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.models import ConnectorAccount, PlatformQuota, utcnow
from connectors.quota import MemoryLedger, next_reset, quota_day
from connectors.youtube_api import DEFAULT_DAILY_QUOTA

log = logging.getLogger(__name__)


class DatabaseLedger:
    """The `connectors.quota.QuotaLedger` of one account, in the database."""

    def __init__(self, engine: Engine, account_id: int) -> None:
        self.engine = engine
        self.account_id = account_id
        self._fallback = MemoryLedger()  # only if the database cannot be written

    def spent(self, day: date) -> int:
        table = PlatformQuota.__table__  # type: ignore[attr-defined]
        try:
            with self.engine.connect() as conn:
                units = conn.execute(
                    select(table.c.units).where(
                        table.c.account_id == self.account_id, table.c.day == day
                    )
                ).scalar()
        except SQLAlchemyError:
            log.warning("quota ledger unreadable for account %s", self.account_id, exc_info=True)
            return self._fallback.spent(day)
        return int(units or 0) + self._fallback.spent(day)

    def spend(self, day: date, units: int) -> int:
        table = PlatformQuota.__table__  # type: ignore[attr-defined]
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        upsert = (
            insert(table)
            .values(account_id=self.account_id, day=day, units=units)
            .on_conflict_do_update(
                index_elements=["account_id", "day"], set_={"units": table.c.units + units}
            )
            .returning(table.c.units)
        )
        try:
            with self.engine.begin() as conn:
                total = int(conn.execute(upsert).scalar_one())
        except SQLAlchemyError:
            # Counting is advisory: never fail a reply because the ledger could not be written.
            log.warning("quota ledger not written for account %s", self.account_id, exc_info=True)
            return self._fallback.spend(day, units)
        return total + self._fallback.spent(day)


def used_today(engine: Engine, account_id: int, day: date) -> int:
    """Units the account spent on `day` (for the admin's connector health)."""
    return DatabaseLedger(engine, account_id).spent(day)


@dataclass(frozen=True)
class QuotaHealth:
    """A daily unit quota as the admin's connector health shows it."""

    used: int
    limit: int
    resets_at: datetime

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


def platforms_with_quota() -> tuple[str, ...]:
    """Platforms whose connector spends daily units (declares a `quota` ledger)."""
    return ("youtube",)


def health(engine: Engine, account: ConnectorAccount) -> QuotaHealth | None:
    """Today's units for an account whose platform counts them (YouTube), else None."""
    if account.id is None or account.platform not in platforms_with_quota():
        return None
    now = utcnow()
    limit = int((account.options or {}).get("daily_quota") or DEFAULT_DAILY_QUOTA)
    used = used_today(engine, account.id, quota_day(now))
    return QuotaHealth(used=used, limit=limit, resets_at=next_reset(now).astimezone(UTC))
