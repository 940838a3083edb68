"""Each connector account's posting pace, shared by every worker process.

A wave releases its replies at the platform's pace, but two waves (or a wave and the team's
own replies) going out through one account would add up and trip the platform's posting
limits. So the outbox asks here before posting: one ``account_pace`` row per account holds
when its next paced reply may go, moved forward by one atomic upsert (PostgreSQL and SQLite:
``INSERT … ON CONFLICT DO UPDATE … WHERE next_send_at <= now``), so of two workers racing for
the same slot exactly one gets it and the other's reply waits for the next one.

Paced replies are those of a wave — including an S3 of a wave approved later, which goes
back to the queue like any approved reply and then waits its turn here. A person's own reply
is never held back behind a wave: it goes at once and takes the account's next slot, so the
wave waits after it instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, update
from sqlmodel import Session, col, select

from app.models import AccountPace, ConnectorAccount, Mention, Reply, WaveItem
from app.services import queue_changes

# Seconds between two paced replies through one account: well under each platform's posting
# limits (X: 100 posts per 15 min per user; Meta's BUC; Mastodon's 300 per 5 min), so waves
# never trip them and leave room for the team's own replies.
PACE_SECONDS = {"x": 12, "facebook": 4, "instagram": 6, "linkedin": 20, "bluesky": 3}
DEFAULT_PACE_SECONDS = 2


def pace(platform: str) -> timedelta:
    """The time between two paced replies through one account of this platform."""
    return timedelta(seconds=PACE_SECONDS.get(platform, DEFAULT_PACE_SECONDS))


def _insert(session: Session):  # type: ignore[no-untyped-def]
    if session.connection().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    return insert(AccountPace.__table__)  # type: ignore[attr-defined]


def take_slot(
    *, session: Session, account_id: int, platform: str, now: datetime
) -> datetime | None:
    """Take the account's slot for a paced send now: None when taken (post now), else when
    the next slot opens (nothing taken). Not committed: the caller commits at once."""
    table = AccountPace.__table__  # type: ignore[attr-defined]
    stmt = _insert(session).values(account_id=account_id, next_send_at=now + pace(platform))
    taken = session.execute(
        stmt.on_conflict_do_update(
            index_elements=["account_id"],
            set_={"next_send_at": stmt.excluded.next_send_at},
            where=table.c.next_send_at <= now,
        ).returning(table.c.account_id)
    ).first()
    if taken is not None:
        return None
    return session.exec(
        select(AccountPace.next_send_at).where(AccountPace.account_id == account_id)
    ).one()


def note_send(*, session: Session, account_id: int, platform: str, now: datetime) -> None:
    """A reply that is not paced goes now and pushes the account's next paced slot after it."""
    table = AccountPace.__table__  # type: ignore[attr-defined]
    stmt = _insert(session).values(account_id=account_id, next_send_at=now + pace(platform))
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["account_id"],
            set_={"next_send_at": stmt.excluded.next_send_at},
            where=table.c.next_send_at < stmt.excluded.next_send_at,
        )
    )


class Pacer:
    """One outbox tick's pacing: which due replies may be posted now.

    The accounts of the tick's replies are read in one query; a paced reply that misses its
    account's slot waits for the next one, and the other paced replies of that account in the
    tick wait with it without asking again (one UPDATE per account at ``flush``), so a backlog
    of a wave's replies costs a few statements per tick, not a few per reply.
    """

    def __init__(self, session: Session, reply_ids: Sequence[int], now: datetime) -> None:
        self.session, self.now = session, now
        self.blocked: dict[int, datetime] = {}  # account → when its next slot opens
        self.waiting: dict[int, list[int]] = {}  # account → replies left for that slot
        self.targets: dict[int, tuple[int, str, bool]] = {}
        if not reply_ids:
            return
        rows: Sequence[Any] = session.exec(  # type: ignore[call-overload]
            select(
                Reply.id,
                Mention.account_id,
                ConnectorAccount.platform,
                exists().where(
                    col(WaveItem.mention_id) == col(Reply.mention_id),
                    col(WaveItem.reply_id) == col(Reply.id),
                ),
            )
            .select_from(Reply)
            .join(Mention, col(Mention.id) == col(Reply.mention_id))
            .join(ConnectorAccount, col(ConnectorAccount.id) == col(Mention.account_id))
            .where(col(Reply.id).in_(list(reply_ids)))
        ).all()
        self.targets = {rid: (acc, platform, bool(paced)) for rid, acc, platform, paced in rows}

    def clear(self, reply_id: int) -> bool:
        """True to post the reply now; False when it waits for its account's next slot.
        Commits what it took."""
        target = self.targets.get(reply_id)
        if target is None:
            return True  # nothing to pace against: the outbox says why it cannot post
        account_id, platform, paced = target
        if not paced:
            note_send(session=self.session, account_id=account_id, platform=platform, now=self.now)
            self.session.commit()
            return True
        if account_id not in self.blocked:
            slot = take_slot(
                session=self.session, account_id=account_id, platform=platform, now=self.now
            )
            self.session.commit()
            if slot is None:
                return True
            self.blocked[account_id] = slot
        self.waiting.setdefault(account_id, []).append(reply_id)
        return False

    def flush(self) -> int:
        """Set the next attempt of every reply left waiting to its account's next slot."""
        for account_id, ids in self.waiting.items():
            later = (
                update(Reply)
                .where(col(Reply.id).in_(ids), col(Reply.outbox_state) == "queued")
                .values(next_attempt_at=self.blocked[account_id])
                .execution_options(synchronize_session=False)
            )
            # When a queued reply goes out: no queue row shows it, no brand's poll wakes.
            self.session.execute(queue_changes.declare(later, ()))
        self.session.commit()
        return sum(len(ids) for ids in self.waiting.values())
