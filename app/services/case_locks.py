"""One lock per case for every action that reads a case's state and then changes it.

Two people acting on one case at the same moment (or one person clicking twice) must not both
pass checks made on what they loaded: two sends would queue two replies, two claims would both
"win". Each action starts with ``lock_case``: an UPDATE of the case's row, which holds the row
lock on PostgreSQL and the database's write lock on SQLite until the caller commits or rolls
back. The second action waits there, then re-reads the case and decides on what the first one
left. An UPDATE rather than SELECT … FOR UPDATE because pysqlite opens its transaction at the
first write: on SQLite a SELECT locks nothing, so check-then-act would stay racy.

``Case.version`` says whether the case moved on since its user looked at it: a form carries the
version it was rendered with, a service caller the version it loaded. When it no longer matches,
the action is refused with ``CaseChanged`` (nothing done; the user reloads and decides again).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col

from app.models import Case
from app.services import queue_changes

_HELD = "vigie.case_locks"


class CaseChanged(Exception):
    """The case changed since the user saw it: the action was not taken."""

    def __init__(self, message: object | None = None) -> None:
        super().__init__(
            message
            or _l(
                "Ce cas vient de changer (un autre membre de l'équipe ou un autre onglet) : "
                "votre action n'a pas été faite. Relisez le cas avant de recommencer."
            )
        )


def lock_case(
    session: Session,
    case: Case,
    *,
    seen_version: int | None = None,
    bump: bool = True,
    reload: Iterable[Any] = (),
) -> None:
    """Hold the case until the caller's commit and re-read it (and ``reload``) under the lock.

    ``seen_version``: refuse with CaseChanged unless the case is still at that version.
    ``bump``: the action changes what the case is (status, mentions, replies), not just who
    holds it, so forms rendered before it are out of date. Called again for the same case in
    the same transaction (an action calling another), it only adds a bump not yet made.
    """
    transaction = session.get_transaction()
    held: tuple[Any, dict[int | None, bool]] | None = session.info.get(_HELD)
    if held is not None and transaction is not None and held[0] is transaction:
        bumped = held[1].get(case.id)
        if bumped is not None:
            if bump and not bumped:
                _update(session, case, None, bump=True)
                held[1][case.id] = True
            return
    if case not in session:
        session.add(case)
    _update(session, case, seen_version, bump=bump)  # re-reads the case: RETURNING
    for row in reload:
        if row not in session:
            session.add(row)
        session.refresh(row)
    transaction = session.get_transaction()
    if held is None or held[0] is not transaction:
        held = (transaction, {})
        session.info[_HELD] = held
    held[1][case.id] = bump


def _update(session: Session, case: Case, seen_version: int | None, *, bump: bool) -> None:
    stmt = update(Case).where(col(Case.id) == case.id)
    if seen_version is not None:
        stmt = stmt.where(col(Case.version) == seen_version)
    stmt = stmt.values(version=col(Case.version) + (1 if bump else 0)).returning(Case)
    # The version alone: no queue shows it (what the action writes next is counted itself).
    stmt = queue_changes.declare(stmt, ())
    # The row as the lock found it, into `case` (the session's instance): one round trip, not
    # an UPDATE then a SELECT; each counts under load (issue 11, §5).
    found = session.execute(
        stmt, execution_options={"synchronize_session": False, "populate_existing": True}
    ).scalar_one_or_none()
    if found is None:
        raise CaseChanged()


def hold_write_lock(session: Session) -> None:
    """SQLite: take the database's write lock now (BEGIN IMMEDIATE) rather than at the first
    write, so that what this transaction reads cannot change before it writes."""
    connection = session.connection()
    if not connection.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")
