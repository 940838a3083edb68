"""Carrying out moderation actions on the platforms (hold, reject, publish, ban, delete).

Like replies: nothing is sent twice blindly. A worker claims an action before sending
(`moderation_actions.claim`): two workers, one call. When an attempt's answer was lost
(OutcomeUnknown: the platform stalled after the request), the action is kept pending with
`check_first`; the next round reads the comment's status on the platform and, when it already
is what the action asked (a deleted comment: gone), records the action done without sending
it again. YouTube's actions are idempotent anyway; a Meta delete is not sent twice.
While Meta's usage headers say the account is near its limit (`services/platform_usage.py`),
its actions wait (audited once, with the time they resume) and no attempt is counted.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import Mention, ModerationAction, utcnow
from app.security.secrets_box import SecretsBox
from app.services import account_holds, moderation_actions, platform_usage
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
from connectors.moderation import RESULTING_STATUS, Moderates

#: Give up after this many unknown or transient outcomes in a row.
MAX_ATTEMPTS = 8


def _already_applied(connector: Moderates, raw: dict, action: str) -> bool:
    """Whether the comment already is in the state the action asks for."""
    status = connector.moderation_status(raw)
    if status is None:
        # Not listed any more: rejected (or deleted), which is what reject, ban and delete ask.
        return action in ("reject", "ban", "delete")
    return status == RESULTING_STATUS[action] and action != "ban"


def carry_out(engine: Engine, box: SecretsBox, limit: int = 50) -> int:
    """Send pending moderation actions; returns how many were done this round."""
    done = 0
    with Session(engine, expire_on_commit=False) as session:
        pending = session.exec(
            select(ModerationAction)
            .where(ModerationAction.state == "pending")
            .order_by(col(ModerationAction.id))
            .limit(limit)
        ).all()
        for row in pending:
            account = moderation_actions.account_of(session, row)
            until = platform_usage.deferred_until(account) if account else None
            if until is not None:
                # The platform's usage is near its limit: not even attempted before `until`.
                moderation_actions.defer(session, row, until)
                session.commit()
                continue
            if not moderation_actions.claim(session, row.id, utcnow()):  # type: ignore[arg-type]
                continue  # another worker has it
            session.refresh(row)
            mention = session.get(Mention, row.mention_id)
            if mention is None or account is None:
                continue
            try:
                with connector_session(session, account, box) as connector:
                    if not isinstance(connector, Moderates):
                        raise UnsupportedAction(f"{account.platform} has no moderation actions")
                    reconciled = bool(row.check_first) and _already_applied(
                        connector, mention.raw, row.action
                    )
                    if not reconciled:
                        connector.moderate(mention.raw, row.action)
                moderation_actions.finish(
                    session=session, row=row, state="done", reconciled=reconciled
                )
                done += 1
            except UnsupportedAction as exc:
                moderation_actions.finish(
                    session=session, row=row, state="unsupported", error=exc.message
                )
            except AccountMisconfigured as exc:  # the account's set-up: flag it, keep pending
                account_holds.flag(session, account, exc.message, utcnow())
                moderation_actions.retry_later(row, exc.message)
            except PermanentError as exc:
                # A comment already gone is what a delete asks.
                gone = exc.status == 404 and row.action == "delete"
                moderation_actions.finish(
                    session=session,
                    row=row,
                    state="done" if gone else "failed",
                    error=None if gone else exc.message,
                    reconciled=gone,
                )
                done += int(gone)
            except AuthError as exc:
                moderation_actions.finish(
                    session=session, row=row, state="failed", error=exc.message
                )
            except OutcomeUnknown as exc:
                moderation_actions.retry_later(row, exc.message, check_first=True)
            except RateLimited as exc:  # nothing was done: wait for the time the platform gives
                moderation_actions.retry_later(row, exc.message, counted=False)
            except ConnectorError as exc:  # rate limit, outage: next round
                moderation_actions.retry_later(row, exc.message)
            if row.state == "pending" and row.attempts >= MAX_ATTEMPTS:
                moderation_actions.finish(
                    session=session, row=row, state="failed", error=row.error or "too many tries"
                )
            session.add(row)
            session.commit()
    return done
