"""Grouping by hand: merging two cases of a brand, splitting a mention out into a case of its own.

The case's decision follows its mentions (never less serious); an urgent decision is escalated
as at ingest, and open escalations follow the mentions they are about.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from app.models import (
    Author,
    Case,
    Escalation,
    Mention,
    Reply,
    User,
    utcnow,
)
from app.services import audit, case_states
from app.services.case_view import MentionView, case_mentions, decisive_mention
from app.services.casework import (
    DECISION_FIELDS,
    escalate_urgently,
    hold_unsent,
    refold,
    settle_status,
)
from app.services.claims import (
    CaseworkError,
    free,
    lock_to_change,
    snapshot,
    touch,
)


def _refresh_summary(session: Session, case: Case) -> list[MentionView]:
    """Recompute the mention count, channel and decision after mentions moved."""
    mentions = case_mentions(session=session, case=case)
    case.mention_count = len(mentions)
    if mentions:
        case.channel = mentions[-1].mention.channel
        refold(case, mentions)
    session.add(case)
    return mentions


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
            case_states.escalate(target)
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
            escalate_urgently(session, target, view.triage, now, actor, why)
    case_states.close(source)
    source.resolved_at = now
    source.mention_count = 0
    source.pinned = False
    free(source)
    session.add(source)
    ids = [m.id for m in moved]
    audit.case_event(
        session=session,
        case=target,
        action="case.merged",
        actor=actor,
        before={"case_id": source.id, **before},
        after={
            "mentions": ids,
            "escalations": escalations,
            **snapshot(target, *DECISION_FIELDS),
        },
    )
    audit.case_event(
        session=session,
        case=source,
        action="case.merged_into",
        actor=actor,
        before={"status": "open"},
        after={"status": "closed", "into": target.id},
    )
    hold_unsent(session, target, actor, now)


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
        escalate_urgently(session, new_case, moved, now, actor, why)
    remaining = _refresh_summary(session, case)
    decisive = decisive_mention(case, remaining)
    if case.action == "escalate_urgent" and decisive is not None and decisive.triage is not None:
        why = f"Escalade urgente : le cas n° {case.id} garde une mention urgente."
        escalate_urgently(session, case, decisive.triage, now, actor, why)
    settle_status(session, case)
    touch(case, now)
    audit.case_event(
        session=session,
        case=case,
        action="case.split",
        actor=actor,
        before={"mention_id": mention.id, **before},
        after={
            "new_case_id": new_case.id,
            "escalations": escalations,
            **snapshot(case, *DECISION_FIELDS),
        },
    )
    audit.case_event(
        session=session,
        case=new_case,
        action="case.split_from",
        actor=actor,
        after={
            "from_case_id": case.id,
            "mention_id": mention.id,
            **snapshot(new_case, *DECISION_FIELDS),
        },
    )
    return new_case
