"""The automatic acknowledgement of a private conversation outside business hours (issue 20,
part 5): "Merci pour votre message… nous vous répondrons dès 8 h".

Only where the brand turned it on (``Brand.settings["dm_ack"]``: ``enabled``, ``text``), only
on private messages (Messenger, Instagram direct — never on a public mention), only when the
conversation's case opened while the brand was closed, once per case (the partial unique index
``uq_reply_ack_once``), proofread before it goes (findings: not sent, and the audit says why).
The reply is the brand's own text, so it goes out approved through the outbox like any answer
(Send API, reconciliation after an unknown outcome) and shows in the case's replies.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import Brand, Case, Mention, Reply, utcnow
from app.services import audit, outbox_states, public_text
from app.services.meta_messaging import DM_CHANNELS
from playbooks import hours

DEFAULT_TEXT = (
    "Bonjour, merci pour votre message ! Notre équipe n'est pas disponible pour le moment : "
    "nous vous répondrons dès {quand}."
)
#: A case opened longer ago than this is not acknowledged any more (the person has waited).
FRESH = timedelta(minutes=30)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class AckSettings:
    enabled: bool
    text: str


def settings(brand: Brand) -> AckSettings:
    raw = (brand.settings or {}).get("dm_ack") or {}
    return AckSettings(bool(raw.get("enabled")), str(raw.get("text") or DEFAULT_TEXT))


def _clock(local: datetime) -> str:
    return f"{local.hour} h" if not local.minute else f"{local.hour} h {local.minute:02d}"


def next_opening(brand: Brand, now: datetime) -> datetime | None:
    """When the brand opens next (None when open now or never open)."""
    week = hours.parse_business_hours(brand.business_hours or {})
    if not any(week):
        return None
    tz = hours.zone(brand.timezone)
    if hours.is_open(now.astimezone(tz), week):
        return None
    return hours.add_open_minutes(now, 0, week, tz)


def when_words(brand: Brand, now: datetime, opening: datetime) -> str:
    """'8 h', 'demain 8 h' or 'lundi 9 h 30', in the brand's timezone."""
    tz = hours.zone(brand.timezone)
    local, today = opening.astimezone(tz), now.astimezone(tz).date()
    if local.date() == today:
        return _clock(local)
    if local.date() == today + timedelta(days=1):
        return f"demain {_clock(local)}"
    return f"{WEEKDAYS[local.weekday()]} {_clock(local)}"


def render(brand: Brand, now: datetime) -> str | None:
    """The acknowledgement to send now, or None while the brand is open."""
    opening = next_opening(brand, now)
    if opening is None:
        return None
    return settings(brand).text.replace("{quand}", when_words(brand, now, opening))


def check_text(brand: Brand, text: str) -> str | None:
    """Why the acknowledgement text cannot be used (proofreading findings), or None."""
    if "{quand}" not in text:
        return "Le texte doit contenir {quand} (l'heure de réponse)."
    sample = text.replace("{quand}", "8 h")
    gate = public_text.check(brand=brand, text=sample, language="fr", channel="instagram_dm")
    if gate.problem:
        return gate.message or "La relecture a trouvé des fautes dans le texte."
    return None


def acknowledge_new(engine: Engine, now: datetime | None = None) -> int:
    """Queue the acknowledgement of new conversations opened outside business hours."""
    now = now or utcnow()
    queued = 0
    with Session(engine, expire_on_commit=False) as session:
        brands = [b for b in session.exec(select(Brand)) if settings(b).enabled]
        for brand in brands:
            acked = select(Reply.case_id).where(Reply.kind == "ack")
            cases = session.exec(
                select(Case).where(
                    Case.brand_id == brand.id,
                    col(Case.channel).in_(DM_CHANNELS),
                    Case.status != "closed",
                    col(Case.first_response_at).is_(None),
                    Case.opened_at >= now - FRESH,
                    col(Case.id).not_in(acked),
                )
            ).all()
            for case in cases:
                queued += _acknowledge(session, brand, case, now)
    return queued


def _acknowledge(session: Session, brand: Brand, case: Case, now: datetime) -> int:
    mention = session.exec(
        select(Mention)
        .where(Mention.case_id == case.id, Mention.visibility == "direct")
        .order_by(col(Mention.posted_at).desc())
    ).first()
    if mention is None or (mention.raw or {}).get("kind") != "message":
        return 0  # never on a public mention
    text = render(brand, case.opened_at)
    if text is None:
        return 0  # opened while the brand was open: a person answers
    gate = public_text.check(brand=brand, text=text, language="fr", channel=case.channel)
    if gate.problem:
        audit.case_event(
            session=session,
            action="reply.ack_skipped",
            target_type="case",
            target_id=case.id,
            case=case,
            actor_label="auto",
            note=f"Accusé de réception non envoyé : {gate.message or gate.problem}",
        )
        # Recorded as a cancelled ack so that it is not tried again every round.
        reply = _reply(case, mention, text, gate)
        outbox_states.move(reply, "cancelled")
        return _store(session, reply, case, None)
    reply = _reply(case, mention, text, gate)
    outbox_states.release(session=session, reply=reply, now=now)
    return _store(session, reply, case, text)


def _reply(case: Case, mention: Mention, text: str, gate: public_text.GateResult) -> Reply:
    return Reply(
        brand_id=case.brand_id,
        case_id=case.id,  # type: ignore[arg-type]
        mention_id=mention.id,
        text=text,
        kind="ack",
        # The brand wrote and turned on this text: its own approval.
        approval_state="approved",
        approver_role="brand",
        proofreading=gate.findings_json(),
        idempotency_key=secrets.token_hex(16),
    )


def _store(session: Session, reply: Reply, case: Case, text: str | None) -> int:
    session.add(reply)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # another worker acknowledged it first
        return 0
    if text is not None:
        audit.case_event(
            session=session,
            action="reply.ack_queued",
            target_type="reply",
            target_id=reply.id,
            case=case,
            actor_label="auto",
            after={"text": text},
        )
    session.commit()
    return 1 if text is not None else 0
