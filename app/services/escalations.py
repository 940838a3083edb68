"""The brand's side of escalations and the answer clocks of approvals and escalations.

Settings live on ``Brand.settings["portal"]`` with the defaults below. A clock starts when the
worker first sees a pending approval or an open escalation: the approvers are told (an urgent
escalation goes through ``services.alerts``: owners, leads, CMs on shift and on-call contacts,
on every channel, with an acknowledgement link, repeated until someone acknowledges). When
the deadline lapses the clock reminds, then widens the circle step by step: the brand's next
owners in the fallback chain, then the agency leads when the brand allows it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, select

from app.models import AnswerClock, Brand, Case, Escalation, Reply, User, utcnow
from app.notify.mail import Mailer
from app.security.access import BrandScope
from app.security.outbound import redact
from app.security.secrets_box import CredentialsError, SecretsBox, token_digest
from app.services import alerts, audit, notifications, outbox_states, public_text
from app.services.case_locks import lock_case

SETTINGS_KEY = "portal"
ANSWER_KINDS = ("instructions", "reply")


class EscalationError(Exception):
    """An action on an escalation that cannot be taken now; the message says why."""


class AnswerForbidden(EscalationError):
    """The actor may not answer for this brand."""


# ---------------------------------------------------------------------------------------------
# Brand settings


@dataclass
class ClockSettings:
    """A brand's deadlines, fallback chain and alert contacts, with the seeds' defaults."""

    approval_minutes: int = 120
    escalation_minutes: dict[str, int] = field(
        default_factory=lambda: {"normal": 240, "urgent": 15}
    )
    # After the deadline, how often the clock reminds (and widens the circle).
    reminder_minutes: dict[str, int] = field(default_factory=lambda: {"normal": 60, "urgent": 5})
    owner_chain: list[int] = field(default_factory=list)  # brand owners' user ids, in order
    lead_fallback: bool = False
    on_call: list[str] = field(default_factory=list)  # e-mail addresses
    webhook_url: str = ""
    webhook_secret_sealed: str = ""
    slack_url: str = ""  # Slack-compatible incoming webhook
    teams_url: str = ""  # Microsoft Teams incoming webhook

    def answer_minutes(self, target_type: str, urgency: str) -> int:
        if target_type == "reply":
            return self.approval_minutes
        return int(self.escalation_minutes.get(urgency, self.escalation_minutes["normal"]))

    def remind_every(self, urgency: str) -> timedelta:
        return timedelta(minutes=int(self.reminder_minutes.get(urgency, 60)))


def clock_settings(brand: Brand) -> ClockSettings:
    """The brand's clock settings, defaults filled in for anything unset or malformed."""
    raw = (brand.settings or {}).get(SETTINGS_KEY) or {}
    base = ClockSettings()
    values: dict[str, Any] = {}
    for name, default in asdict(base).items():
        value = raw.get(name, default)
        if isinstance(default, dict):
            value = {**default, **{k: int(v) for k, v in dict(value).items()}}
        elif isinstance(default, bool):
            value = bool(value)
        elif isinstance(default, int):
            value = int(value)
        values[name] = value
    return ClockSettings(**values)


def save_clock_settings(
    *, session: Session, brand: Brand, actor: User, settings: ClockSettings, box: SecretsBox
) -> None:
    """Store a brand's clock settings and audit the change (the webhook secret never shows)."""
    before = _public_settings(clock_settings(brand))
    data = dict(brand.settings or {})
    data[SETTINGS_KEY] = asdict(settings)
    brand.settings = data
    flag_modified(brand, "settings")
    session.add(brand)
    before_diff, after_diff = audit.changes(before, _public_settings(settings))
    if after_diff:
        audit.record(
            session=session,
            action="brand.alert_settings_changed",
            target_type="brand",
            target_id=brand.id,
            brand_id=brand.id,
            actor=actor,
            before=before_diff,
            after=after_diff,
        )


def _public_settings(settings: ClockSettings) -> dict[str, Any]:
    values = asdict(settings)
    values["webhook_secret_sealed"] = "(défini)" if settings.webhook_secret_sealed else ""
    for name in ("slack_url", "teams_url"):  # the URL is the credential
        values[name] = redact(values[name]) if values[name] else ""
    return values


def seal_webhook_secret(box: SecretsBox, secret: str) -> str:
    """Encrypt a webhook signing secret for storage in the brand settings."""
    return box.seal({"secret": secret})


def webhook_secret(box: SecretsBox, settings: ClockSettings) -> str | None:
    """The brand's webhook signing secret, or None when unset or unreadable."""
    try:
        return box.open(settings.webhook_secret_sealed).get("secret") or None
    except CredentialsError:
        return None


# ---------------------------------------------------------------------------------------------
# Who answers


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


def can_answer(session: Session, escalation: Escalation, scope: BrandScope) -> bool:
    """Brand owners of the brand answer escalations; leads only once the fallback reached them."""
    if scope.can("approve.brand", escalation.brand_id):
        return True
    if not scope.can("approve.lead", escalation.brand_id):
        return False
    brand = session.get(Brand, escalation.brand_id)
    return brand is not None and lead_fallback_reached(session, brand, "escalation", escalation.id)


# ---------------------------------------------------------------------------------------------
# Answering an escalation


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


def answer(
    *,
    session: Session,
    escalation: Escalation,
    actor: User,
    scope: BrandScope,
    text: str,
    kind: str,
    override_reason: str = "",
    now: datetime | None = None,
) -> Reply | None:
    """The brand answers: instructions go back to the agency, a reply text is queued to post.

    Returns the queued Reply when the brand wrote the public reply itself. A public reply passes
    the agency's gate (public_text): findings, or no proofreading, block it unless a reason is
    given. `kind` has no default: a text is published or passed on only as its author chose.
    """
    now = now or utcnow()
    if not can_answer(session, escalation, scope):
        raise AnswerForbidden(
            _l("Seul un responsable de la marque peut répondre à cette escalade.")
        )
    text = text.strip()
    if kind not in ANSWER_KINDS:
        raise EscalationError(_l("Choisissez des consignes ou une réponse à publier."))
    if not text:
        raise EscalationError(_l("La réponse est vide."))
    case = session.get(Case, escalation.case_id)
    assert case is not None
    # Two owners answering at once: the second waits, then finds the escalation answered.
    lock_case(session, case, reload=(escalation,))
    if escalation.state != "open":
        raise EscalationError(_l("Cette escalade a déjà reçu une réponse."))
    reply = None
    if kind == "reply":
        target = public_text.target(session=session, case=case)
        gate = _check_public_text(session, case, target, text, override_reason)
        reply = _brand_reply(session, case, escalation, actor, text, now, target.mention_id)
        reply.proofreading = gate.findings_json()
        if gate.overridden:
            reply.proofreading_override = gate.override_reason[:2000]
        public_text.record_override(session=session, result=gate, reply=reply, actor=actor)
    before = {"state": escalation.state}
    escalation.state = "answered"
    escalation.answer_text, escalation.answer_kind = text, kind
    escalation.answered_by_id, escalation.answered_at = actor.id, now
    escalation.acknowledged_at = escalation.acknowledged_at or now
    session.add(escalation)
    case_before = {"status": case.status, "pinned": case.pinned}
    # Back to the agency: with instructions to act on, or to watch the brand's reply go out.
    case.status = "open"
    case.pinned = False
    case.last_activity_at = now
    session.add(case)
    stop_clock(session, "escalation", escalation.id, now)
    audit.record(
        session=session,
        action="escalation.answered",
        target_type="escalation",
        target_id=escalation.id,
        brand_id=escalation.brand_id,
        actor=actor,
        case_id=case.id,
        before={**before, **case_before},
        after={"state": "answered", "kind": kind, "status": case.status, "pinned": False},
        note=text,
    )
    _tell_requester(
        session,
        escalation,
        case,
        kind="escalation_answered",
        text=str(_l("La marque a répondu à votre escalade (cas n° %(id)s).", id=case.id)),
    )
    return reply


def _check_public_text(
    session: Session, case: Case, target: public_text.Target, text: str, override_reason: str
) -> public_text.GateResult:
    """Spelling, grammar and length of a reply the brand wants published as it is."""
    brand = session.get(Brand, case.brand_id)
    assert brand is not None
    try:
        return public_text.require(
            brand=brand,
            text=text,
            language=target.language,
            channel=target.channel,
            override_reason=override_reason,
        )
    except public_text.PublicTextError as exc:
        raise EscalationError(str(exc)) from exc


def _brand_reply(
    session: Session,
    case: Case,
    escalation: Escalation,
    actor: User,
    text: str,
    now: datetime,
    mention_id: int | None,
) -> Reply:
    """A reply the brand wrote itself: approved by its author, queued for the outbox."""
    reply = Reply(
        brand_id=case.brand_id,
        case_id=case.id,  # type: ignore[arg-type]
        mention_id=mention_id,
        author_user_id=actor.id,
        text=text,
        approval_state="approved",
        approver_role="brand",
        approved_by_id=actor.id,
        approved_at=now,
        idempotency_key=secrets.token_hex(16),
    )
    outbox_states.release(session=session, reply=reply, now=now)
    case.involved_brand = True
    session.flush()
    audit.record(
        session=session,
        action="reply.queued",
        target_type="reply",
        target_id=reply.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        after={"text": text, "source": "brand", "escalation_id": escalation.id},
    )
    return reply


def mark_handled(
    *,
    session: Session,
    escalation: Escalation,
    actor: User,
    scope: BrandScope,
    note: str = "",
    now: datetime | None = None,
) -> None:
    """The brand dealt with it elsewhere (a call, a visit): the escalation is closed."""
    now = now or utcnow()
    if not can_answer(session, escalation, scope):
        raise AnswerForbidden(_l("Seul un responsable de la marque peut clore cette escalade."))
    case = session.get(Case, escalation.case_id)
    assert case is not None
    lock_case(session, case, reload=(escalation,))
    if escalation.state == "handled":
        raise EscalationError(_l("Cette escalade est déjà traitée."))
    before = {"state": escalation.state, "status": case.status}
    escalation.state = "handled"
    escalation.answered_by_id = escalation.answered_by_id or actor.id
    escalation.answered_at = escalation.answered_at or now
    escalation.acknowledged_at = escalation.acknowledged_at or now
    session.add(escalation)
    if case.status == "escalated":
        case.status = "open"
    case.pinned = False
    case.last_activity_at = now
    session.add(case)
    stop_clock(session, "escalation", escalation.id, now)
    audit.record(
        session=session,
        action="escalation.handled",
        target_type="escalation",
        target_id=escalation.id,
        brand_id=escalation.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after={"state": "handled", "status": case.status},
        note=note.strip() or None,
    )
    _tell_requester(
        session,
        escalation,
        case,
        kind="escalation_answered",
        text=str(_l("La marque a traité votre escalade (cas n° %(id)s).", id=case.id)),
    )


def _tell_requester(
    session: Session, escalation: Escalation, case: Case, *, kind: str, text: str
) -> None:
    """The community manager who escalated hears back; without one, the brand's leads do."""
    users = (
        [escalation.requested_by_id]
        if escalation.requested_by_id
        else notifications.users_with_role(session=session, brand_id=case.brand_id, role="lead")
    )
    notifications.notify(
        session=session,
        user_ids=users,
        brand_id=case.brand_id,
        kind=kind,
        text=text,
        link=f"/cases/{case.id}",
    )


# ---------------------------------------------------------------------------------------------
# Acknowledgement links


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


# ---------------------------------------------------------------------------------------------
# The clock (one tick; the worker runs it every few seconds)


@dataclass
class AlertContext:
    """What a tick needs to reach people outside the app."""

    mailer: Mailer
    box: SecretsBox
    secret_key: str
    public_url: str
    http: httpx.Client | None = None
    allow_private_urls: bool = False  # VIGIE_ALLOW_PRIVATE_URLS: loopback hooks (tests, labs)


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
            (AnswerClock.target_type == "reply") & (col(AnswerClock.target_id) == Reply.id),
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
        text=str(_l("Une réponse attend votre validation (cas n° %(id)s).", id=reply.case_id)),
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
        text=str(_l("Nouvelle escalade : cas n° %(id)s.", id=escalation.case_id)),
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
    what = _l("une validation") if clock.target_type == "reply" else _l("une escalade")
    notifications.notify(
        session=session,
        user_ids=asked,
        brand_id=clock.brand_id,
        kind="fallback" if widened else "reminder",
        text=str(
            _l(
                "Relance : %(what)s attend une réponse depuis l'échéance (cas n° %(id)s).",
                what=what,
                id=clock.case_id,
            )
        ),
        link=approval_link(target)
        if isinstance(target, Reply)
        else f"/portal?brand={clock.brand_id}#escalation-{clock.target_id}",
    )
    report.reminders += 1
    if widened:
        report.fallbacks += 1
    audit.record(
        session=session,
        action="clock.fallback" if widened else "clock.reminder",
        target_type=clock.target_type,
        target_id=clock.target_id,
        brand_id=clock.brand_id,
        case_id=clock.case_id,
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


# ---------------------------------------------------------------------------------------------
# What waits for the brand (its owners' home and portal open on it)


@dataclass(frozen=True)
class WaitingItem:
    """An escalation or an approval that waits for a brand owner, as their home lists it."""

    kind: str  # escalation | approval
    brand_id: int
    brand_name: str
    case_id: int
    urgent: bool
    since: datetime
    link: str
    excerpt: str


def waiting_for_owner(*, session: Session, scope: BrandScope, limit: int = 30) -> list[WaitingItem]:
    """Open escalations (urgent first) then pending approvals on the brands the user answers for."""
    from app.services import approvals

    brand_ids = scope.brand_ids("approve.brand")
    if not brand_ids:
        return []
    open_escalations = session.exec(
        select(Escalation)
        .where(col(Escalation.brand_id).in_(brand_ids), Escalation.state == "open")
        .order_by(col(Escalation.urgency).desc(), col(Escalation.created_at))
        .limit(limit)
    ).all()
    replies = approvals.pending(session=session, scope=scope, role="brand")[:limit]
    case_ids = {e.case_id for e in open_escalations} | {r.case_id for r in replies}
    cases = {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(case_ids)))}
    names = {b.id: b.name for b in session.exec(select(Brand).where(col(Brand.id).in_(brand_ids)))}

    def excerpt(case_id: int) -> str:
        case = cases.get(case_id)
        return case.excerpt[:160] if case else ""

    items = [
        WaitingItem(
            kind="escalation",
            brand_id=e.brand_id,
            brand_name=names.get(e.brand_id, ""),
            case_id=e.case_id,
            urgent=e.urgency == "urgent",
            since=e.created_at,
            link=f"/portal?brand={e.brand_id}#escalation-{e.id}",
            excerpt=excerpt(e.case_id),
        )
        for e in open_escalations
    ]
    items += [
        WaitingItem(
            kind="approval",
            brand_id=r.brand_id,
            brand_name=names.get(r.brand_id, ""),
            case_id=r.case_id,
            urgent=False,
            since=r.created_at,
            link=approval_link(r),
            excerpt=excerpt(r.case_id),
        )
        for r in replies
    ]
    return items[:limit]


def most_pressing_brand(*, session: Session, brand_ids: list[int]) -> int | None:
    """The brand whose owner has the most pressing work: urgent escalations, then any waiting."""
    if not brand_ids:
        return None
    escalated = session.exec(
        select(Escalation.brand_id, Escalation.urgency)
        .where(col(Escalation.brand_id).in_(brand_ids), Escalation.state == "open")
        .order_by(col(Escalation.urgency).desc(), col(Escalation.created_at))
        .limit(1)
    ).first()
    if escalated is not None:
        return escalated[0]
    pending = session.exec(
        select(Reply.brand_id)
        .where(
            col(Reply.brand_id).in_(brand_ids),
            Reply.approval_state == "pending",
            Reply.approver_role == "brand",
        )
        .order_by(col(Reply.created_at))
        .limit(1)
    ).first()
    return pending
