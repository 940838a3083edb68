"""The answer clocks of approvals and escalations, and the acknowledgement links.

A clock starts when the worker first sees a pending approval or an open escalation: the
approvers are told (an urgent escalation goes through ``services.alerts``: owners, leads, CMs on
shift and on-call contacts, on every channel, with an acknowledgement link, repeated until
someone acknowledges). When the deadline lapses the clock reminds, then widens the circle step
by step: the brand's next owners in the fallback chain, then the agency leads when the brand
allows it. Settings are in ``answer_settings``.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.models import AnswerClock, Brand, Case, Escalation, Reply, User, utcnow
from app.security.secrets_box import token_digest
from app.services import alerts, audit, notifications
from app.services.alerts import AlertContext
from app.services.answer_settings import ClockSettings, clock_settings


def _owner_tiers(session: Session, brand_id: int, settings: ClockSettings) -> list[list[int]]:
    """Brand owners in fallback order: the first of the chain, then the next ones one by one.

    Without a chain every owner is in the first tier. Owners not in the chain come last.
    """
    owners = notifications.users_with_role(session=session, brand_id=brand_id, role="brand_owner")
    chain = [u for u in settings.owner_chain if u in owners]
    if not chain:
        return [owners] if owners else []
    rest = [u for u in owners if u not in chain]
    tiers = [[u] for u in chain]
    if rest:
        tiers.append(rest)
    return tiers


def tiers_for(
    session: Session, brand_id: int, approver_role: str, settings: ClockSettings
) -> list[list[int]]:
    """Who is asked at each stage of the clock, in order."""
    leads = notifications.users_with_role(session=session, brand_id=brand_id, role="lead")
    if approver_role == "lead":
        return [leads] if leads else []
    tiers = _owner_tiers(session, brand_id, settings)
    if settings.lead_fallback and leads:
        tiers.append(leads)
    return tiers


def lead_fallback_reached(
    session: Session, brand: Brand, target_type: str, target_id: int | None
) -> bool:
    """Whether the brand let its agency leads stand in, and the clock has reached them."""
    settings = clock_settings(brand)
    if not settings.lead_fallback or target_id is None:
        return False
    clock = _clock(session, target_type, target_id)
    if clock is None:
        return False
    owner_stages = len(_owner_tiers(session, brand.id or 0, settings))
    return clock.stage >= owner_stages


def _clock(session: Session, target_type: str, target_id: int) -> AnswerClock | None:
    return session.exec(
        select(AnswerClock).where(
            AnswerClock.target_type == target_type, AnswerClock.target_id == target_id
        )
    ).first()


def stop_clock(session: Session, target_type: str, target_id: int | None, now: datetime) -> None:
    """The answer came: no more reminders for this approval or escalation."""
    if target_id is None:
        return
    clock = _clock(session, target_type, target_id)
    if clock is not None and clock.stopped_at is None:
        clock.stopped_at = now
        session.add(clock)


def ack_token(secret_key: str, escalation: Escalation) -> str:
    """The escalation's acknowledgement token, derived from the app secret (never stored)."""
    message = f"ack:{escalation.id}:{escalation.created_at.isoformat()}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def find_by_ack_token(session: Session, token: str) -> Escalation | None:
    """The escalation an acknowledgement link points to (by the token's stored hash)."""
    if not token or len(token) > 128:
        return None
    return session.exec(
        select(Escalation).where(Escalation.ack_token_hash == token_digest(token))
    ).first()


def acknowledge(
    *,
    session: Session,
    escalation: Escalation,
    via: str,
    actor: User | None = None,
    now: datetime | None = None,
) -> bool:
    """Someone has seen the alert: re-notification stops. False if already done."""
    return alerts.acknowledge(session=session, escalation=escalation, actor=actor, via=via, now=now)


@dataclass
class ClockReport:
    started: int = 0
    reminders: int = 0
    fallbacks: int = 0
    alerts: int = 0
    stopped: int = 0


def tick(*, session: Session, ctx: AlertContext, now: datetime | None = None) -> ClockReport:
    """Start clocks on new approvals and escalations, then remind and widen the overdue ones."""
    now = now or utcnow()
    report = ClockReport()
    _start_new(session, ctx, now, report)
    due = session.exec(
        select(AnswerClock)
        .where(col(AnswerClock.stopped_at).is_(None), AnswerClock.deadline_at <= now)
        .order_by(col(AnswerClock.deadline_at))
    ).all()
    for clock in due:
        _advance(session, ctx, clock, now, report)
    return report


def _start_new(session: Session, ctx: AlertContext, now: datetime, report: ClockReport) -> None:
    started = select(AnswerClock.target_id)
    replies = session.exec(
        select(Reply).where(
            Reply.approval_state == "pending",
            col(Reply.id).not_in(started.where(AnswerClock.target_type == "reply")),
        )
    ).all()
    for reply in replies:
        _start_reply_clock(session, reply, now)
        report.started += 1
    # A reply sent back to approval (held after a correction) is waiting again: its old clock,
    # stopped when it was approved, starts over from now.
    stopped = session.exec(
        select(Reply, AnswerClock)
        .join(
            AnswerClock,
            (col(AnswerClock.target_type) == "reply") & (col(AnswerClock.target_id) == Reply.id),
        )
        .where(Reply.approval_state == "pending", col(AnswerClock.stopped_at).is_not(None))
    ).all()
    for reply, clock in stopped:
        session.delete(clock)
        session.flush()
        reply.approval_deadline_at = None
        _start_reply_clock(session, reply, now, since=now)
        report.started += 1
    escalations = session.exec(
        select(Escalation).where(
            Escalation.state == "open",
            col(Escalation.id).not_in(started.where(AnswerClock.target_type == "escalation")),
        )
    ).all()
    for escalation in escalations:
        _start_escalation_clock(session, ctx, escalation, now, report)
        report.started += 1


def _start_reply_clock(
    session: Session, reply: Reply, now: datetime, since: datetime | None = None
) -> None:
    brand = session.get(Brand, reply.brand_id)
    assert brand is not None
    settings = clock_settings(brand)
    role = reply.approver_role or "lead"
    deadline = reply.approval_deadline_at or (since or reply.created_at) + timedelta(
        minutes=settings.approval_minutes
    )
    reply.approval_deadline_at = deadline
    session.add(reply)
    session.add(
        AnswerClock(
            brand_id=reply.brand_id,
            case_id=reply.case_id,
            target_type="reply",
            target_id=reply.id,  # type: ignore[arg-type]
            started_at=now,
            deadline_at=deadline,
        )
    )
    tiers = tiers_for(session, reply.brand_id, role, settings)
    notifications.notify(
        session=session,
        # The author cannot approve their own reply: asking them would only mislead.
        user_ids=[u for u in (tiers[0] if tiers else []) if u != reply.author_user_id],
        brand_id=reply.brand_id,
        kind="approval_requested",
        params={"id": reply.case_id},
        link=approval_link(reply),
    )


def approval_link(reply: Reply) -> str:
    """Where an approver acts on a reply: the portal for brands, the approvals page for leads."""
    if reply.approver_role == "brand":
        return f"/portal?brand={reply.brand_id}#reply-{reply.id}"
    return f"/approvals#reply-{reply.id}"


def _start_escalation_clock(
    session: Session,
    ctx: AlertContext,
    escalation: Escalation,
    now: datetime,
    report: ClockReport,
) -> None:
    brand = session.get(Brand, escalation.brand_id)
    assert brand is not None
    settings = clock_settings(brand)
    deadline = escalation.created_at + timedelta(
        minutes=settings.answer_minutes("escalation", escalation.urgency)
    )
    escalation.deadline_at = deadline
    session.add(escalation)
    session.add(
        AnswerClock(
            brand_id=escalation.brand_id,
            case_id=escalation.case_id,
            target_type="escalation",
            target_id=escalation.id,  # type: ignore[arg-type]
            urgency=escalation.urgency,
            started_at=now,
            deadline_at=deadline,
        )
    )
    if escalation.urgency == "urgent":
        # Every owner, the leads and the CMs on shift at once, on every channel; and the case
        # stays on top of the agency's queues while the brand handles it.
        case = session.get(Case, escalation.case_id)
        if case is not None and not case.pinned:
            case.pinned = True
            session.add(case)
        report.alerts += _alert_on_call(session, ctx, brand, settings, escalation, now, round_no=0)
        return
    tiers = tiers_for(session, escalation.brand_id, "brand", settings)
    notifications.notify(
        session=session,
        user_ids=tiers[0] if tiers else [],
        brand_id=escalation.brand_id,
        kind="escalation_opened",
        params={"id": escalation.case_id},
        link=f"/portal?brand={escalation.brand_id}#escalation-{escalation.id}",
    )


def _alert_on_call(
    session: Session,
    ctx: AlertContext,
    brand: Brand,
    settings: ClockSettings,
    escalation: Escalation,
    now: datetime,
    *,
    round_no: int,
) -> int:
    """Alert everyone on call for an urgent escalation; returns deliveries outside the console."""
    token = ack_token(ctx.secret_key, escalation)
    escalation.ack_token_hash = token_digest(token)
    session.add(escalation)
    outcome = alerts.send(
        session=session,
        ctx=ctx,
        brand=brand,
        settings=settings,
        escalation=escalation,
        ack_url=f"{ctx.public_url.rstrip('/')}/ack/{token}",
        round_no=round_no,
        now=now,
    )
    return outcome.external


def _target_still_waiting(session: Session, clock: AnswerClock) -> Reply | Escalation | None:
    if clock.target_type == "reply":
        reply = session.get(Reply, clock.target_id)
        return reply if reply is not None and reply.approval_state == "pending" else None
    escalation = session.get(Escalation, clock.target_id)
    return escalation if escalation is not None and escalation.state == "open" else None


def _advance(
    session: Session, ctx: AlertContext, clock: AnswerClock, now: datetime, report: ClockReport
) -> None:
    target = _target_still_waiting(session, clock)
    if target is None:
        clock.stopped_at = now
        session.add(clock)
        report.stopped += 1
        return
    brand = session.get(Brand, clock.brand_id)
    assert brand is not None
    settings = clock_settings(brand)
    every = settings.remind_every(clock.urgency)
    if clock.last_reminded_at is not None and now - clock.last_reminded_at < every:
        return
    role = (target.approver_role or "lead") if isinstance(target, Reply) else "brand"
    tiers = tiers_for(session, clock.brand_id, role, settings)
    widened = clock.stage + 1 < len(tiers)
    if widened:
        clock.stage += 1
    clock.reminders += 1
    clock.last_reminded_at = now
    session.add(clock)
    asked = [u for tier in tiers[: clock.stage + 1] for u in tier]
    if isinstance(target, Reply):
        asked = [u for u in asked if u != target.author_user_id]  # never their own approver
    notifications.notify(
        session=session,
        user_ids=asked,
        brand_id=clock.brand_id,
        kind="fallback" if widened else "reminder",
        params={"what": clock.target_type, "id": clock.case_id},
        link=approval_link(target)
        if isinstance(target, Reply)
        else f"/portal?brand={clock.brand_id}#escalation-{clock.target_id}",
    )
    report.reminders += 1
    if widened:
        report.fallbacks += 1
    audit.case_event(
        session=session,
        case=audit.case_of(clock),
        action="clock.fallback" if widened else "clock.reminder",
        target_type=clock.target_type,
        target_id=clock.target_id,
        actor_label="worker",
        after={"stage": clock.stage, "reminders": clock.reminders, "notified": asked},
    )
    if isinstance(target, Escalation):
        target.reminder_count = clock.reminders
        target.last_reminded_at = now
        session.add(target)
        if target.urgency == "urgent" and target.acknowledged_at is None:
            report.alerts += _alert_on_call(
                session, ctx, brand, settings, target, now, round_no=clock.reminders
            )
