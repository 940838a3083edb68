"""Server-side login sessions: start, check, list and end them (one device or all of them)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, update
from sqlmodel import Session, col, select

from app.models import Brand, Membership, User, UserSession, utcnow
from app.services import audit

# last_seen_at is refreshed at most this often: htmx polls must not write on every request.
TOUCH_EVERY = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(*, session: Session, user: User, ip: str, user_agent: str, lifetime: timedelta) -> str:
    """Open a session for the user and return the token the cookie will carry."""
    assert user.id is not None
    now = utcnow()
    # Housekeeping: this user's sessions that can no longer be used are dropped.
    session.exec(  # type: ignore[call-overload]
        delete(UserSession).where(
            col(UserSession.user_id) == user.id,
            (col(UserSession.created_at) < now - lifetime)
            | col(UserSession.revoked_at).is_not(None),
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=_digest(token),
            session_version=user.session_version,
            ip=ip[:64],
            user_agent=user_agent[:255],
            created_at=now,
            last_seen_at=now,
        )
    )
    return token


def find_active(
    *, session: Session, user: User, token: str | None, lifetime: timedelta
) -> UserSession | None:
    """The live session for this token, or None (revoked, expired, other user, old version)."""
    if not token:
        return None
    row = session.exec(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
    if row is None or not find_active_row(user, row, lifetime):
        return None
    return row


# The user, their session row for the token, and their memberships with their brands' rows (one
# row per membership, or one with none): a signed-in request's user, session and brand scope in
# one statement (two before), on every request of every CM. Built once: building it cost about
# as much CPU as running it.
_WITH_USER_AND_MEMBERSHIPS = (
    select(User, UserSession, Membership, Brand)
    .join(UserSession, col(UserSession.user_id) == User.id)
    .outerjoin(Membership, col(Membership.user_id) == User.id)
    .outerjoin(Brand, col(Brand.id) == Membership.brand_id)
    .where(UserSession.token_hash == bindparam("token_hash"), User.id == bindparam("user_id"))
    .order_by(col(Membership.id))
)


def find_active_with_memberships(
    *, session: Session, user_id: int, token: str | None, lifetime: timedelta
) -> tuple[User, UserSession, list[tuple[int, str, Brand]]] | None:
    """The user, their live session for this token (None as find_active) and their memberships
    as (brand id, role, brand), in one read (access.BrandScope.for_user takes them)."""
    if not token:
        return None
    params = {"token_hash": _digest(token), "user_id": user_id}
    rows = session.exec(_WITH_USER_AND_MEMBERSHIPS, params=params).all()
    if not rows:
        return None
    user, row = rows[0][0], rows[0][1]
    if not find_active_row(user, row, lifetime):
        return None
    memberships = [(m.brand_id, m.role, brand) for _, _, m, brand in rows if m and brand]
    return user, row, memberships


def find_active_row(user: User, row: UserSession, lifetime: timedelta) -> bool:
    """Whether this session row still opens the console for this user."""
    return (
        row.user_id == user.id
        and row.revoked_at is None
        and row.session_version == user.session_version
        and row.created_at >= utcnow() - lifetime
    )


def touch(*, session: Session, row: UserSession) -> bool:
    """Note the session's activity (at most every few minutes); True when a write is pending."""
    now = utcnow()
    if now - row.last_seen_at < TOUCH_EVERY:
        return False
    row.last_seen_at = now
    session.add(row)
    return True


def active_for(*, session: Session, user: User, lifetime: timedelta) -> list[UserSession]:
    """The user's sessions that still open the console, most recently used first."""
    return list(
        session.exec(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                col(UserSession.revoked_at).is_(None),
                UserSession.session_version == user.session_version,
                UserSession.created_at >= utcnow() - lifetime,
            )
            .order_by(col(UserSession.last_seen_at).desc())
        ).all()
    )


def end(*, session: Session, token: str | None) -> UserSession | None:
    """Revoke the session behind this token (logout); returns it, or None if there was none."""
    if not token:
        return None
    row = session.exec(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
    return row


def end_one(*, session: Session, user: User, session_id: int) -> bool:
    """Revoke one of the user's own sessions (another device); False if it is not theirs."""
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.add(row)
    audit.record(
        session=session,
        action="auth.session_revoked",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=user,
        after={"session_id": row.id, "ip": row.ip, "user_agent": row.user_agent},
    )
    return True


def end_all(*, session: Session, user: User, actor: User | None) -> int:
    """Log the user out everywhere: every session row revoked and the session version bumped."""
    now: datetime = utcnow()
    result = session.exec(  # type: ignore[call-overload]
        update(UserSession)
        .where(col(UserSession.user_id) == user.id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    # The version bump also ends cookies issued before server-side sessions existed.
    user.session_version += 1
    session.add(user)
    audit.record(
        session=session,
        action="auth.logout_everywhere",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=actor,
        after={"sessions_ended": result.rowcount},
    )
    return int(result.rowcount)
