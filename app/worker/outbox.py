"""The outbox: each approved reply is posted at most once, retried with back-off, shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import Author, Case, ConnectorAccount, Mention, Reply, utcnow
from app.security.secrets_box import SecretsBox
from app.services import approvals, audit
from app.worker.polling import build_connector
from connectors import (
    AuthError,
    ConnectorError,
    DuplicateReply,
    OutgoingReply,
    PermanentError,
    RateLimited,
)

MAX_ATTEMPTS = 8
# A send that started this long ago and never finished was interrupted (worker died).
STALE_SENDING = timedelta(minutes=5)


@dataclass
class OutboxOutcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _claim(session: Session, reply_id: int, owner: str, now: datetime) -> bool:
    """queued → sending, atomically: of two racing workers exactly one wins."""
    result = session.exec(  # type: ignore[call-overload]
        update(Reply)
        .where(Reply.id == reply_id, Reply.outbox_state == "queued")
        .values(
            outbox_state="sending",
            sending_owner=owner,
            sending_started_at=now,
            attempts=Reply.attempts + 1,
        )
    )
    session.commit()
    return result.rowcount == 1


def send_due(
    engine: Engine, box: SecretsBox, owner: str, now: datetime | None = None, limit: int = 50
) -> OutboxOutcome:
    """Post the queued replies whose time has come."""
    now = now or utcnow()
    outcome = OutboxOutcome()
    with Session(engine, expire_on_commit=False) as session:
        _recover_interrupted(session, now)
        due = session.exec(
            select(Reply.id)
            .where(
                Reply.outbox_state == "queued",
                or_(col(Reply.next_attempt_at).is_(None), Reply.next_attempt_at <= now),
            )
            .order_by(Reply.id)
            .limit(limit)
        ).all()
        for reply_id in due:
            if _claim(session, reply_id, owner, now):
                _send_one(session, reply_id, box, now, outcome)
    return outcome


def _send_one(
    session: Session, reply_id: int, box: SecretsBox, now: datetime, outcome: OutboxOutcome
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
        _fail(session, reply, "Refusé : cette réponse attend une validation.", now, outcome)
        return
    mention = session.get(Mention, reply.mention_id) if reply.mention_id else None
    if mention is None:
        _fail(session, reply, "Aucune mention à laquelle répondre.", now, outcome)
        return
    account = session.get(ConnectorAccount, mention.account_id)
    author = session.get(Author, mention.author_id)
    assert account is not None and author is not None
    outgoing = OutgoingReply(
        text=reply.text,
        in_reply_to_external_id=mention.external_id,
        in_reply_to_raw=mention.raw,
        author_handle=author.handle,
        idempotency_key=f"vigie-reply-{reply.idempotency_key}",
        language=mention.lang,
        visibility=mention.visibility,
    )
    connector = build_connector(account, box)
    try:
        with connector:
            posted = connector.post_reply(outgoing)
    except DuplicateReply as exc:
        # The platform already has it (our earlier attempt got through): count it as sent.
        _mark_sent(session, reply, None, None, now, note=exc.message)
        outcome.sent += 1
        return
    except (PermanentError, AuthError) as exc:
        _fail(session, reply, f"{type(exc).__name__}: {exc.message}", now, outcome)
        return
    except ConnectorError as exc:
        _retry(session, reply, exc, now, outcome)
        return
    finally:
        if connector.updated_credentials is not None:
            account.credentials_encrypted = box.seal(connector.updated_credentials)
            session.add(account)
    _mark_sent(session, reply, posted.external_id, posted.url, now)
    outcome.sent += 1


def _mark_sent(
    session: Session,
    reply: Reply,
    external_id: str | None,
    url: str | None,
    now: datetime,
    note: str | None = None,
) -> None:
    reply.outbox_state = "sent"
    reply.external_id, reply.external_url, reply.sent_at = external_id, url, now
    reply.last_error = None
    session.add(reply)
    case = session.get(Case, reply.case_id)
    if case is not None:
        if case.first_response_at is None:
            case.first_response_at = now
        case.last_activity_at = now
        if case.status in ("open", "pending_approval"):
            case.status = "waiting"
        session.add(case)
    audit.record(
        session=session,
        action="reply.sent",
        target_type="reply",
        target_id=reply.id,
        brand_id=reply.brand_id,
        case_id=reply.case_id,
        actor_label="worker",
        after={"external_id": external_id, "url": url, "attempt": reply.attempts},
        note=note,
    )
    session.commit()


def _retry(
    session: Session, reply: Reply, exc: ConnectorError, now: datetime, outcome: OutboxOutcome
) -> None:
    if reply.attempts >= MAX_ATTEMPTS:
        _fail(
            session, reply, f"Abandon après {reply.attempts} essais : {exc.message}", now, outcome
        )
        return
    wait = timedelta(seconds=min(3600, 15 * 2**reply.attempts))
    reply.outbox_state = "queued"
    reply.next_attempt_at = (
        exc.retry_at if isinstance(exc, RateLimited) and exc.retry_at else now + wait
    )
    reply.last_error = f"{type(exc).__name__}: {exc.message}"[:2000]
    reply.sending_owner = None
    session.add(reply)
    audit.record(
        session=session,
        action="reply.send_retry",
        target_type="reply",
        target_id=reply.id,
        brand_id=reply.brand_id,
        case_id=reply.case_id,
        actor_label="worker",
        note=reply.last_error,
        after={"attempt": reply.attempts, "next_attempt_at": reply.next_attempt_at.isoformat()},
    )
    session.commit()
    outcome.retried += 1


def _fail(
    session: Session, reply: Reply, message: str, now: datetime, outcome: OutboxOutcome
) -> None:
    reply.outbox_state = "failed"
    reply.last_error = message[:2000]
    session.add(reply)
    audit.record(
        session=session,
        action="reply.send_failed",
        target_type="reply",
        target_id=reply.id,
        brand_id=reply.brand_id,
        case_id=reply.case_id,
        actor_label="worker",
        note=reply.last_error,
    )
    session.commit()
    outcome.failed += 1


def _recover_interrupted(session: Session, now: datetime) -> None:
    """A send cut off mid-way may or may not have reached the platform: never re-send blindly."""
    stale = session.exec(
        select(Reply).where(
            Reply.outbox_state == "sending", Reply.sending_started_at < now - STALE_SENDING
        )
    ).all()
    for reply in stale:
        reply.outbox_state = "failed"
        reply.last_error = (
            "Envoi interrompu (worker arrêté pendant l'envoi). Vérifiez sur la "
            "plateforme avant de renvoyer : la réponse a peut-être été publiée."
        )
        session.add(reply)
        audit.record(
            session=session,
            action="reply.send_interrupted",
            target_type="reply",
            target_id=reply.id,
            brand_id=reply.brand_id,
            case_id=reply.case_id,
            actor_label="worker",
            note=reply.last_error,
        )
    if stale:
        session.commit()
