"""Moderation actions on the platforms other than hiding: delete a comment (Meta), and the kinds
other connectors add (ban an author, hold a comment for review). Generic: a kind is a name,
what it does on a platform is the connector's (`app/worker/moderation.py` calls it).

Each action is asked for in a case and has its own permission, `moderate.delete` (leads and
admins). Who approves follows the case's decision, as the playbook made it: where the brand
must approve the case's replies (delegation `approver: brand`, escalations), the brand
approves the delete too (portal, `approve.brand`), whoever asked; otherwise a lead's request
is queued at once and a community manager's waits for a lead (on the case page). The worker
carries queued actions out and reconciles an unknown outcome on the platform before any new
attempt, like the outbox does for replies.
Every move is audited. Moves (``ALLOWED``) are written here and nowhere else.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import (
    MODERATION_STATES,
    Case,
    ConnectorAccount,
    Mention,
    ModerationAction,
    User,
    utcnow,
)
from app.services import approvals, audit
from app.services.claims import CaseworkError, touch

#: The permission that carries a moderation action out without anyone else's approval.
PERMISSION = "moderate.delete"
#: Kinds a case may ask for, and the connector capability each needs.
KINDS = {"delete": "supports_delete"}

ALLOWED: dict[str, frozenset[str]] = {
    "pending_approval": frozenset({"queued", "rejected", "cancelled"}),
    "queued": frozenset({"sending", "cancelled"}),
    "sending": frozenset({"done", "queued", "unknown", "failed"}),
    "unknown": frozenset({"done", "queued", "failed"}),
    "done": frozenset(),
    "failed": frozenset({"queued"}),
    "rejected": frozenset(),
    "cancelled": frozenset(),
}
assert set(ALLOWED) == set(MODERATION_STATES)
LIVE = ("pending_approval", "queued", "sending", "unknown")


class ModerationError(CaseworkError):
    """A moderation action that cannot be asked for or decided now; the message says why."""


def move(action: ModerationAction, target: str) -> None:
    """Move the action to `target`, refusing any move the table does not allow."""
    if target not in ALLOWED[action.state]:
        raise ModerationError(f"moderation action {action.id}: {action.state} → {target}")
    action.state = target


def _audit(
    session: Session,
    action: ModerationAction,
    name: str,
    *,
    actor: User | None = None,
    note: str | None = None,
) -> None:
    audit.record(
        session=session,
        action=name,
        target_type="moderation_action",
        target_id=action.id,
        brand_id=action.brand_id,
        case_id=action.case_id,
        actor=actor,
        actor_label=None if actor else "worker",
        after={"kind": action.kind, "state": action.state, "mention_id": action.mention_id},
        note=note,
    )


def supported(session: Session, mention: Mention, kind: str) -> bool:
    """Whether the mention's connector can do `kind` at all (a message cannot be deleted)."""
    from connectors import get_connector

    account = session.get(ConnectorAccount, mention.account_id)
    if account is None or kind not in KINDS:
        return False
    try:
        cls = get_connector(account.platform)
    except KeyError:
        return False
    return bool(getattr(cls, KINDS[kind], False)) and (mention.raw or {}).get("kind") in (
        "comment",
        None,
    )


def for_case(session: Session, case: Case) -> dict[int, list[ModerationAction]]:
    """The case's moderation actions, newest first, by mention."""
    found: dict[int, list[ModerationAction]] = {}
    for action in session.exec(
        select(ModerationAction)
        .where(ModerationAction.case_id == case.id)
        .order_by(col(ModerationAction.created_at).desc(), col(ModerationAction.id).desc())
    ):
        found.setdefault(action.mention_id, []).append(action)
    return found


#: The permission that decides a pending request, by approver.
DECISION_PERMISSION = {"lead": PERMISSION, "brand": "approve.brand"}


def approver_for(case: Case) -> str:
    """Who approves a moderation request in this case: the brand when the playbook reserves
    the case to it, else a lead."""
    return "brand" if approvals.required_approver(case) == "brand" else "lead"


def request(
    *,
    session: Session,
    case: Case,
    mention: Mention,
    actor: User,
    kind: str,
    may_decide: bool,
    reason: str = "",
    now: datetime | None = None,
) -> ModerationAction:
    """Ask for `kind` on a mention of the case: queued when the actor holds the permission and
    a lead may decide here, else pending the approver's decision. One live request per mention
    and kind."""
    now = now or utcnow()
    approver = approver_for(case)
    may_decide = may_decide and approver == "lead"
    if mention.case_id != case.id:
        raise ModerationError(_l("Cette mention n'appartient pas à ce cas."))
    if not supported(session, mention, kind):
        raise ModerationError(_l("Cette plateforme ne permet pas cette action sur cette mention."))
    action = ModerationAction(
        brand_id=case.brand_id,
        case_id=case.id,
        mention_id=mention.id,  # type: ignore[arg-type]
        kind=kind,
        state="queued" if may_decide else "pending_approval",
        reason=reason.strip()[:2000] or None,
        approver=approver,
        requested_by_id=actor.id,
        decided_by_id=actor.id if may_decide else None,
        next_attempt_at=now if may_decide else None,
    )
    session.add(action)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise ModerationError(_l("Cette action est déjà demandée pour cette mention.")) from None
    touch(case, now)
    session.add(case)
    _audit(session, action, f"moderation.{kind}_requested", actor=actor, note=action.reason)
    return action


def decide(
    *, session: Session, action: ModerationAction, actor: User, approve: bool, now: datetime
) -> None:
    """A lead approves (queued for the worker) or refuses a pending request, exactly once."""
    target = "queued" if approve else "rejected"
    changed = session.exec(  # type: ignore[call-overload]
        update(ModerationAction)
        .where(
            col(ModerationAction.id) == action.id, col(ModerationAction.state) == "pending_approval"
        )
        .values(state=target, decided_by_id=actor.id, next_attempt_at=now if approve else None)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise ModerationError(_l("Cette demande a déjà été traitée."))
    session.refresh(action)
    _audit(
        session,
        action,
        "moderation.approved" if approve else "moderation.rejected",
        actor=actor,
    )


def claim(session: Session, action_id: int, now: datetime) -> bool:
    """queued → sending, atomically: of two racing workers exactly one carries it out."""
    changed = session.exec(  # type: ignore[call-overload]
        update(ModerationAction)
        .where(col(ModerationAction.id) == action_id, col(ModerationAction.state) == "queued")
        .values(state="sending", started_at=now, attempts=ModerationAction.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(changed.rowcount == 1)


def settle(
    session: Session,
    action: ModerationAction,
    target: str,
    now: datetime,
    *,
    note: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    """Record what the worker found: done, failed, unknown (check first) or queued again."""
    move(action, target)
    action.last_error = note[:2000] if note and target != "done" else None
    action.next_attempt_at = retry_at if target in ("queued", "unknown") else None
    if target == "done":
        action.done_at = now
        mention = session.get(Mention, action.mention_id)
        if mention is not None and action.kind == "delete":
            mention.hidden = True  # gone from the platform: shown as removed in the case
            session.add(mention)
    session.add(action)
    _audit(session, action, f"moderation.{target}", note=note)
    session.commit()


def pending_for_brands(
    session: Session, brand_ids: list[int]
) -> list[tuple[ModerationAction, Mention]]:
    """Requests waiting for a brand's approval, oldest first, with their mention."""
    if not brand_ids:
        return []
    return list(
        session.exec(
            select(ModerationAction, Mention)
            .join(Mention, col(Mention.id) == col(ModerationAction.mention_id))
            .where(
                col(ModerationAction.brand_id).in_(brand_ids),
                ModerationAction.state == "pending_approval",
                ModerationAction.approver == "brand",
            )
            .order_by(col(ModerationAction.created_at))
        ).all()
    )
