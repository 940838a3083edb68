"""The queue's keyset paging: the position after a case, read back, and the rows after it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_
from sqlmodel import col

from app.models import Case


def encode_cursor(case: Any) -> str:
    """The keyset position after a case: pinned, priority, due time and id."""
    due = case.due_at.isoformat() if case.due_at else "-"
    return f"{int(case.pinned)}|{case.priority}|{due}|{case.id}"


def decode_cursor(raw: str | None) -> tuple[bool, int, datetime | None, int] | None:
    if not raw:
        return None
    try:
        pinned, priority, due, case_id = raw.split("|")
        due_at = None if due == "-" else datetime.fromisoformat(due)
        if due_at is not None and due_at.tzinfo is None:
            return None
        return pinned == "1", int(priority), due_at, int(case_id)
    except ValueError:
        return None


def after_cursor(
    cursor: tuple[bool, int, datetime | None, int], nulls_first: bool
) -> ColumnElement[bool]:
    """Rows that come after the cursor in (pinned desc, priority desc, due asc, id asc).

    NULL due times sort last on PostgreSQL and first on SQLite (each database's own ASC order,
    so the composite queue index still serves the sort); the condition follows the database.
    """
    pinned, priority, due, case_id = cursor
    due_col, id_col = col(Case.due_at), col(Case.id)
    if due is None:
        same_due = and_(due_col.is_(None), id_col > case_id)
        later_due = or_(same_due, due_col.is_not(None)) if nulls_first else same_due
    else:
        later_due = or_(due_col > due, and_(due_col == due, id_col > case_id))
        if not nulls_first:
            later_due = or_(later_due, due_col.is_(None))
    lower_pin = col(Case.pinned).is_(False) if pinned else false()
    return or_(
        lower_pin,
        and_(
            col(Case.pinned) == pinned,
            or_(
                col(Case.priority) < priority,
                and_(col(Case.priority) == priority, later_due),
            ),
        ),
    )
