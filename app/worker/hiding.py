"""Carrying out hides on the platforms (a reviewer's "hide" or a playbook's `hide` action).

While the platform's usage headers say the account is near its limit (Meta:
`services/platform_usage.py`), its hides wait with the time they resume; a rate-limit refusal
leaves the hide pending, tried again once the time Meta gives has passed.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import ConnectorAccount, Mention, utcnow
from app.security.secrets_box import SecretsBox
from app.services import account_holds, audit, platform_usage
from app.services.connector_sessions import connector_session
from connectors import (
    AccountMisconfigured,
    AuthError,
    ConnectorError,
    PermanentError,
    UnsupportedAction,
)


def sync_hidden(engine: Engine, box: SecretsBox, limit: int = 50) -> int:
    """Hide pending mentions on their platform; a transient failure is retried next round."""
    done = 0
    with Session(engine, expire_on_commit=False) as session:
        pending = session.exec(
            select(Mention)
            .where(Mention.hide_state == "pending")
            .order_by(col(Mention.id))
            .limit(limit)
        ).all()
        for mention in pending:
            account = session.get(ConnectorAccount, mention.account_id)
            assert account is not None
            until = platform_usage.deferred_until(account)
            if until is not None:  # near the platform's limit: not attempted before `until`
                mention.hide_error = f"reporté jusqu'à {until.isoformat(timespec='minutes')}"
                session.add(mention)
                session.commit()
                continue
            try:
                with connector_session(session, account, box) as connector:
                    connector.hide(mention.raw, hidden=mention.hidden)
                mention.hide_state, mention.hide_error = "done", None
                done += 1
            except UnsupportedAction as exc:
                mention.hide_state, mention.hide_error = "unsupported", exc.message
            except AccountMisconfigured as exc:  # the account's set-up: flag it, keep pending
                account_holds.flag(session, account, exc.message, utcnow())
                mention.hide_error = exc.message
            except (AuthError, PermanentError) as exc:
                mention.hide_state, mention.hide_error = "failed", exc.message
            except ConnectorError as exc:
                mention.hide_error = exc.message  # stays pending: tried again next round
            session.add(mention)
            if mention.hide_state != "pending":
                audit.case_event(
                    session=session,
                    case=audit.case_of(mention),
                    action="mention.hide_synced",
                    target_type="mention",
                    target_id=mention.id,
                    actor_label="worker",
                    after={"hide_state": mention.hide_state},
                    note=mention.hide_error,
                )
            session.commit()
    return done
