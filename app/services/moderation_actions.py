"""Moderation actions on the platform, asked for in a case: hold, reject, publish, ban.

Generic plumbing for every connector that declares `moderation_actions`
(`connectors.moderation`; YouTube today). A community manager asks; a sensitive action (ban)
waits for a lead's approval — or the brand's, when the case's playbook decision names the
brand as approver — unless a lead asks it themself; the worker carries it out
(`app/worker/moderation.py`) and reconciles a lost answer by reading the comment's status
before sending again. Every step is audited. This module is the only writer of
`ModerationAction.state` (`_move`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import Case, ConnectorAccount, Mention, ModerationAction, User, utcnow
from app.services import audit
from app.services.claims import CaseworkError
from connectors import get_connector
from connectors.moderation import SENSITIVE, actions_of

OPEN_STATES = ("awaiting_approval", "pending")
#: Allowed moves between states (anything else is a bug).
MOVES: dict[str, frozenset[str]] = {
    "awaiting_approval": frozenset({"pending", "refused", "cancelled"}),
    "pending": frozenset({"done", "failed", "unsupported", "cancelled"}),
    "done": frozenset(),
    "failed": frozenset(),  # asking again makes a new request
    "unsupported": frozenset(),
    "refused": frozenset(),
    "cancelled": frozenset(),
}
#: What the mention looks like in the console once the action is done.
HIDES = {"hold": True, "reject": True, "ban": True, "publish": False}


@dataclass
class MentionModeration:
    """What the case page shows under a mention: actions offered and those asked for."""

    offered: tuple[str, ...] = ()
    rows: list[ModerationAction] = field(default_factory=list)


def offered(platform: str) -> tuple[str, ...]:
    """The moderation actions a platform's connector carries out."""
    try:
        return actions_of(get_connector(platform))
    except KeyError:
        return ()


def _move(row: ModerationAction, state: str, now: datetime) -> None:
    if state != row.state and state not in MOVES[row.state]:
        raise ValueError(f"moderation action {row.id}: {row.state} → {state} is not allowed")
    row.state = state
    row.updated_at = now
    if state in ("done", "failed", "unsupported"):
        row.done_at = now


def approver_for(case: Case, action: str) -> str | None:
    """Who must approve `action` in this case: None, "lead", or "brand" when the playbook's
    decision on the case names the brand as approver."""
    if action not in SENSITIVE:
        return None
    return "brand" if case.approver == "brand" else "lead"


def _open_request(session: Session, mention: Mention, action: str) -> ModerationAction | None:
    return session.exec(
        select(ModerationAction).where(
            ModerationAction.mention_id == mention.id,
            ModerationAction.action == action,
            col(ModerationAction.state).in_(OPEN_STATES),
        )
    ).first()


def request(
    *,
    session: Session,
    case: Case,
    mention: Mention,
    action: str,
    actor: User,
    actor_is_lead: bool,
    now: datetime | None = None,
) -> ModerationAction:
    """Ask for `action` on the mention; returns the (new or already open) request."""
    now = now or utcnow()
    if mention.case_id != case.id:
        raise CaseworkError(_l("Cette mention n'appartient pas à ce cas."))
    if action not in offered(mention.platform):
        raise CaseworkError(_l("Cette action de modération n'existe pas sur cette plateforme."))
    existing = _open_request(session, mention, action)
    if existing is not None:
        return existing
    approver = approver_for(case, action)
    row = ModerationAction(
        brand_id=case.brand_id,
        case_id=case.id,  # type: ignore[arg-type]
        mention_id=mention.id,  # type: ignore[arg-type]
        account_id=mention.account_id,
        action=action,
        state="awaiting_approval",
        approver=approver,
        requested_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    # A lead asking is the lead's approval; the brand's approval is the brand's to give.
    if approver is None or (approver == "lead" and actor_is_lead):
        _move(row, "pending", now)
        row.decided_by_id = actor.id if approver else None
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # Someone asked the same at the same moment (uq_moderation_action_open): theirs stands.
        raced = _open_request(session, mention, action)
        if raced is None:
            raise
        return raced
    audit.record(
        session=session,
        action="moderation.requested",
        target_type="mention",
        target_id=mention.id,
        brand_id=case.brand_id,
        actor=actor,
        case_id=case.id,
        after={"action": action, "state": row.state, "approver": approver},
    )
    return row


def decide(
    *,
    session: Session,
    row: ModerationAction,
    actor: User,
    approve: bool,
    now: datetime | None = None,
) -> None:
    """A lead (or the brand) approves or refuses a sensitive action waiting for them."""
    now = now or utcnow()
    if row.state != "awaiting_approval":
        raise CaseworkError(_l("Cette action de modération a déjà été décidée."))
    _move(row, "pending" if approve else "refused", now)
    row.decided_by_id = actor.id
    session.add(row)
    audit.record(
        session=session,
        action="moderation.approved" if approve else "moderation.refused",
        target_type="mention",
        target_id=row.mention_id,
        brand_id=row.brand_id,
        actor=actor,
        case_id=row.case_id,
        after={"action": row.action, "state": row.state},
    )


def cancel(*, session: Session, row: ModerationAction, actor: User) -> None:
    """Withdraw a request the worker has not carried out yet."""
    if row.state not in OPEN_STATES:
        raise CaseworkError(_l("Cette action de modération ne peut plus être annulée."))
    _move(row, "cancelled", utcnow())
    session.add(row)
    audit.record(
        session=session,
        action="moderation.cancelled",
        target_type="mention",
        target_id=row.mention_id,
        brand_id=row.brand_id,
        actor=actor,
        case_id=row.case_id,
        after={"action": row.action},
    )


def finish(
    *,
    session: Session,
    row: ModerationAction,
    state: str,
    error: str | None = None,
    reconciled: bool = False,
    now: datetime | None = None,
) -> None:
    """The worker's outcome: done (the mention's console state follows), failed, unsupported."""
    now = now or utcnow()
    _move(row, state, now)
    row.error = error
    session.add(row)
    if state == "done":
        mention = session.get(Mention, row.mention_id)
        if mention is not None:
            mention.hidden = HIDES[row.action]
            mention.visibility = "held" if row.action == "hold" else None
            session.add(mention)
    audit.record(
        session=session,
        action="moderation.synced",
        target_type="mention",
        target_id=row.mention_id,
        brand_id=row.brand_id,
        actor_label="worker",
        case_id=row.case_id,
        after={"action": row.action, "state": state, "reconciled": reconciled},
        note=error,
    )


def retry_later(row: ModerationAction, error: str, *, check_first: bool = False) -> None:
    """A transient failure: stays pending; after an unknown outcome, check before re-sending."""
    row.attempts += 1
    row.error = error[:2000]
    row.check_first = row.check_first or check_first
    row.updated_at = utcnow()


def for_case(session: Session, case: Case) -> dict[int, MentionModeration]:
    """The moderation offered and asked for, per mention id of the case."""
    mentions = session.exec(select(Mention).where(Mention.case_id == case.id)).all()
    found: dict[int, MentionModeration] = {
        m.id: MentionModeration(offered(m.platform))  # type: ignore[misc]
        for m in mentions
    }
    rows = session.exec(
        select(ModerationAction)
        .where(ModerationAction.case_id == case.id)
        .order_by(col(ModerationAction.id))
    ).all()
    for row in rows:
        if row.mention_id in found:
            found[row.mention_id].rows.append(row)
    return found


def awaiting_brand(session: Session, brand_ids: list[int]) -> list[ModerationAction]:
    """Sensitive actions waiting for the brand's approval (the portal lists them)."""
    if not brand_ids:
        return []
    return list(
        session.exec(
            select(ModerationAction)
            .where(
                col(ModerationAction.brand_id).in_(brand_ids),
                ModerationAction.state == "awaiting_approval",
                ModerationAction.approver == "brand",
            )
            .order_by(col(ModerationAction.id))
        ).all()
    )


def account_of(session: Session, row: ModerationAction) -> ConnectorAccount | None:
    return session.get(ConnectorAccount, row.account_id)
