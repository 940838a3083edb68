"""Claims: who is working on a case, for how long; the lock that guards a change.

Plain functions with a keyword-only ``session``; the caller commits. CaseworkError is the base of
every refusal the case page shows (its message is in the UI's language).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from app.models import (
    Case,
    User,
    utcnow,
)
from app.services import audit
from app.services.case_locks import lock_case

CLAIM_MINUTES = 15
RENEW_EVERY = timedelta(minutes=1)  # a hold renewed within this is not written again
# A lead's assignment lasts a shift: the assignee may not open the case straight away.
ASSIGNMENT_HOURS = 8


class CaseworkError(Exception):
    """An action the user may not take now; the message says why, in the UI's language."""


class ClaimConflict(CaseworkError):
    """Someone else is working on the case."""


def claim_active(case: Case, now: datetime | None = None) -> bool:
    """Whether someone currently holds the case (expired claims count as free)."""
    now = now or utcnow()
    return (
        case.assignee_id is not None
        and case.claim_expires_at is not None
        and case.claim_expires_at > now
    )


def snapshot(case: Case, *names: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(case, name)
        values[name] = value.isoformat() if isinstance(value, datetime) else value
    return values


def touch(case: Case, now: datetime) -> None:
    case.last_activity_at = now


def lock_to_change(session: Session, case: Case, seen_version: int | None, *reload: Any) -> None:
    """Hold the case for an action that changes it; refused if it moved on since it was seen.

    Without the version the user's form carried, the version the caller loaded is the one seen.
    """
    seen = case.version if seen_version is None else seen_version
    lock_case(session, case, seen_version=seen, reload=reload)


def claim(*, session: Session, case: Case, actor: User, now: datetime | None = None) -> bool:
    """Take (or renew) the case for 15 minutes; raises ClaimConflict when someone else holds it.

    Returns True when the claim is new (audited), False for a renewal.
    """
    now = now or utcnow()
    if _renewed_lately(case, actor, now):
        return False  # opening the case, then "take": one write, not two (and no lock wait)
    # Refused on the state just read, before any write: someone else's hold read a moment ago
    # (a hold released meanwhile is as if the user had come a moment earlier). The lock below
    # decides every other claim.
    _refuse(case, actor, now)
    # Two claims at once: the second waits here, then sees the first one's hold.
    lock_case(session, case, bump=False)
    _refuse(case, actor, now)
    is_new = not (claim_active(case, now) and case.assignee_id == actor.id)
    before = snapshot(case, "assignee_id")
    case.assignee_id = actor.id
    if is_new:
        case.claimed_at = now
    renewed = now + timedelta(minutes=CLAIM_MINUTES)
    # Renewing never shortens a longer hold (a lead's assignment for the shift).
    keep = case.claim_expires_at if not is_new and case.claim_expires_at else renewed
    case.claim_expires_at = max(keep, renewed)
    touch(case, now)
    session.add(case)
    if is_new:
        audit.case_event(
            session=session,
            case=case,
            action="case.claimed",
            actor=actor,
            before=before,
            after={"assignee_id": actor.id},
        )
    return is_new


def _refuse(case: Case, actor: User, now: datetime) -> None:
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est clos."))
    if claim_active(case, now) and case.assignee_id != actor.id:
        raise ClaimConflict(_l("Un autre membre de l'équipe traite déjà ce cas."))


def _renewed_lately(case: Case, actor: User, now: datetime) -> bool:
    """The actor's own hold, renewed less than RENEW_EVERY ago: renewing again changes nothing
    a user could see (the hold still ends CLAIM_MINUTES from about now)."""
    return (
        case.status != "closed"
        and case.assignee_id == actor.id
        and case.claim_expires_at is not None
        and case.claim_expires_at - now > timedelta(minutes=CLAIM_MINUTES) - RENEW_EVERY
    )


def release(*, session: Session, case: Case, actor: User) -> None:
    """Give the case back to the queue."""
    lock_case(session, case, bump=False)
    if case.assignee_id != actor.id:
        raise CaseworkError(_l("Vous ne traitez pas ce cas."))
    before = snapshot(case, "assignee_id")
    free(case)
    session.add(case)
    audit.case_event(
        session=session,
        case=case,
        action="case.released",
        actor=actor,
        before=before,
        after={"assignee_id": None},
    )


def reassign(
    *, session: Session, case: Case, actor: User, assignee: User | None, now: datetime | None = None
) -> None:
    """A lead hands the case to someone else (or back to the queue with None)."""
    now = now or utcnow()
    lock_case(session, case, bump=False)
    before = snapshot(case, "assignee_id")
    case.assignee_id = assignee.id if assignee else None
    case.claimed_at = now if assignee else None
    case.claim_expires_at = now + timedelta(hours=ASSIGNMENT_HOURS) if assignee else None
    touch(case, now)
    session.add(case)
    audit.case_event(
        session=session,
        case=case,
        action="case.reassigned",
        actor=actor,
        before=before,
        after={"assignee_id": case.assignee_id},
    )


def free(case: Case) -> None:
    """Nobody holds the case any more (released, sent, escalated, closed, merged, expired)."""
    case.assignee_id, case.claimed_at, case.claim_expires_at = None, None, None
