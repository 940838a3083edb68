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
    Membership,
    Mention,
    Person,
    Reply,
    Triage,
    User,
    utcnow,
)
from app.security.roles import roles_with
from app.services import approvals, audit, content, escalations, grouping, triage
from app.services.answer_clocks import stop_clock
from app.services.case_view import MentionView, case_mentions, decisive_mention
from app.services.claims import (
    CaseworkError,
    ClaimConflict,
    claim_active,
    lock_to_change,
    snapshot,
    touch,
)


class CaseworkForbidden(CaseworkError):
    """The actor's role on the brand does not allow this action."""


def _decide_from(case: Case, ordered: Sequence[tuple[Mention, Triage | triage.TriageRow]]) -> None:
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


def _refold(case: Case, views: Sequence[MentionView]) -> None:
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


def _escalate_urgently(
    session: Session,
    case: Case,
    decision: Any,
    now: datetime,
    actor: User | None = None,
    why: str | None = None,
) -> None:
    """The same path as an S4 at ingest: pinned, escalated, brand involved, urgent escalation."""
    case.pinned, case.involved_brand = True, True
    if case.status != "closed":
        case.status = "escalated"
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
        escalation.state = "handled"
        escalation.answered_at = escalation.answered_at or now
        session.add(escalation)
        stop_clock(session, "escalation", escalation.id, now)
        audit.record(
            session=session,
            action="escalation.withdrawn",
            target_type="escalation",
            target_id=escalation.id,
            brand_id=case.brand_id,
            actor=actor,
            case_id=case.id,
            before={"state": "open", "urgency": "urgent"},
            after={"state": "handled"},
            note=reason,
        )
    _settle_status(session, case)
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
    urgent = any(_is_urgent(d.severity, d.action) for d in [decision, *(t for _, t in others)])
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
        _escalate_urgently(session, case, row, now, actor, why)
    elif was_urgent:
        withdrawn = _withdraw_urgent(session, case, actor, reason, now)
    touch(case, now)
    session.add(case)
    session.flush()
    changed_before, changed_after = audit.changes(before, snapshot(case, *DECISION_FIELDS))
    audit.record(
        session=session,
        action="triage.overridden",
        target_type="case",
        target_id=case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before=changed_before,
        after={**changed_after, **({"withdrawn_escalations": withdrawn} if withdrawn else {})},
        note=reason,
    )
    _hold_unsent(session, case, actor, now)
    return row


def _hold_unsent(session: Session, case: Case, actor: User | None, now: datetime) -> int:
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
                audit.record(
                    session=session,
                    action="reply.rerouted",
                    target_type="reply",
                    target_id=reply.id,
                    brand_id=case.brand_id,
                    actor=actor,
                    case_id=case.id,
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
    audit.record(
        session=session,
        action="person.notes_updated",
        target_type="person",
        target_id=person.id,
        brand_id=person.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after={"notes": notes},
    )


# ---------------------------------------------------------------------------------------------
# Escalate, hide, spam, close


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
    audit.record(
        session=session,
        action="mention.hidden",
        target_type="mention",
        target_id=mention.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
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
    case.status = "closed"
    case.resolved_at = now
    if spam:
        case.scenario = case.scenario or "spam"
    case.assignee_id, case.claimed_at, case.claim_expires_at = None, None, None
    touch(case, now)
    session.add(case)
    audit.record(
        session=session,
        action="case.spam" if spam else "case.closed",
        target_type="case",
        target_id=case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before=before,
        after={"status": "closed"},
        note=note or None,
    )


# ---------------------------------------------------------------------------------------------
# Grouping by hand


def _refresh_summary(session: Session, case: Case) -> list[MentionView]:
    """Recompute the mention count, channel and decision after mentions moved."""
    mentions = case_mentions(session=session, case=case)
    case.mention_count = len(mentions)
    if mentions:
        case.channel = mentions[-1].mention.channel
        _refold(case, mentions)
    session.add(case)
    return mentions


def _settle_status(session: Session, case: Case) -> None:
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
        case.status = "pending_approval" if pending else "open"
    session.add(case)


def _move_open_escalations(
    session: Session, source: Case, target: Case, *, urgent_only: bool = False
) -> list[int]:
    """Open escalations follow the mentions they are about to another case."""
    stmt = select(Escalation).where(Escalation.case_id == source.id, Escalation.state == "open")
    if urgent_only:
        stmt = stmt.where(Escalation.urgency == "urgent")
    moved = list(session.exec(stmt))
    for escalation in moved:
        escalation.case_id = target.id  # type: ignore[assignment]
        session.add(escalation)
    if moved:
        target.involved_brand = True
        if target.status not in ("closed", "escalated"):
            target.status = "escalated"
    return [e.id for e in moved if e.id is not None]


def merge(
    *, session: Session, target: Case, source: Case, actor: User, seen_version: int | None = None
) -> None:
    """Move every mention of ``source`` into ``target`` (same brand) and close ``source``.

    The merged case takes the most serious decision of the two (never less), with open
    escalations, and is escalated urgently as ingest would when that decision is urgent.
    """
    if source.id == target.id:
        raise CaseworkError(_l("Choisissez un autre cas à fusionner."))
    if source.brand_id != target.brand_id:
        raise CaseworkError(_l("On ne fusionne que des cas de la même marque."))
    # Both held, in id order: two merges of the same pair wait for each other, never deadlock.
    for held in sorted((target, source), key=lambda c: c.id or 0):
        lock_to_change(session, held, seen_version if held is target else None)
    if target.status == "closed":
        raise CaseworkError(_l("Ce cas est clos."))
    moved = list(
        session.exec(
            select(Mention).where(Mention.case_id == source.id, Mention.brand_id == source.brand_id)
        )
    )
    for mention in moved:
        mention.case_id = target.id
        session.add(mention)
    for reply in session.exec(select(Reply).where(Reply.case_id == source.id)):
        reply.case_id = target.id  # type: ignore[assignment]
        session.add(reply)
    escalations = _move_open_escalations(session, source, target)
    session.flush()
    now = utcnow()
    before = snapshot(target, *DECISION_FIELDS)
    target.pinned = target.pinned or source.pinned
    target.involved_brand = target.involved_brand or source.involved_brand
    touch(target, now)
    views = _refresh_summary(session, target)
    if target.action == "escalate_urgent":
        view = decisive_mention(target, views)
        if view is not None and view.triage is not None:
            why = f"Escalade urgente : le cas n° {source.id}, urgent, y a été fusionné."
            _escalate_urgently(session, target, view.triage, now, actor, why)
    source.status = "closed"
    source.resolved_at = now
    source.mention_count = 0
    source.pinned = False
    source.assignee_id, source.claimed_at, source.claim_expires_at = None, None, None
    session.add(source)
    ids = [m.id for m in moved]
    audit.record(
        session=session,
        action="case.merged",
        target_type="case",
        target_id=target.id,
        brand_id=target.brand_id,
        actor=actor,
        case_id=target.id,
        before={"case_id": source.id, **before},
        after={
            "mentions": ids,
            "escalations": escalations,
            **snapshot(target, *DECISION_FIELDS),
        },
    )
    audit.record(
        session=session,
        action="case.merged_into",
        target_type="case",
        target_id=source.id,
        brand_id=source.brand_id,
        actor=actor,
        case_id=source.id,
        before={"status": "open"},
        after={"status": "closed", "into": target.id},
    )
    _hold_unsent(session, target, actor, now)


def split(*, session: Session, case: Case, mention: Mention, actor: User) -> Case:
    """Move one mention out into a new case of its own (same brand, same triage).

    The new case takes that mention's decision (an urgent one is escalated as at ingest, and
    the urgent escalation it caused moves with it); the old case's decision is recomputed
    from the mentions it keeps.
    """
    lock_to_change(session, case, None, mention)
    if mention.case_id != case.id:
        raise CaseworkError(_l("Cette mention n'appartient pas à ce cas."))
    views = case_mentions(session=session, case=case)
    if len(views) < 2:
        raise CaseworkError(_l("Un cas d'une seule mention ne se scinde pas."))
    moved = next((v.triage for v in views if v.mention.id == mention.id), None)
    was_decisive = (decisive_mention(case, views) or views[0]).mention.id == mention.id
    author = session.get(Author, mention.author_id)
    now = utcnow()
    before = snapshot(case, *DECISION_FIELDS)
    new_case = Case(
        brand_id=case.brand_id,
        person_id=author.person_id if author else case.person_id,
        status="open",
        severity=moved.severity if moved else case.severity,
        scenario=(moved.scenarios[0] if moved and moved.scenarios else case.scenario),
        action=moved.action if moved else case.action,
        approver=moved.approver if moved else case.approver,
        priority=moved.priority if moved else case.priority,
        due_at=(moved.due_at if moved and moved.due_at else case.due_at),
        channel=mention.channel,
        language=mention.lang or case.language,
        excerpt=mention.text[:300],
        thread_id=mention.thread_id,
        mention_count=1,
        opened_at=now,
        last_activity_at=now,
        decision_mention_id=mention.id,
    )
    session.add(new_case)
    session.flush()
    mention.case_id = new_case.id
    session.add(mention)
    session.flush()
    escalations: list[int] = []
    if new_case.action == "escalate_urgent" and moved is not None:
        if was_decisive:
            escalations = _move_open_escalations(session, case, new_case, urgent_only=True)
        why = f"Escalade urgente : mention {moved.severity} séparée du cas n° {case.id}."
        _escalate_urgently(session, new_case, moved, now, actor, why)
    remaining = _refresh_summary(session, case)
    decisive = decisive_mention(case, remaining)
    if case.action == "escalate_urgent" and decisive is not None and decisive.triage is not None:
        why = f"Escalade urgente : le cas n° {case.id} garde une mention urgente."
        _escalate_urgently(session, case, decisive.triage, now, actor, why)
    _settle_status(session, case)
    touch(case, now)
    audit.record(
        session=session,
        action="case.split",
        target_type="case",
        target_id=case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        before={"mention_id": mention.id, **before},
        after={
            "new_case_id": new_case.id,
            "escalations": escalations,
            **snapshot(case, *DECISION_FIELDS),
        },
    )
    audit.record(
        session=session,
        action="case.split_from",
        target_type="case",
        target_id=new_case.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=new_case.id,
        after={
            "from_case_id": case.id,
            "mention_id": mention.id,
            **snapshot(new_case, *DECISION_FIELDS),
        },
    )
    return new_case
