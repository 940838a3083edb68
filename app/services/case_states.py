"""Where a case stands, and the one place that moves it (``Case.status``).

    open ◄──────────► pending_approval      every state but closed moves to every other:
      ▲ ╲            ╱      ▲               a reply submitted, approved, published; the
      │  ► escalated ◄      │               brand asked and answering; a new mention
      │      ▲              │               reopening a case that waits for the person.
      ▼      ▼              ▼
    waiting ◄─────────────► (any) ──► closed
    closed ──► open   (only the brand's answer to an escalation still open brings it back)

Each move has a name below; the services call them (a test checks that nothing else writes
``status`` on a case). Moving to the state a case is already in changes nothing.
"""

from __future__ import annotations

from typing import Any

from app.models import CaseStatus

OPEN, PENDING_APPROVAL, ESCALATED, WAITING, CLOSED = (
    CaseStatus.OPEN,
    CaseStatus.PENDING_APPROVAL,
    CaseStatus.ESCALATED,
    CaseStatus.WAITING,
    CaseStatus.CLOSED,
)
# Statuses of a case someone still works on (the queue's default view and its choices).
ACTIVE = (OPEN, PENDING_APPROVAL, ESCALATED, WAITING)

ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    OPEN: frozenset({PENDING_APPROVAL, ESCALATED, WAITING, CLOSED}),
    PENDING_APPROVAL: frozenset({OPEN, ESCALATED, WAITING, CLOSED}),
    ESCALATED: frozenset({OPEN, PENDING_APPROVAL, WAITING, CLOSED}),
    WAITING: frozenset({OPEN, PENDING_APPROVAL, ESCALATED, CLOSED}),
    CLOSED: frozenset({OPEN}),
}
assert set(ALLOWED) == set(CaseStatus), "every case status needs its row"


class CaseStateError(ValueError):
    """A move the case lifecycle does not allow (a bug: callers check before moving)."""


def move(case: Any, target: CaseStatus) -> None:
    """Move ``case`` (a Case, or grouping's new-case row) to ``target``, as the table allows."""
    current = CaseStatus(case.status)
    if current == target:
        return
    if target not in ALLOWED[current]:
        raise CaseStateError(f"case {case.id}: {current} → {target} not allowed")
    case.status = target.value


def reopen(case: Any) -> None:
    """Back to the agency's queue (a reply refused, the brand answered, a new mention)."""
    move(case, OPEN)


def await_approval(case: Any) -> None:
    """A reply waits for a lead or the brand."""
    move(case, PENDING_APPROVAL)


def escalate(case: Any) -> None:
    """The brand is asked (by hand, or at once for an urgent decision)."""
    move(case, ESCALATED)


def await_person(case: Any) -> None:
    """Answered (or the answer queued): the case waits for the person to write again."""
    move(case, WAITING)


def close(case: Any) -> None:
    """Done (closed, spam, or merged into another case)."""
    move(case, CLOSED)
