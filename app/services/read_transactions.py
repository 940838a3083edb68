"""A request's read transaction, ended before its page renders; a refused action undone cheaply.

A page reads, then renders for as long as it reads again (the case page: about half of its
time). Its transaction stayed open meanwhile: under 50 CMs about ten PostgreSQL backends sat
"idle in transaction", each holding a pooled connection and an old snapshot. `end_reads` ends a
transaction that only read (a commit: with expire_on_commit=False the rows read stay loaded) and
leaves one that wrote to its caller's commit. `undo` rolls back what a refused action wrote; when
it wrote nothing (a claim refused on the state just read), it only ends the reads, so the page
that shows the refusal does not read the case, its brand and the user again (a rollback expires
every loaded row).

Writes are flagged on the session that flushes or executes them (`wrote`), forgotten when it
commits or rolls back (app/ui/queue_poll.py times the committed ones for the queue's rows).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

WROTE = "vigie_wrote"  # session.info key: this transaction flushed or executed a write


@event.listens_for(OrmSession, "before_flush")
def _flag_write(session: OrmSession, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[WROTE] = True


@event.listens_for(OrmSession, "do_orm_execute")
def _flag_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@event.listens_for(OrmSession, "after_rollback")
def _forget_write(session: OrmSession) -> None:
    session.info.pop(WROTE, None)


def wrote(session: OrmSession) -> bool:
    """Whether the session's transaction wrote anything, or holds changes not yet flushed."""
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def end_reads(session: OrmSession) -> None:
    """End the session's transaction when it only read (its connection goes back to the pool);
    a transaction that wrote is left to its caller's commit."""
    if session.in_transaction() and not wrote(session):
        session.commit()


def undo(session: OrmSession) -> None:
    """Roll back what a refused action wrote; after reads only, just end them (no re-reads)."""
    if wrote(session):
        session.rollback()
    else:
        end_reads(session)
