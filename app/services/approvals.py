"""Delegation of authority, enforced in one place: who may approve which reply, and when.

A reply the playbook reserves for a lead or for the brand is posted only once that role has
approved it. Views, the CLI and the worker all go through here: ``approve`` and ``reject``
check the actor's permission on the reply's brand, and the outbox asks ``may_send`` before
posting anything.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.models import ApprovalState, Brand, CannedReply, Case, Reply, User, utcnow
from app.security.access import BrandScope
from app.services import audit, case_states, content, notifications, outbox_states, public_text
from app.services.answer_clocks import lead_fallback_reached, stop_clock
from app.services.case_locks import lock_case

SENDABLE_STATES = ("not_required", "approved")
PERMISSION_FOR_ROLE = {"brand": "approve.brand", "lead": "approve.lead"}
# A brand's approval covers what a lead's covers, not the other way round.
ROLE_RANK = {"lead": 1, "brand": 2}
# Replies that have not left yet, so a new decision can still hold them.
UNSENT_STATES = ("queued", "sending")


# A reply starts not_required (sent alone), pending (submitted) or approved (the brand's own);
# pending again when a corrected decision holds it back (``outbox_states.hold_back``).
APPROVAL_MOVES: dict[ApprovalState, frozenset[ApprovalState]] = {
    ApprovalState.NOT_REQUIRED: frozenset({ApprovalState.PENDING}),
    ApprovalState.PENDING: frozenset({ApprovalState.APPROVED, ApprovalState.REJECTED}),
    ApprovalState.APPROVED: frozenset({ApprovalState.PENDING}),
    ApprovalState.REJECTED: frozenset(),
}


def move_approval(reply: Reply, target: ApprovalState) -> None:
    """Move a reply's approval as the table allows (staying put changes nothing)."""
    current = ApprovalState(reply.approval_state)
    if current != target and target not in APPROVAL_MOVES[current]:
        raise ValueError(f"reply {reply.id}: approval {current} → {target} not allowed")
    reply.approval_state = target.value


class ApprovalError(Exception):
    """An approval action that cannot be taken now; the message says why."""


class ApprovalForbidden(ApprovalError):
    """The actor does not hold the approving role on the reply's brand."""


def required_approver(case: Case) -> str | None:
    """Who must approve a reply under the case's current decision; None: the agency alone."""
    if case.action == "reply":
        return None
    if case.approver in ROLE_RANK:
        return case.approver
    return "brand" if case.action.startswith("escalate") else "lead"


def decision_permits(case: Case, reply: Reply) -> bool:
    """Whether the case's current decision lets this reply go out as it stands.

    A reply queued while the agency could answer alone, or approved by a lead, no longer
    suffices once a correction or a more serious mention reserves the case to a higher role.
    """
    needed = required_approver(case)
    if needed is None:
        return reply.approval_state in SENDABLE_STATES
    have = ROLE_RANK.get(reply.approver_role or "lead", 1)
    return reply.approval_state == "approved" and have >= ROLE_RANK[needed]


def may_send(reply: Reply, case: Case | None = None) -> bool:
    """Whether the outbox may post this reply: approved as the case's decision requires now.

    The case is read through the reply's session when not given (the outbox passes the reply).
    """
    if reply.approval_state not in SENDABLE_STATES:
        return False
    if case is None:
        session = Session.object_session(reply)
        case = session.get(Case, reply.case_id) if session is not None else None
    return case is None or decision_permits(case, reply)


def hold_for_approval(
    *,
    session: Session,
    reply: Reply,
    case: Case,
    expected: str,
    actor: User | None = None,
    why: str = "",
    now: datetime | None = None,
) -> bool:
    """Send an unsent reply back to approval when the case's decision no longer lets it go.

    Only from the outbox state `expected` (atomically: a worker that already took the reply
    wins, and the send is then its to finish). Returns True when the reply was held.
    """
    now = now or utcnow()
    needed = required_approver(case) or "lead"
    if reply.approval_state not in SENDABLE_STATES or decision_permits(case, reply):
        return False  # an unapproved reply in the queue is an anomaly: the outbox fails it
    before = {
        "approval_state": reply.approval_state,
        "approver_role": reply.approver_role,
        "outbox_state": reply.outbox_state,
    }
    if not outbox_states.hold_back(
        session=session, reply=reply, expected=expected, approver_role=needed
    ):
        return False
    case_before = {"status": case.status}
    if case.status in ("open", "waiting"):
        case_states.await_approval(case)
    if needed == "brand":
        case.involved_brand = True
    case.last_activity_at = now
    session.add(case)
    audit.case_event(
        session=session,
        case=case,
        action="reply.held",
        target_type="reply",
        target_id=reply.id,
        actor=actor,
        actor_label=None if actor else "worker",
        before={**before, **case_before},
        after={
            "approval_state": "pending",
            "approver_role": needed,
            "outbox_state": "draft",
            "status": case.status,
        },
        note=why or None,
    )
    _tell_author(session, reply, "held")
    return True


def required_permission(reply: Reply) -> str:
    """The permission that approves this reply (a reply with no named role needs a lead)."""
    return PERMISSION_FOR_ROLE.get(reply.approver_role or "lead", "approve.lead")


def can_approve(session: Session, reply: Reply, scope: BrandScope) -> bool:
    """Whether the scope's user may approve or reject this reply, on this reply's brand."""
    if scope.can(required_permission(reply), reply.brand_id):
        return True
    # The brand may let agency leads stand in once its own owners let the deadline pass.
    if reply.approver_role == "brand" and scope.can("approve.lead", reply.brand_id):
        brand = session.get(Brand, reply.brand_id)
        return brand is not None and lead_fallback_reached(session, brand, "reply", reply.id)
    return False


def _check(
    session: Session, reply: Reply, scope: BrandScope, actor: User, approving: bool = False
) -> Case:
    if scope.user_id != actor.id or not can_approve(session, reply, scope):
        raise ApprovalForbidden(_l("Vous n'avez pas le rôle requis pour valider cette réponse."))
    case = session.get(Case, reply.case_id)
    assert case is not None
    # Two approvers at once: the second waits, then finds the reply answered.
    lock_case(session, case, reload=(reply,))
    if reply.approval_state != "pending":
        raise ApprovalError(_l("Cette réponse n'attend plus de validation."))
    if approving and is_author(reply, actor):
        # Separation of duties: a second person approves (the author may still withdraw it).
        raise ApprovalError(
            _l("Vous avez écrit cette réponse : une autre personne doit la valider.")
        )
    return case


def is_author(reply: Reply, user: User | None) -> bool:
    """Whether this user wrote the reply (and so may not approve it)."""
    return user is not None and reply.author_user_id is not None and reply.author_user_id == user.id


def pending(
    *, session: Session, scope: BrandScope, brand_id: int | None = None, role: str | None = None
) -> list[Reply]:
    """Replies waiting for approval on the brands where the user approves, oldest first."""
    permission = "approve.brand" if role == "brand" else "approve.lead"
    brand_ids = scope.brand_ids(permission) if role else scope.brand_ids("approve.brand")
    if role is None:
        brand_ids = sorted(set(brand_ids) | set(scope.brand_ids("approve.lead")))
    if brand_id is not None:
        brand_ids = [b for b in brand_ids if b == brand_id]
    stmt = select(Reply).where(
        Reply.approval_state == "pending", col(Reply.brand_id).in_(brand_ids)
    )
    if role is not None:
        stmt = stmt.where(Reply.approver_role == role)
    rows = session.exec(stmt.order_by(col(Reply.created_at), col(Reply.id))).all()
    return [r for r in rows if can_approve(session, r, scope)]


def approve(
    *,
    session: Session,
    reply: Reply,
    actor: User,
    scope: BrandScope,
    edited_text: str | None = None,
    comment: str = "",
    override_reason: str = "",
    now: datetime | None = None,
) -> Reply:
    """Approve a pending reply (optionally edited): it goes to the outbox to be posted once.

    An edited text passes the same length and proofreading gate as the agency's draft.
    """
    now = now or utcnow()
    case = _check(session, reply, scope, actor, approving=True)
    submitted = reply.text
    edited = edited_text is not None and edited_text.strip() not in ("", submitted.strip())
    if edited_text is not None and not edited_text.strip():
        raise ApprovalError(_l("La réponse modifiée est vide."))
    gate = None
    if edited:
        assert edited_text is not None
        brand = session.get(Brand, case.brand_id)
        assert brand is not None
        # The same gate as the agency's draft, for the mention this reply answers.
        target = public_text.target(session=session, case=case, mention_id=reply.mention_id)
        try:
            gate = public_text.require(
                brand=brand,
                text=edited_text.strip(),
                language=target.language,
                channel=target.channel,
                override_reason=override_reason,
            )
        except public_text.PublicTextError as exc:
            raise ApprovalError(str(exc)) from exc
        if gate.overridden:
            reply.proofreading_override = gate.override_reason[:2000]
        reply.proofreading = gate.findings_json()
        # Both versions stay: the agency's draft in original_text, the approved one in text.
        reply.original_text = submitted
        reply.text = edited_text.strip()
    move_approval(reply, ApprovalState.APPROVED)
    reply.approved_by_id, reply.approved_at = actor.id, now
    reply.approval_comment = comment.strip() or None
    outbox_states.release(session=session, reply=reply, now=now)
    case.last_activity_at = now
    session.add(case)
    stop_clock(session, "reply", reply.id, now)
    audit.case_event(
        session=session,
        case=case,
        action="reply.approved_edited" if edited else "reply.approved",
        target_type="reply",
        target_id=reply.id,
        actor=actor,
        before={"approval_state": "pending", "text": submitted},
        after={
            "approval_state": "approved",
            "outbox_state": reply.outbox_state,
            "text": reply.text,
            "approver_role": reply.approver_role,
        },
        note=reply.approval_comment,
    )
    if gate is not None:
        public_text.record_override(session=session, result=gate, reply=reply, actor=actor)
    _tell_author(
        session,
        reply,
        "manual" if reply.outbox_state == "manual" else "edited" if edited else "approved",
    )
    return reply


def reject(
    *,
    session: Session,
    reply: Reply,
    actor: User,
    scope: BrandScope,
    comment: str,
    now: datetime | None = None,
) -> Reply:
    """Refuse a pending reply with a comment; the case goes back to the agency's queue."""
    now = now or utcnow()
    case = _check(session, reply, scope, actor)
    comment = comment.strip()
    if not comment:
        raise ApprovalError(_l("Dites à l'agence pourquoi vous refusez cette réponse."))
    move_approval(reply, ApprovalState.REJECTED)
    outbox_states.move(reply, "cancelled")
    reply.approved_by_id, reply.approved_at = actor.id, now
    reply.approval_comment = comment[:5000]
    session.add(reply)
    before = {"status": case.status}
    if case.status == case_states.PENDING_APPROVAL:
        case_states.reopen(case)
    case.last_activity_at = now
    session.add(case)
    stop_clock(session, "reply", reply.id, now)
    audit.case_event(
        session=session,
        case=case,
        action="reply.rejected",
        target_type="reply",
        target_id=reply.id,
        actor=actor,
        before={"approval_state": "pending", **before},
        after={"approval_state": "rejected", "status": case.status},
        note=reply.approval_comment,
    )
    _tell_author(session, reply, "rejected")
    return reply


def _tell_author(session: Session, reply: Reply, variant: str) -> None:
    """The reply's author hears what became of it (approval_answered, by variant)."""
    if reply.author_user_id is None:
        return
    notifications.notify(
        session=session,
        user_ids=[reply.author_user_id],
        brand_id=reply.brand_id,
        kind="approval_answered",
        params={"variant": variant, "id": reply.case_id},
        link=f"/cases/{reply.case_id}",
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:80] or "reponse"


def promote_to_canned(
    *,
    session: Session,
    reply: Reply,
    actor: User,
    scope: BrandScope,
    title: str,
    key: str | None = None,
) -> CannedReply:
    """A brand owner turns an approved reply into an approved canned reply the agency may reuse."""
    if not scope.can("approve.brand", reply.brand_id) or scope.user_id != actor.id:
        raise ApprovalForbidden(_l("Seul un responsable de la marque peut créer une réponse type."))
    if reply.approval_state != "approved":
        raise ApprovalError(_l("Seule une réponse validée peut devenir une réponse type."))
    title = title.strip()
    if not title:
        raise ApprovalError(_l("Donnez un titre à la réponse type."))
    brand = session.get(Brand, reply.brand_id)
    case = session.get(Case, reply.case_id)
    assert brand is not None and case is not None
    canned = content.upsert_canned_reply(
        session=session,
        brand=brand,
        key=_slug(key or title),
        language=case.language or "fr",
        title=title[:200],
        body=reply.text,
        scenarios=[case.scenario] if case.scenario else [],
        channels=[],
        status="approved",
        actor=actor,
    )
    audit.case_event(
        session=session,
        case=audit.case_of(reply),
        action="reply.promoted_to_canned",
        target_type="reply",
        target_id=reply.id,
        actor=actor,
        after={"canned_reply": canned.key, "title": canned.title},
    )
    return canned
