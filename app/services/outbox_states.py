"""Where a reply stands on its way to the platform: the outbox states and every allowed move.

The states are listed in `app.models.cases.OUTBOX_STATES`; this module is the one place that
says which moves are allowed and what "published" means (the case's first response is the
moment the platform — or the person who posted by hand — confirms publication).

    draft ──► queued ──► sending ──► sent
      │  ▲       ▲          │ ├──► unknown ──► sent  (found on the platform)
      │  │       │          │ │       ├──► queued   (surely absent: sent again)
      │  │       │          │ │       └──► failed   (could not tell after many checks)
      │  │       └──────────┘ └──► failed ──► queued (a person checked)
      ├──► manual ──► sent    (the channel cannot post: copied by hand, then confirmed)
      └──► cancelled
    sending ──► refused ──► queued  (duplicate content, not found on the platform: the CM
                                     sends a variation, app/services/reply_variants.py)
    queued, sending (before the post), manual ──► draft  (held: the case's decision changed
                                                         and now needs an approval)
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col

from app.models import OUTBOX_STATES, Case, ConnectorAccount, Mention, Reply, User
from app.services import audit, case_states, queue_changes

ALLOWED: dict[str, frozenset[str]] = {
    "draft": frozenset({"queued", "manual", "cancelled"}),
    # → draft: held back for approval when a correction or a more serious mention changed the
    # case's decision before the reply left (the worker holds it before posting, never after).
    "queued": frozenset({"sending", "manual", "draft"}),
    # sending → queued: a failure before anything reached the platform (rate limit, refused
    # connection). sending → unknown: it may have reached it.
    "sending": frozenset({"sent", "queued", "unknown", "failed", "manual", "draft", "refused"}),
    "unknown": frozenset({"sent", "queued", "failed"}),
    "failed": frozenset({"queued"}),
    # Refused as a duplicate of a recent post: only a variation of the text goes out again.
    "refused": frozenset({"queued"}),
    "manual": frozenset({"sent", "draft"}),
    "sent": frozenset(),
    "cancelled": frozenset(),
}
assert set(ALLOWED) == set(OUTBOX_STATES), "every outbox state needs its row"


class OutboxStateError(ValueError):
    """A move the outbox does not allow (a bug, or a race another worker won)."""


class ManualPublishError(ValueError):
    """The reply cannot be marked as published by hand; the message says why."""


def sources(target: str) -> tuple[str, ...]:
    """The states a reply may move to `target` from (for atomic UPDATE … WHERE state IN …)."""
    return tuple(state for state, targets in ALLOWED.items() if target in targets)


def move(reply: Reply, target: str) -> None:
    """Move the reply to `target`, refusing any move the table does not allow."""
    if target not in ALLOWED.get(reply.outbox_state, frozenset()):
        raise OutboxStateError(f"reply {reply.id}: {reply.outbox_state} → {target} not allowed")
    reply.outbox_state = target


def hold_back(*, session: Session, reply: Reply, expected: str, approver_role: str) -> bool:
    """Atomically send an unsent reply back to approval, only from the state `expected`.

    A worker that took the reply meanwhile wins: the send is then its to finish. True when held.
    """
    if "draft" not in ALLOWED.get(expected, frozenset()):
        raise OutboxStateError(f"reply {reply.id}: {expected} → draft not allowed")
    held = session.exec(  # type: ignore[call-overload]
        queue_changes.declare(update(Reply), [reply.brand_id])
        .where(col(Reply.id) == reply.id, col(Reply.outbox_state) == expected)
        .values(
            approval_state="pending",
            approver_role=approver_role,
            approved_by_id=None,
            approved_at=None,
            outbox_state="draft",
            next_attempt_at=None,
            sending_owner=None,
            sending_started_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    if held.rowcount != 1:
        return False
    session.refresh(reply)
    return True


def account_of(session: Session, reply: Reply) -> ConnectorAccount | None:
    """The connector account the reply goes out through (that of the mention it answers)."""
    mention = session.get(Mention, reply.mention_id) if reply.mention_id else None
    return session.get(ConnectorAccount, mention.account_id) if mention else None


def posts_by_hand(account: ConnectorAccount | None) -> bool:
    """A webhook channel without a reply URL cannot post: a person copies the reply."""
    return (
        account is not None
        and account.platform == "webhook"
        and not (account.options or {}).get("reply_url")
    )


def release(*, session: Session, reply: Reply, now: datetime) -> None:
    """A reply cleared to go out leaves: queued for the worker, or to copy by hand."""
    if posts_by_hand(account_of(session, reply)):
        move(reply, "manual")
        reply.next_attempt_at = None
    else:
        move(reply, "queued")
        reply.next_attempt_at = now
    session.add(reply)


def queue_again(reply: Reply, now: datetime) -> None:
    """A person sends a stopped reply again (a failed one, a refused duplicate's variant): a
    fresh attempt, with nothing left of the previous one's checks or owner."""
    move(reply, "queued")
    reply.next_attempt_at = now
    reply.checks = 0
    reply.sending_owner = None
    reply.sending_started_at = None


def stamp_published(
    session: Session, reply: Reply, external_id: str | None, url: str | None, now: datetime
) -> Case | None:
    """Stamp a reply just moved to sent, and its case: the case's first response time is set
    here and nowhere else (``replies.mark_sent`` for the worker, by hand below)."""
    reply.external_id, reply.external_url, reply.sent_at = external_id, url, now
    reply.last_error = reply.last_error_code = None
    reply.next_attempt_at = None
    session.add(reply)
    case = session.get(Case, reply.case_id)
    # An automatic acknowledgement (dm_ack) is not an answer: the case stays to be answered.
    if case is not None and reply.kind != "ack":
        if case.first_response_at is None:
            case.first_response_at = now
        case.last_activity_at = now
        if case.status in ("open", "pending_approval"):
            case_states.await_person(case)
        session.add(case)
    return case


def mark_published_by_hand(
    *, session: Session, case: Case, reply: Reply, actor: User, url: str = "", now: datetime
) -> None:
    """A person posted a reply the channel cannot send and says so: it counts from now."""
    if reply.case_id != case.id:
        raise ManualPublishError(_l("Cette réponse n'appartient pas à ce cas."))
    url = url.strip()
    if url and not url.startswith(("https://", "http://")):
        raise ManualPublishError(_l("Le lien doit commencer par https:// ou http://."))
    # Compare-and-set: of two people confirming at once, exactly one moves it.
    assert "manual" in sources("sent")
    flipped = session.exec(  # type: ignore[call-overload]
        queue_changes.declare(update(Reply), [reply.brand_id])
        .where(col(Reply.id) == reply.id, col(Reply.outbox_state) == "manual")
        .values(outbox_state="sent")
    )
    if flipped.rowcount != 1:
        raise ManualPublishError(_l("Cette réponse n'est pas à publier à la main."))
    session.refresh(reply)
    stamp_published(session, reply, None, url[:1000] or None, now)
    audit.case_event(
        session=session,
        case=case,
        action="reply.published_by_hand",
        target_type="reply",
        target_id=reply.id,
        actor=actor,
        before={"outbox_state": "manual"},
        after={"outbox_state": "sent", "url": reply.external_url},
    )
