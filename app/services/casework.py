"""Casework: triage overrides, notes, hiding and closing, grouping by hand (merge, split).

The queue is in ``queue``, claims in ``claims``, the case page in ``case_view``, replies in
``replies``.

Plain functions with a keyword-only ``session``; the caller commits. Every action writes the
audit trail with the case id so the case's timeline can show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.models import (
    SEVERITIES,
    Author,
    Brand,
    Case,
    Escalation,
    EscalationState,
    Membership,
    Mention,
    Person,
    Reply,
    Triage,
    User,
    utcnow,
)
from app.security.roles import roles_with
from app.services import (
    approvals,
    audit,
    case_states,
    content,
    escalations,
    grouping,
    triage,
    triage_rows,
)
from app.services.answer_clocks import stop_clock
from app.services.case_view import MentionView, case_mentions, decisive_mention
from app.services.claims import (
    CaseworkError,
    ClaimConflict,
    claim_active,
    free,
    lock_to_change,
    snapshot,
    touch,
)


class CaseworkForbidden(CaseworkError):
    """The actor's role on the brand does not allow this action."""


def _decide_from(
    case: Case, ordered: Sequence[tuple[Mention, Triage | triage_rows.TriageRow]]
) -> None:
    """Set the case's decision from its mentions' decisions: the first given, then never less.

    The first pair wins ties (the corrected mention, or the case's decisive one).
    """
    first, row = ordered[0]
    case.severity = row.severity
    case.scenario = row.scenarios[0] if row.scenarios else None
    case.action, case.approver = row.action, row.approver
    case.priority, case.due_at = row.priority, row.due_at
    case.excerpt = first.text[: grouping.EXCERPT_LENGTH]
    case.decision_mention_id = first.id
    for mention, other in ordered[1:]:
        grouping.merge_decision(case, other, mention)


def refold(case: Case, views: Sequence[MentionView]) -> None:
    """Recompute the decision of a case whose mentions changed (merge, split)."""
    decisive = decisive_mention(case, views)
    pairs = [(v.mention, v.triage) for v in views if v.triage is not None]
    if decisive is not None and decisive.triage is not None:
        pairs.sort(key=lambda p: p[0].id != decisive.mention.id)  # stable: posting order after
    if pairs:
        _decide_from(case, pairs)  # type: ignore[arg-type]


DECISION_FIELDS = (
    "severity",
    "scenario",
    "action",
    "approver",
    "priority",
    "due_at",
    "pinned",
    "status",
    "decision_mention_id",
)


def escalate_urgently(
    session: Session,
    case: Case,
    decision: Any,
    now: datetime,
    actor: User | None = None,
    why: str | None = None,
) -> None:
    """The same path as an S4 at ingest: pinned, escalated, brand involved, urgent escalation."""
    case.pinned, case.involved_brand = True, True
    if case.status != case_states.CLOSED:
        case_states.escalate(case)
    session.add(case)
    session.flush()
    escalations.open_urgent_escalation(
        session=session, case=case, decision=decision, now=now, actor=actor, why=why
    )


def _withdraw_urgent(
    session: Session, case: Case, actor: User, reason: str, now: datetime
) -> list[int]:
    """A lead lowered an urgent case: its urgent escalation stops paging, the reason recorded.

    The brand's on-call people are re-alerted until someone acknowledges; a lead who judged
    the alarm false must be able to stop that. The brand reads why in its activity.
    """
    open_urgent = list(
        session.exec(
            select(Escalation).where(
                Escalation.case_id == case.id,
                Escalation.state == "open",
                Escalation.urgency == "urgent",
            )
        )
    )
    for escalation in open_urgent:
        escalations.move_escalation(escalation, EscalationState.HANDLED)
        escalation.answered_at = escalation.answered_at or now
        session.add(escalation)
        stop_clock(session, "escalation", escalation.id, now)
        audit.case_event(
            session=session,
            case=case,
            action="escalation.withdrawn",
            target_type="escalation",
            target_id=escalation.id,
            actor=actor,
            before={"state": "open", "urgency": "urgent"},
            after={"state": "handled"},
            note=reason,
        )
    settle_status(session, case)
    return [e.id for e in open_urgent if e.id is not None]


def is_lead(session: Session, actor: User, brand_id: int) -> bool:
    """Whether the actor is a lead (or an admin) of the brand."""
    return (
        session.exec(
            select(Membership.id).where(
                Membership.user_id == actor.id,
                Membership.brand_id == brand_id,
                col(Membership.role).in_(roles_with("case.lead")),
            )
        ).first()
        is not None
    )


def _is_urgent(severity: str, action: str) -> bool:
    return severity == "S4" or action == "escalate_urgent"


# ---------------------------------------------------------------------------------------------
# Triage override, notes


def override_triage(
    *,
    session: Session,
    case: Case,
    actor: User,
    severity: str,
    scenario: str | None,
    reason: str,
    now: datetime | None = None,
) -> Triage:
    """Correct severity or scenario: the brand's delegation is re-run on the corrected judgement.

    The correction is kept as a triage row on the mention that set the case's decision (the
    playbook review reads it); action, approver, priority, SLA due time and pinning follow it.
    Up to S4 (or an urgent scenario) opens the urgent escalation as ingest does; lowering an
    urgent case takes a lead of the brand. Replies queued but not sent that the new decision
    no longer allows go back to approval.
    """
    now = now or utcnow()
    lock_to_change(session, case, None)  # two corrections at once: one wins, one is told
    reason = reason.strip()
    if severity not in SEVERITIES:
        raise CaseworkError(_l("Choisissez une gravité valide."))
    if not reason:
        raise CaseworkError(
            _l("Indiquez la raison de la correction : elle sert à améliorer le playbook.")
        )
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est clos."))
    scenario = (scenario or "").strip()[:100] or None
    if severity == case.severity and scenario == case.scenario:
        raise CaseworkError(_l("Rien n'a changé : modifiez la gravité ou le scénario."))
    views = case_mentions(session=session, case=case)
    decisive = decisive_mention(case, views) or (views[-1] if views else None)
    if decisive is None:
        raise CaseworkError(_l("Ce cas n'a aucune mention à reclasser."))
    brand = session.get(Brand, case.brand_id)
    author = session.get(Author, decisive.mention.author_id)
    assert brand is not None and author is not None
    person = session.get(Person, author.person_id)
    decision = triage.redecide(
        published=content.published_playbook(session=session, brand_id=case.brand_id),
        brand=brand,
        mention=decisive.mention,
        author=author,
        person=person,
        severity=severity,
        scenario=scenario,
        now=now,
    )
    row = Triage(
        **{
            **decision.values(),
            "source": "override",
            "reason": reason,
            "created_by_id": actor.id,
            "created_at": now,
        }
    )
    others = [(v.mention, v.triage) for v in views if v is not decisive and v.triage is not None]
    was_urgent = _is_urgent(case.severity, case.action)
    decisions: list[Any] = [decision, *(t for _, t in others)]
    urgent = any(_is_urgent(d.severity, d.action) for d in decisions)
    if was_urgent and not urgent and not is_lead(session, actor, case.brand_id):
        raise CaseworkForbidden(
            _l(
                "Seul un superviseur de la marque peut abaisser un cas urgent (S4) : "
                "demandez-lui de corriger le triage."
            )
        )
    before = snapshot(case, *DECISION_FIELDS)
    # The corrected mention first (it keeps the decision on a tie); a more serious mention
    # of the same case still holds the case up, and then sets its decision.
    _decide_from(case, [(decisive.mention, decision), *others])  # type: ignore[list-item]
    session.add(row)
    withdrawn: list[int] = []
    if urgent:
        why = f"Escalade urgente après correction du triage ({case.severity}) : {reason}"
        escalate_urgently(session, case, row, now, actor, why)
    elif was_urgent:
        withdrawn = _withdraw_urgent(session, case, actor, reason, now)
    touch(case, now)
    session.add(case)
    session.flush()
    changed_before, changed_after = audit.changes(before, snapshot(case, *DECISION_FIELDS))
    audit.case_event(
        session=session,
        case=case,
        action="triage.overridden",
        actor=actor,
        before=changed_before,
        after={**changed_after, **({"withdrawn_escalations": withdrawn} if withdrawn else {})},
        note=reason,
    )
    hold_unsent(session, case, actor, now)
    return row


def hold_unsent(session: Session, case: Case, actor: User | None, now: datetime) -> int:
    """Replies not sent yet that the case's decision no longer allows go back to approval.

    A pending reply whose approver is now too low is routed to the higher role.
    """
    held = 0
    for reply in session.exec(
        select(Reply).where(
            Reply.case_id == case.id,
            col(Reply.outbox_state).in_(["queued", "draft"]),
            col(Reply.approval_state).in_(["not_required", "approved", "pending"]),
        )
    ).all():
        needed = approvals.required_approver(case)
        if reply.approval_state == "pending":
            rank = approvals.ROLE_RANK
            if needed and rank[needed] > rank.get(reply.approver_role or "lead", 1):
                before = {"approver_role": reply.approver_role}
                reply.approver_role = needed
                session.add(reply)
                if needed == "brand":
                    case.involved_brand = True
                audit.case_event(
                    session=session,
                    case=case,
                    action="reply.rerouted",
                    target_type="reply",
                    target_id=reply.id,
                    actor=actor,
                    before=before,
                    after={"approver_role": needed},
                )
            continue
        if reply.outbox_state in ("queued", "manual") and approvals.hold_for_approval(
            session=session,
            reply=reply,
            case=case,
            expected=reply.outbox_state,
            actor=actor,
            why=str(_l("Décision du cas corrigée avant l'envoi.")),
            now=now,
        ):
            held += 1
    if (
        held
        and not session.exec(
            select(Reply.id).where(Reply.case_id == case.id, Reply.outbox_state == "sent")
        ).first()
    ):
        case.first_response_at = None  # what was queued never reached the person
        session.add(case)
    return held


def update_notes(*, session: Session, case: Case, person: Person, actor: User, notes: str) -> None:
    """Save the team's notes on a person (shown on every case of theirs)."""
    notes = notes.strip()[:5000]
    if person.notes == notes:
        return
    before = {"notes": person.notes}
    person.notes = notes
    session.add(person)
    audit.case_event(
        session=session,
        case=case,
        action="person.notes_updated",
        target_type="person",
        target_id=person.id,
        actor=actor,
        before=before,
        after={"notes": notes},
    )


# ---------------------------------------------------------------------------------------------
# Hide, spam, close


def hide_mention(*, session: Session, case: Case, mention: Mention, actor: User) -> None:
    """Hide one mention (the worker hides it on the platform where the connector can)."""
    if mention.case_id != case.id:
        raise CaseworkError(_l("Cette mention n'appartient pas à ce cas."))
    if mention.hidden:
        return
    mention.hidden = True
    mention.hide_state = "pending"
    session.add(mention)
    touch(case, utcnow())
    session.add(case)
    audit.case_event(
        session=session,
        case=case,
        action="mention.hidden",
        target_type="mention",
        target_id=mention.id,
        actor=actor,
        before={"hidden": False},
        after={"hidden": True},
    )


def close(
    *,
    session: Session,
    case: Case,
    actor: User,
    note: str = "",
    spam: bool = False,
    now: datetime | None = None,
    seen_version: int | None = None,
) -> None:
    """Close the case (as spam: its mentions are hidden too)."""
    lock_to_change(session, case, seen_version)
    now = now or utcnow()
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est déjà clos."))
    if claim_active(case, now) and case.assignee_id != actor.id:
        raise ClaimConflict(_l("Un autre membre de l'équipe traite déjà ce cas."))
    if spam:
        for view in case_mentions(session=session, case=case):
            if not view.mention.hidden:
                view.mention.hidden = True
                session.add(view.mention)
    before = snapshot(case, "status", "scenario")
    case_states.close(case)
    case.resolved_at = now
    if spam:
        case.scenario = case.scenario or "spam"
    free(case)
    touch(case, now)
    session.add(case)
    audit.case_event(
        session=session,
        case=case,
        action="case.spam" if spam else "case.closed",
        actor=actor,
        before=before,
        after={"status": "closed"},
        note=note or None,
    )


def settle_status(session: Session, case: Case) -> None:
    """Pinned while an urgent escalation is open; escalated only while one is open."""
    session.flush()
    still_open = session.exec(
        select(Escalation).where(Escalation.case_id == case.id, Escalation.state == "open")
    ).all()
    case.pinned = any(e.urgency == "urgent" for e in still_open)
    if case.status == "escalated" and not still_open:
        pending = session.exec(
            select(Reply.id).where(Reply.case_id == case.id, Reply.approval_state == "pending")
        ).first()
        if pending:
            case_states.await_approval(case)
        else:
            case_states.reopen(case)
    session.add(case)
