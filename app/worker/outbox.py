"""The outbox: each approved reply is posted exactly once, or a person is told.

A send whose outcome is unknown (the platform may have stored the post but its answer was
lost) is never retried blindly: the reply waits in "unknown" and the worker asks the platform
whether our reply is there (`Connector.find_reply`). Found → sent; surely absent → queued
again; cannot tell → checked again later, and after MAX_CHECKS a person is asked to look.
States and allowed moves: app/services/outbox_states.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import Author, Case, ConnectorAccount, Mention, Reply, utcnow
from app.security.secrets_box import CredentialsError, SecretsBox
from app.services import (
    account_holds,
    approvals,
    outbox_states,
    queue_changes,
    reply_variants,
    send_pace,
    worker_errors,
)
from app.services.connector_sessions import (
    build_connector,
    save_rate_limit,
    save_rotated_credentials,
)
from app.worker.outbox_steps import (
    MAX_ATTEMPTS,
    OutboxOutcome,
    _audit,
    _backoff,
    _fail,
    _mark_sent,
    _recover_interrupted,
    _requeue,
    _retry,
    _to_manual,
    _unknown,
)
from connectors import (
    AccountMisconfigured,
    AuthError,
    Connector,
    ConnectorError,
    DuplicateReply,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    RateLimited,
    UnsupportedAction,
)

# Checks of an unknown outcome before a person is asked to look on the platform.
MAX_CHECKS = 8
# While one worker checks a reply, others leave it alone this long.
CHECK_LEASE = timedelta(minutes=2)
# Platforms date posts with their own clock: look a little before our first attempt.
CLOCK_SLACK = timedelta(minutes=5)


def _claim(session: Session, reply_id: int, owner: str, now: datetime) -> bool:
    """queued → sending, atomically: of two racing workers exactly one wins.

    No queue row changes (both states count as sent for its "relance due", case_references):
    no brand's poll wakes, whereas an undeclared statement woke every brand's."""
    result = session.exec(  # type: ignore[call-overload]
        queue_changes.declare(update(Reply), ())
        .where(
            col(Reply.id) == reply_id,
            col(Reply.outbox_state).in_(outbox_states.sources("sending")),
        )
        .values(
            outbox_state="sending",
            sending_owner=owner,
            sending_started_at=now,
            first_attempt_at=func.coalesce(Reply.first_attempt_at, now),
            attempts=Reply.attempts + 1,
        )
    )
    session.commit()
    return bool(result.rowcount == 1)


def _lease_check(session: Session, reply_id: int, now: datetime) -> bool:
    """Take an unknown reply for one check; a racing worker skips it until the lease ends (the
    next attempt's time alone: no queue row shows it)."""
    result = session.exec(  # type: ignore[call-overload]
        queue_changes.declare(update(Reply), ())
        .where(
            col(Reply.id) == reply_id,
            col(Reply.outbox_state) == "unknown",
            or_(col(Reply.next_attempt_at).is_(None), col(Reply.next_attempt_at) <= now),
        )
        .values(next_attempt_at=now + CHECK_LEASE)
    )
    session.commit()
    return bool(result.rowcount == 1)


def _due(session: Session, state: str, now: datetime, limit: int) -> list[int]:
    ids = session.exec(
        select(Reply.id)
        .where(
            Reply.outbox_state == state,
            or_(col(Reply.next_attempt_at).is_(None), col(Reply.next_attempt_at) <= now),
        )
        .order_by(col(Reply.id))
        .limit(limit)
    ).all()
    return [i for i in ids if i is not None]


def send_due(
    engine: Engine,
    box: SecretsBox,
    owner: str,
    now: datetime | None = None,
    limit: int = 50,
    http_timeout: float | None = None,
) -> OutboxOutcome:
    """Settle unknown outcomes first, then post the queued replies whose time has come."""
    now = now or utcnow()
    outcome = OutboxOutcome()
    with Session(engine, expire_on_commit=False) as session:
        _recover_interrupted(session, now)
        for reply_id in _due(session, "unknown", now, limit):
            if _lease_check(session, reply_id, now):
                _check_one(session, reply_id, box, now, outcome, http_timeout)
        queued = _due(session, "queued", now, limit)
        # A wave's reply waits for its account's next slot (shared with other waves and the
        # team's replies through that account, across workers).
        pacer = send_pace.Pacer(session, queued, now)
        for reply_id in queued:
            if pacer.clear(reply_id) and _claim(session, reply_id, owner, now):
                _send_one(session, reply_id, box, now, outcome, http_timeout)
        outcome.paced = pacer.flush()
    return outcome


@dataclass
class _Target:
    account: ConnectorAccount
    outgoing: OutgoingReply


def _target(session: Session, reply: Reply) -> _Target | str:
    """What to post and where, or the code of why it cannot be posted."""
    mention = session.get(Mention, reply.mention_id) if reply.mention_id else None
    if mention is None:
        return "no_mention"
    account = session.get(ConnectorAccount, mention.account_id)
    author = session.get(Author, mention.author_id)
    assert account is not None and author is not None
    return _Target(
        account,
        OutgoingReply(
            text=reply.text,
            in_reply_to_external_id=mention.external_id,
            in_reply_to_raw=mention.raw,
            author_handle=author.handle,
            idempotency_key=f"vigie-reply-{reply.idempotency_key}",
            language=mention.lang,
            visibility=mention.visibility,
            private=reply.kind == "private",
        ),
    )


def _connector(target: _Target, box: SecretsBox, http_timeout: float | None) -> Connector | str:
    """The account's connector, or why it cannot be built (a misconfigured account's detail)."""
    try:
        return build_connector(target.account, box, http_timeout=http_timeout)
    except (ValueError, CredentialsError) as exc:
        return f"Compte « {target.account.label} » mal configuré : {exc}"[:2000]


def _persist_credentials(
    session: Session, target: _Target, connector: Connector, box: SecretsBox
) -> None:
    """Rotated tokens (Bluesky) are stored at once: the old refresh token is already revoked;
    the platform's usage too (Meta's headers: the next writes wait while it is high).

    Runs after the outcome was recorded (and committed), so it commits on its own.
    """
    rotated = save_rotated_credentials(target.account, connector, box)
    if save_rate_limit(target.account, connector) or rotated:
        session.add(target.account)
        session.commit()


def _posted_after(reply: Reply) -> datetime:
    return (reply.first_attempt_at or reply.created_at) - CLOCK_SLACK


def _send_one(
    session: Session,
    reply_id: int,
    box: SecretsBox,
    now: datetime,
    outcome: OutboxOutcome,
    http_timeout: float | None,
) -> None:
    reply = session.get(Reply, reply_id)
    assert reply is not None
    session.refresh(reply)
    if not approvals.may_send(reply):  # delegation of authority: never post an unapproved reply
        case = session.get(Case, reply.case_id)
        if case is not None and approvals.hold_for_approval(
            session=session, reply=reply, case=case, expected="sending", now=now
        ):
            session.commit()  # the case's decision changed since it was queued: back to approval
            return
        _fail(session, reply, "awaiting_approval", now, outcome)
        return
    target = _target(session, reply)
    if isinstance(target, str):
        _fail(session, reply, target, now, outcome)
        return
    connector = _connector(target, box, http_timeout)
    if isinstance(connector, str):
        _fail(session, reply, "account_misconfigured", now, outcome, detail=connector)
        return
    try:
        with connector:
            try:
                posted = connector.post_reply(target.outgoing)
            except DuplicateReply as exc:
                _duplicate(session, reply, connector, target, exc, now, outcome)
                return
    except OutcomeUnknown as exc:
        _unknown(session, reply, exc.message, now, outcome)
        return
    except UnsupportedAction as exc:
        _to_manual(session, reply, exc.message)
        return
    except AccountMisconfigured as exc:  # the account's set-up, not this reply: flag, hold
        account_holds.hold(session, reply, target.account, exc.message, now)
        outcome.retried += 1
        return
    except (PermanentError, AuthError) as exc:
        _fail(
            session, reply, "rejected", now, outcome, detail=f"{type(exc).__name__}: {exc.message}"
        )
        return
    except ConnectorError as exc:
        _retry(session, reply, exc, now, outcome)
        return
    finally:
        _persist_credentials(session, target, connector, box)
    _mark_sent(session, reply, posted, now)
    outcome.sent += 1


def _duplicate(
    session: Session,
    reply: Reply,
    connector: Connector,
    target: _Target,
    exc: DuplicateReply,
    now: datetime,
    outcome: OutboxOutcome,
) -> None:
    """The platform refuses the text as a duplicate: ours got through, or another post of
    ours carries the same text (X refuses it whatever it answered). Look before deciding."""
    try:
        found = connector.find_reply(target.outgoing, posted_after=_posted_after(reply))
    except ConnectorError as check:
        _unknown(session, reply, f"{exc.message}; {check.message}", now, outcome)
        return
    if found is None:
        # Never "sent": the CM sends a variation (one click).
        reply_variants.refuse(session, reply, exc.message, now)
        outcome.failed += 1
        return
    _mark_sent(session, reply, found, now, note=exc.message, action="reply.reconciled")
    outcome.sent += 1
    outcome.reconciled += 1


def _check_one(
    session: Session,
    reply_id: int,
    box: SecretsBox,
    now: datetime,
    outcome: OutboxOutcome,
    http_timeout: float | None,
) -> None:
    """Ask the platform whether a reply whose send outcome is unknown was published."""
    reply = session.get(Reply, reply_id)
    assert reply is not None
    session.refresh(reply)
    target = _target(session, reply)
    if isinstance(target, str):
        _fail(session, reply, target, now, outcome)
        return
    connector = _connector(target, box, http_timeout)
    if isinstance(connector, str):
        _fail(session, reply, "account_misconfigured", now, outcome, detail=connector)
        return
    try:
        with connector:
            found = connector.find_reply(target.outgoing, posted_after=_posted_after(reply))
    except ConnectorError as exc:
        _check_failed(session, reply, exc, now, outcome)
        return
    finally:
        _persist_credentials(session, target, connector, box)
    if found is not None:
        _mark_sent(session, reply, found, now, action="reply.reconciled")
        outcome.sent += 1
        outcome.reconciled += 1
        return
    if reply.attempts >= MAX_ATTEMPTS:
        _fail(session, reply, "gave_up_absent", now, outcome)
        return
    _requeue(
        session,
        reply,
        now + _backoff(reply.attempts),
        "absent_retry",
        "reply.not_published",
        outcome,
    )


def _check_failed(
    session: Session, reply: Reply, exc: ConnectorError, now: datetime, outcome: OutboxOutcome
) -> None:
    reply.checks += 1
    detail = f"{type(exc).__name__}: {exc.message}"
    if reply.checks >= MAX_CHECKS:
        _fail(session, reply, "check_gave_up", now, outcome, detail=detail)
        return
    wait = exc.retry_at - now if isinstance(exc, RateLimited) and exc.retry_at else None
    reply.next_attempt_at = now + (wait or _backoff(reply.checks))
    note = worker_errors.set_error(reply, "unknown_uncheckable", detail)
    session.add(reply)
    _audit(
        session,
        reply,
        action="reply.check_failed",
        note=note,
        after={"checks": reply.checks, "next_check_at": reply.next_attempt_at.isoformat()},
    )
    session.commit()
