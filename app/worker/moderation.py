"""Carrying out moderation actions on the platforms (app/services/moderation_actions.py).

A delete whose outcome is unknown (the platform stalled after the request) is never sent again
blindly: the worker asks whether the comment is still there. Gone → done; still there →
queued again; cannot tell → checked again later, and after MAX_CHECKS a person is asked.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import ConnectorAccount, Mention, ModerationAction, utcnow
from app.security.secrets_box import SecretsBox
from app.services import account_holds, moderation_actions
from app.services.connector_sessions import connector_session
from connectors import (
    AccountMisconfigured,
    AuthError,
    ConnectorError,
    OutcomeUnknown,
    PermanentError,
    RateLimited,
    UnsupportedAction,
)

MAX_ATTEMPTS = 6
MAX_CHECKS = 8
FIRST_CHECK_DELAY = timedelta(seconds=20)
STALE_SENDING = timedelta(minutes=5)


def _backoff(n: int) -> timedelta:
    return timedelta(seconds=min(3600, 15 * 2**n))


def _due(session: Session, state: str, now: datetime, limit: int) -> list[int]:
    return list(
        session.exec(
            select(ModerationAction.id)
            .where(
                ModerationAction.state == state,
                or_(
                    col(ModerationAction.next_attempt_at).is_(None),
                    col(ModerationAction.next_attempt_at) <= now,
                ),
            )
            .order_by(col(ModerationAction.id))
            .limit(limit)
        ).all()
    )


def _carry_out(connector: Any, kind: str, raw: dict[str, Any]) -> None:
    if kind == "delete":
        connector.delete(raw)
        return
    # Kinds other connectors add (ban, hold…) are methods of the same name.
    method = getattr(connector, kind, None)
    if method is None:
        raise UnsupportedAction(f"{connector.platform} cannot {kind}")
    method(raw)


def _still_there(connector: Any, kind: str, raw: dict[str, Any]) -> bool:
    """Whether the action still has to be done (False: the platform shows it done)."""
    if kind == "delete":
        return bool(connector.comment_exists(raw))
    check = getattr(connector, f"{kind}_pending", None)
    if check is None:
        raise UnsupportedAction(f"{connector.platform} cannot check {kind}")
    return bool(check(raw))


def _recover(session: Session, now: datetime) -> None:
    """An action cut off mid-way (worker died) may have reached the platform: check it."""
    for action in session.exec(
        select(ModerationAction).where(
            ModerationAction.state == "sending",
            col(ModerationAction.started_at) < now - STALE_SENDING,
        )
    ).all():
        moderation_actions.settle(
            session, action, "unknown", now, note="Interrompu : vérification", retry_at=now
        )


def run_due(engine: Engine, box: SecretsBox, now: datetime | None = None, limit: int = 50) -> int:
    """Check unknown outcomes, then carry out queued actions. Returns how many were done."""
    now = now or utcnow()
    done = 0
    with Session(engine, expire_on_commit=False) as session:
        _recover(session, now)
        for action_id in _due(session, "unknown", now, limit):
            done += _check(session, action_id, box, now)
        for action_id in _due(session, "queued", now, limit):
            if moderation_actions.claim(session, action_id, now):
                done += _send(session, action_id, box, now)
    return done


def _context(
    session: Session, action_id: int
) -> tuple[ModerationAction, Mention, ConnectorAccount]:
    action = session.get(ModerationAction, action_id)
    assert action is not None
    session.refresh(action)
    mention = session.get(Mention, action.mention_id)
    assert mention is not None
    account = session.get(ConnectorAccount, mention.account_id)
    assert account is not None
    return action, mention, account


def _send(session: Session, action_id: int, box: SecretsBox, now: datetime) -> int:
    action, mention, account = _context(session, action_id)
    settle = moderation_actions.settle
    try:
        with connector_session(session, account, box) as connector:
            _carry_out(connector, action.kind, mention.raw)
    except OutcomeUnknown as exc:
        settle(session, action, "unknown", now, note=exc.message, retry_at=now + FIRST_CHECK_DELAY)
        return 0
    except PermanentError as exc:
        if exc.status == 404 and action.kind == "delete":
            settle(session, action, "done", now, note="Déjà supprimé sur la plateforme.")
            return 1
        settle(session, action, "failed", now, note=exc.message)
        return 0
    except AccountMisconfigured as exc:
        account_holds.flag(session, account, exc.message, now)
        settle(session, action, "queued", now, note=exc.message, retry_at=now + _backoff(3))
        return 0
    except (AuthError, UnsupportedAction) as exc:
        settle(session, action, "failed", now, note=exc.message)
        return 0
    except ConnectorError as exc:
        if action.attempts >= MAX_ATTEMPTS:
            settle(session, action, "failed", now, note=f"Abandon : {exc.message}")
            return 0
        wait = exc.retry_at if isinstance(exc, RateLimited) and exc.retry_at else None
        settle(
            session,
            action,
            "queued",
            now,
            note=exc.message,
            retry_at=wait or now + _backoff(action.attempts),
        )
        return 0
    settle(session, action, "done", now)
    return 1


def _check(session: Session, action_id: int, box: SecretsBox, now: datetime) -> int:
    action, mention, account = _context(session, action_id)
    try:
        with connector_session(session, account, box) as connector:
            pending = _still_there(connector, action.kind, mention.raw)
    except ConnectorError as exc:
        action.checks += 1
        if action.checks >= MAX_CHECKS:
            moderation_actions.settle(
                session,
                action,
                "failed",
                now,
                note=f"Impossible de vérifier sur la plateforme ({exc.message}) : vérifiez-y.",
            )
            return 0
        action.next_attempt_at = now + _backoff(action.checks)
        action.last_error = exc.message[:2000]
        session.add(action)
        session.commit()
        return 0
    if not pending:
        moderation_actions.settle(session, action, "done", now, note="Constaté sur la plateforme.")
        return 1
    moderation_actions.settle(
        session,
        action,
        "queued",
        now,
        note="Pas fait sur la plateforme : nouvel essai.",
        retry_at=now,
    )
    return 0
