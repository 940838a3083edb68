"""The brand's side of escalations: asking, the urgent escalation, answering and handling
(their clocks: ``answer_clocks``).

Settings live on ``Brand.settings["portal"]`` with the defaults below. A clock starts when the
worker first sees a pending approval or an open escalation: the approvers are told (an urgent
escalation goes through ``services.alerts``: owners, leads, CMs on shift and on-call contacts,
on every channel, with an acknowledgement link, repeated until someone acknowledges). When
the deadline lapses the clock reminds, then widens the circle step by step: the brand's next
owners in the fallback chain, then the agency leads when the brand allows it.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from app.models import Brand, Case, Escalation, EscalationState, Reply, User, utcnow
from app.security.access import BrandScope
from app.services import audit, bulk, case_states, notifications, outbox_states, public_text
from app.services.answer_clocks import lead_fallback_reached, stop_clock
from app.services.case_locks import lock_case
from app.services.claims import CaseworkError, claim, free, lock_to_change, snapshot, touch

ANSWER_KINDS = ("instructions", "reply")


# An escalation is answered by the brand (instructions or its own reply), then handled; or
# handled at once (the brand closes it, or a lead withdraws an urgent one).
ESCALATION_MOVES: dict[EscalationState, frozenset[EscalationState]] = {
    EscalationState.OPEN: frozenset({EscalationState.ANSWERED, EscalationState.HANDLED}),
    EscalationState.ANSWERED: frozenset({EscalationState.HANDLED}),
    EscalationState.HANDLED: frozenset(),
}


def move_escalation(escalation: Escalation, target: EscalationState) -> None:
    """Move an escalation as the table allows (staying put changes nothing)."""
    current = EscalationState(escalation.state)
    if current != target and target not in ESCALATION_MOVES[current]:
        raise ValueError(f"escalation {escalation.id}: {current} → {target} not allowed")
    escalation.state = target.value


class EscalationError(Exception):
    """An action on an escalation that cannot be taken now; the message says why."""


class AnswerForbidden(EscalationError):
    """The actor may not answer for this brand."""


# ---------------------------------------------------------------------------------------------
# Who answers


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
    move_escalation(escalation, EscalationState.ANSWERED)
    escalation.answer_text, escalation.answer_kind = text, kind
    escalation.answered_by_id, escalation.answered_at = actor.id, now
    escalation.acknowledged_at = escalation.acknowledged_at or now
    session.add(escalation)
    case_before = {"status": case.status, "pinned": case.pinned}
    # Back to the agency: with instructions to act on, or to watch the brand's reply go out.
    case_states.reopen(case)
    case.pinned = False
    case.last_activity_at = now
    session.add(case)
    stop_clock(session, "escalation", escalation.id, now)
    audit.case_event(
        session=session,
        case=case,
        action="escalation.answered",
        target_type="escalation",
        target_id=escalation.id,
        actor=actor,
        before={**before, **case_before},
        after={"state": "answered", "kind": kind, "status": case.status, "pinned": False},
        note=text,
    )
    _tell_requester(
        session,
        escalation,
        case,
        variant="answered",
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
    audit.case_event(
        session=session,
        case=case,
        action="reply.queued",
        target_type="reply",
        target_id=reply.id,
        actor=actor,
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
    move_escalation(escalation, EscalationState.HANDLED)
    escalation.answered_by_id = escalation.answered_by_id or actor.id
    escalation.answered_at = escalation.answered_at or now
    escalation.acknowledged_at = escalation.acknowledged_at or now
    session.add(escalation)
    if case.status == case_states.ESCALATED:
        case_states.reopen(case)
    case.pinned = False
    case.last_activity_at = now
    session.add(case)
    stop_clock(session, "escalation", escalation.id, now)
    audit.case_event(
        session=session,
        case=case,
        action="escalation.handled",
        target_type="escalation",
        target_id=escalation.id,
        actor=actor,
        before=before,
        after={"state": "handled", "status": case.status},
        note=note.strip() or None,
    )
    _tell_requester(
        session,
        escalation,
        case,
        variant="handled",
    )


def _tell_requester(session: Session, escalation: Escalation, case: Case, *, variant: str) -> None:
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
        kind="escalation_answered",
        params={"variant": variant, "id": case.id},
        link=f"/cases/{case.id}",
    )


def escalate(
    *,
    session: Session,
    case: Case,
    actor: User,
    reason: str,
    urgent: bool = False,
    now: datetime | None = None,
    seen_version: int | None = None,
) -> Escalation:
    """Hand the case to the brand with a reason; it waits for their answer."""
    lock_to_change(session, case, seen_version)
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        raise CaseworkError(_l("Expliquez à la marque pourquoi vous escaladez."))
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est clos."))
    claim(session=session, case=case, actor=actor, now=now)
    deadline = now + timedelta(minutes=15 if urgent else 120)
    escalation = Escalation(
        brand_id=case.brand_id,
        case_id=case.id,  # type: ignore[arg-type]
        reason=reason,
        urgency="urgent" if urgent else "normal",
        requested_by_id=actor.id,
        deadline_at=deadline,
    )
    session.add(escalation)
    before = snapshot(case, "status", "involved_brand")
    case_states.escalate(case)
    case.involved_brand = True
    free(case)
    touch(case, now)
    session.add(case)
    session.flush()
    audit.case_event(
        session=session,
        case=case,
        action="case.escalated",
        target_type="escalation",
        target_id=escalation.id,
        actor=actor,
        before=before,
        after={"status": "escalated", "urgency": escalation.urgency},
        note=reason,
    )
    return escalation


class UrgentDecision(Protocol):
    """What the urgent escalation reads of a decision (a `triage_rows.TriageRow` or a `Triage`)."""

    severity: str
    evidence: list[dict[str, Any]]


def open_urgent_escalation(
    *,
    session: Session,
    case: Any,  # a Case, or grouping's new case row before it is loaded
    decision: UrgentDecision,
    now: datetime,
    actor: User | None = None,
    why: str | None = None,
) -> Escalation:
    """The urgent escalation of an S4 / escalate_urgent case (one open at a time per case).

    Ingest and a reviewer's correction both open it here. A normal escalation already open
    (a CM asked the brand something) does not stand in for it: the on-call alert must go out.
    """
    existing = session.exec(
        select(Escalation).where(
            Escalation.case_id == case.id,
            Escalation.state == "open",
            Escalation.urgency == "urgent",
        )
    ).first()
    if existing is not None:
        return existing
    escalation = _urgent(case, why or _automatic_reason(decision), now)
    escalation.requested_by_id = actor.id if actor else None
    session.add(escalation)
    session.flush()
    audit.case_event(
        session=session,
        case=case,
        action="escalation.opened",
        target_type="escalation",
        target_id=escalation.id,
        actor=actor,
        actor_label=None if actor else "playbook",
        after={"urgency": "urgent", "reason": escalation.reason},
    )
    return escalation


def open_urgent_escalations(
    *,
    session: Session,
    urgent: Sequence[tuple[Any, UrgentDecision]],
    now: datetime,
    new_case_ids: Collection[int | None] = (),
) -> list[dict[str, Any]]:
    """`open_urgent_escalation` for a batch's urgent cases (ingest, under the brand's lock):
    one SELECT of those already open (none for cases the batch opened), one INSERT. Returns
    their ``escalation.opened`` events, for the batch's ``audit.insert_many``."""
    known = [case.id for case, _ in urgent if case.id not in new_case_ids]
    open_already = set(
        session.exec(
            select(Escalation.case_id).where(
                bulk.one_of(session, Escalation.case_id, known),
                Escalation.state == "open",
                Escalation.urgency == "urgent",
            )
        ).all()
        if known
        else ()
    )
    escalations = [
        _urgent(case, _automatic_reason(decision), now)
        for case, decision in urgent
        if case.id not in open_already
    ]
    ids = bulk.insert_returning_ids(
        session,
        Escalation.__table__,  # type: ignore[attr-defined]
        [e.model_dump(exclude={"id"}) for e in escalations],
    )
    return [
        {
            "brand_id": e.brand_id,
            "case_id": e.case_id,
            "action": "escalation.opened",
            "target_type": "escalation",
            "target_id": escalation_id,
            "actor_label": "playbook",
            "after": {"urgency": "urgent", "reason": e.reason},
        }
        for e, escalation_id in zip(escalations, ids, strict=True)
    ]


def _urgent(case: Any, reason: str, now: datetime) -> Escalation:
    return Escalation(
        brand_id=case.brand_id,
        case_id=case.id,
        urgency="urgent",  # type: ignore[arg-type]
        reason=reason,
        deadline_at=now + timedelta(minutes=15),
    )


def _automatic_reason(decision: UrgentDecision) -> str:
    reasons = "; ".join(e.get("explanation", e.get("rule", "")) for e in decision.evidence[:3])
    return f"Escalade urgente automatique ({decision.severity}) : {reasons}"
