"""Moderation actions on the platform, asked for in a case: hold, reject, publish, ban, delete.

Generic plumbing for every connector that declares `moderation_actions`
(`connectors.moderation`): YouTube (hold, reject, publish, ban), Meta (delete a comment).

Who approves — one rule for every action:
- hold, reject and publish are reversible: anyone who works the case asks, the worker acts.
- ban and delete cannot be undone (`connectors.moderation.SENSITIVE`). Each has a permission
  that carries it out without anyone else's approval (`PERMISSIONS`: `moderate.delete` for a
  delete, `approve.lead` for a ban — leads and admins).
  - Where the case's decision reserves it to the brand (the playbook's delegation names the
    brand as approver, or `approvals.required_approver` is "brand": escalations), the brand
    approves in its portal (`approve.brand`), whoever asked — a lead's request waits too.
  - Otherwise a request by someone holding the permission is carried out at once (their
    asking is the approval); anyone else's waits for a lead holding it (case page).
The worker carries pending actions out (`app/worker/moderation.py`): one worker claims an
action (`claim`), and a lost answer is reconciled by reading the comment's status on the
platform (`check_first`; for a delete: does the comment still exist) before sending again.
One open request per mention and action: two people asking at once make one request.
Every step is audited. This module is the only writer of `ModerationAction.state` (`_move`,
and the compare-and-set in `decide`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import Case, ConnectorAccount, Mention, ModerationAction, User, utcnow
from app.services import approvals, audit
from app.services.claims import CaseworkError, touch
from connectors import get_connector
from connectors.moderation import SENSITIVE, actions_of

OPEN_STATES = ("awaiting_approval", "pending")
#: The permission that carries out (or approves, for a lead) a sensitive action.
PERMISSIONS = {"delete": "moderate.delete", "ban": "approve.lead"}
#: The permission the brand approves with, in its portal.
BRAND_PERMISSION = "approve.brand"
#: A worker's claim older than this is taken to have died mid-way (check before re-sending).
STALE_CLAIM = timedelta(minutes=5)
#: Allowed moves between states (anything else is a bug).
ALLOWED: dict[str, frozenset[str]] = {
    "awaiting_approval": frozenset({"pending", "refused", "cancelled"}),
    "pending": frozenset({"done", "failed", "unsupported", "cancelled"}),
    "done": frozenset(),
    "failed": frozenset(),  # asking again makes a new request
    "unsupported": frozenset(),
    "refused": frozenset(),
    "cancelled": frozenset(),
}
#: What the mention looks like in the console once the action is done.
HIDES = {"hold": True, "reject": True, "ban": True, "publish": False, "delete": True}


class ModerationError(CaseworkError):
    """A moderation action that cannot be asked for or decided now; the message says why."""


@dataclass
class MentionModeration:
    """What the case page shows under a mention: actions offered and those asked for."""

    offered: tuple[str, ...] = ()
    rows: list[ModerationAction] = field(default_factory=list)


def offered(platform: str, mention_raw: dict | None = None) -> tuple[str, ...]:
    """The moderation actions a platform's connector carries out (on this mention, if given)."""
    try:
        return actions_of(get_connector(platform), mention_raw)
    except KeyError:
        return ()


def offered_on(mention: Mention) -> tuple[str, ...]:
    """The moderation actions offered on one mention (a Meta message cannot be deleted)."""
    return offered(mention.platform, mention.raw or {})


def permission_for(action: str) -> str:
    """The permission that carries out `action` without another's approval (and lets a lead
    approve it on the case page)."""
    return PERMISSIONS.get(action, "case.work")


def _move(row: ModerationAction, state: str, now: datetime) -> None:
    if state != row.state and state not in ALLOWED[row.state]:
        raise ValueError(f"moderation action {row.id}: {row.state} → {state} is not allowed")
    row.state = state
    row.updated_at = now
    if state in ("done", "failed", "unsupported"):
        row.done_at = now
    if state not in OPEN_STATES:
        row.started_at = None


def approver_for(case: Case, action: str) -> str | None:
    """Who must approve `action` in this case: None (reversible), "brand" when the case's
    decision reserves it to the brand, else "lead"."""
    if action not in SENSITIVE:
        return None
    reserved = case.approver == "brand" or approvals.required_approver(case) == "brand"
    return "brand" if reserved else "lead"


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
    may_decide: bool,
    reason: str = "",
    now: datetime | None = None,
) -> ModerationAction:
    """Ask for `action` on the mention; returns the (new or already open) request.

    `may_decide`: the actor holds `permission_for(action)` on the brand (the view checks)."""
    now = now or utcnow()
    if mention.case_id != case.id:
        raise ModerationError(_l("Cette mention n'appartient pas à ce cas."))
    if action not in offered_on(mention):
        raise ModerationError(_l("Cette action de modération n'existe pas sur cette mention."))
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
        reason=reason.strip()[:2000] or None,
        requested_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    # Asking with the permission is a lead's approval; the brand's is the brand's to give.
    if approver is None or (approver == "lead" and may_decide):
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
    touch(case, now)
    session.add(case)
    audit.case_event(
        session=session,
        action="moderation.requested",
        target_type="mention",
        target_id=mention.id,
        actor=actor,
        case=case,
        after={"action": action, "state": row.state, "approver": approver},
        note=row.reason,
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
    """A lead (or the brand) approves or refuses a sensitive action waiting for them, exactly
    once: of two approvers deciding at once, the second is told it is decided."""
    now = now or utcnow()
    target = "pending" if approve else "refused"
    assert target in ALLOWED["awaiting_approval"]
    changed = session.exec(  # type: ignore[call-overload]
        update(ModerationAction)
        .where(
            col(ModerationAction.id) == row.id,
            col(ModerationAction.state) == "awaiting_approval",
        )
        .values(state=target, decided_by_id=actor.id, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise ModerationError(_l("Cette action de modération a déjà été décidée."))
    session.refresh(row)
    audit.case_event(
        session=session,
        action="moderation.approved" if approve else "moderation.refused",
        target_type="mention",
        target_id=row.mention_id,
        actor=actor,
        case=audit.case_of(row),
        after={"action": row.action, "state": row.state},
    )


def cancel(*, session: Session, row: ModerationAction, actor: User) -> None:
    """Withdraw a request the worker has not carried out yet."""
    if row.state not in OPEN_STATES or row.started_at is not None:
        raise ModerationError(_l("Cette action de modération ne peut plus être annulée."))
    _move(row, "cancelled", utcnow())
    session.add(row)
    audit.case_event(
        session=session,
        action="moderation.cancelled",
        target_type="mention",
        target_id=row.mention_id,
        actor=actor,
        case=audit.case_of(row),
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
    audit.case_event(
        session=session,
        action="moderation.synced",
        target_type="mention",
        target_id=row.mention_id,
        actor_label="worker",
        case=audit.case_of(row),
        after={"action": row.action, "state": state, "reconciled": reconciled},
        note=error,
    )


def retry_later(
    row: ModerationAction, error: str, *, check_first: bool = False, counted: bool = True
) -> None:
    """A transient failure: stays pending; after an unknown outcome, check before re-sending.
    A rate limit is not `counted` as an attempt (nothing reached the platform)."""
    row.attempts += int(counted)
    row.error = error[:2000]
    row.check_first = row.check_first or check_first
    row.started_at = None  # the claim is released: the next round tries again
    row.updated_at = utcnow()


def defer(session: Session, row: ModerationAction, until: datetime) -> bool:
    """The account is throttled (its platform's usage): the action waits until `until`.
    Audited once per throttle, not at every round nor by every worker: a compare-and-set on
    the note, so of two workers at once one records it. True when this call recorded it."""
    note = (
        f"reporté jusqu'à {until.isoformat(timespec='minutes')} (limite d'usage de la plateforme)"
    )
    changed = session.exec(  # type: ignore[call-overload]
        update(ModerationAction)
        .where(
            col(ModerationAction.id) == row.id,
            col(ModerationAction.state) == "pending",
            or_(col(ModerationAction.error).is_(None), col(ModerationAction.error) != note),
        )
        .values(error=note, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        return False
    audit.case_event(
        session=session,
        action="moderation.deferred",
        target_type="mention",
        target_id=row.mention_id,
        actor_label="worker",
        case=audit.case_of(row),
        after={"action": row.action, "until": until.isoformat()},
        note=note,
    )
    return True


def claim(session: Session, row_id: int, now: datetime) -> bool:
    """Take a pending action for this worker, atomically: of two workers, one carries it out.
    A claim left by a worker that died mid-way (older than STALE_CLAIM) may be taken over,
    and then the platform is checked first (the action may have gone out)."""
    changed = session.exec(  # type: ignore[call-overload]
        update(ModerationAction)
        .where(
            col(ModerationAction.id) == row_id,
            col(ModerationAction.state) == "pending",
            or_(
                col(ModerationAction.started_at).is_(None),
                col(ModerationAction.started_at) < now - STALE_CLAIM,
            ),
        )
        .values(
            started_at=now,
            check_first=or_(
                col(ModerationAction.check_first), col(ModerationAction.started_at).is_not(None)
            ),
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(changed.rowcount == 1)


# Built once: every case page reads it.
_OF_CASE = (
    select(ModerationAction)
    .where(ModerationAction.case_id == bindparam("case_id"))
    .order_by(col(ModerationAction.id))
)


def requested_by_mention(session: Session, case_id: int) -> dict[int, list[ModerationAction]]:
    """The moderation asked for in a case, per mention id, oldest first (one query: the case
    page shows its latest mentions only, a viral thread's thousands are not read)."""
    found: dict[int, list[ModerationAction]] = {}
    rows = session.exec(_OF_CASE, params={"case_id": case_id}).all()
    for row in rows:
        found.setdefault(row.mention_id, []).append(row)
    return found


def awaiting_brand(
    session: Session, brand_ids: list[int]
) -> list[tuple[ModerationAction, Mention]]:
    """Bans and deletes waiting for a brand's approval, oldest first, with their mention (the
    portal's moderation page lists them)."""
    if not brand_ids:
        return []
    return list(
        session.exec(
            select(ModerationAction, Mention)
            .join(Mention, col(Mention.id) == col(ModerationAction.mention_id))
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
