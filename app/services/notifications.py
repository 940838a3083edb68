"""In-app notifications: the bell's unread count, the list, and who gets told what.

A notification is data (kind + params), rendered in the reader's language when read: the
templates and how to add a kind are in `app.services.notification_messages`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.models import Membership, Notification, User, utcnow
from app.security.roles import roles_with
from app.services import notification_messages

# Kinds with a template (rendered in the reader's language), then kinds that store their text.
KINDS = (*notification_messages.MESSAGES, "spike", "crisis")


def notify(
    *,
    session: Session,
    user_ids: Iterable[int],
    brand_id: int,
    kind: str,
    params: Mapping[str, Any] | None = None,
    link: str | None = None,
    text: str | None = None,
) -> list[Notification]:
    """Put one notification in each user's bell (each user once).

    `kind` and `params` are what is stored and rendered for each reader; `text` is only for a
    kind not listed in `notification_messages.MESSAGES` (shown as given to everyone).
    """
    stored = dict(params or {})
    french = notification_messages.french(kind, stored)
    if french is None and text is None:
        raise ValueError(f"unknown notification kind {kind!r} (see notification_messages)")
    rows = []
    for user_id in sorted(set(user_ids)):
        row = Notification(
            user_id=user_id,
            brand_id=brand_id,
            kind=kind,
            params=stored or None,
            text=(french or text or "")[:500],
            link=link,
        )
        session.add(row)
        rows.append(row)
    return rows


def users_with(*, session: Session, brand_id: int, permission: str) -> list[int]:
    """Active users holding a permission on the brand (e.g. every brand owner)."""
    roles = roles_with(permission)
    rows = session.exec(
        select(Membership.user_id)
        .join(User, col(User.id) == Membership.user_id)
        .where(
            Membership.brand_id == brand_id,
            col(Membership.role).in_(roles),
            col(User.is_active).is_(True),
        )
        .distinct()
    ).all()
    return sorted(rows)


def users_with_role(*, session: Session, brand_id: int, role: str) -> list[int]:
    """Active users holding exactly this role on the brand."""
    rows = session.exec(
        select(Membership.user_id)
        .join(User, col(User.id) == Membership.user_id)
        .where(
            Membership.brand_id == brand_id,
            Membership.role == role,
            col(User.is_active).is_(True),
        )
        .distinct()
    ).all()
    return sorted(rows)


def unread_count(*, session: Session, user: User, brand_ids: Iterable[int]) -> int:
    """How many unread notifications the user has on the brands they may still see."""
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == user.id,
            col(Notification.brand_id).in_(list(brand_ids)),
            col(Notification.read_at).is_(None),
        )
    ).one()


def recent(
    *, session: Session, user: User, brand_ids: Iterable[int], limit: int = 100
) -> list[Notification]:
    """The user's latest notifications, unread and read, newest first."""
    return list(
        session.exec(
            select(Notification)
            .where(
                Notification.user_id == user.id,
                col(Notification.brand_id).in_(list(brand_ids)),
            )
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
            .limit(limit)
        )
    )


def mark_all_read(*, session: Session, user: User, now: datetime | None = None) -> int:
    """Mark every unread notification of the user as read; returns how many changed."""
    result = session.exec(  # type: ignore[call-overload]
        update(Notification)
        .where(col(Notification.user_id) == user.id, col(Notification.read_at).is_(None))
        .values(read_at=now or utcnow())
    )
    return int(result.rowcount or 0)


def text_of(row: Notification) -> str:
    """What the reader sees: the message in their language, else the stored (French) text."""
    if row.params is None:  # written before messages became data, or a kind not listed
        return row.text
    return notification_messages.render(row.kind, row.params, fallback=row.text)
