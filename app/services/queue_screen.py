"""The queue screen in one pass: a page of cases and the escalations watched above it.

Both lists show the same columns (brand, person, handle, holder, holding update due): their
rows are decorated together, so the related tables are read once per request, not once per list.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import exists
from sqlmodel import Session, col
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Case, Escalation, utcnow
from app.services import queue
from app.services.queue import QueueFilters, QueuePage, QueueRow, RowCase

WATCH_LIMIT = 50


@dataclass
class QueueScreen:
    page: QueuePage
    watched: list[QueueRow] = field(default_factory=list)


def watched_cases(
    *,
    session: Session,
    base: SelectOfScalar[Case],
    filters: QueueFilters,
    user_id: int | None,
    now: datetime,
) -> tuple[list[RowCase], set[int]]:
    """Escalated cases pinned above the default queue (the agency watches what the brand
    handles), as the queue orders them, and those with an open urgent escalation.

    Only on the default "open" view (another status filter shows exactly that status); the
    other filters apply.
    """
    if filters.status != "open" or filters.holding_due:  # those show in the list itself
        return [], set()
    conds = queue._filter_conditions(replace(filters, status="escalated"), user_id, now)
    # Each case with whether an urgent escalation of it is open, in one statement.
    urgent = (
        exists()
        .where(
            col(Escalation.case_id) == Case.id,
            col(Escalation.state) == "open",
            col(Escalation.urgency) == "urgent",
        )
        .label("urgent")
    )
    rows = session.exec(  # type: ignore[call-overload]
        queue.row_cases(base, urgent)
        .where(*conds)
        .order_by(
            col(Case.pinned).desc(),
            col(Case.priority).desc(),
            col(Case.due_at).asc(),
            col(Case.id).asc(),
        )
        .limit(WATCH_LIMIT)
    ).all()
    return list(rows), {row.id for row in rows if row.urgent}


def queue_screen(
    *,
    session: Session,
    base: SelectOfScalar[Case],
    filters: QueueFilters,
    user_id: int | None,
    after: str | None = None,
    now: datetime | None = None,
) -> QueueScreen:
    """A page of the queue and, on its first page, the watched escalations (urgent ones first).

    ``base`` is the caller's brand-scoped SELECT of cases (``g.scope.select(Case, ...)``).
    """
    now = now or utcnow()
    page = queue.queue_page(
        session=session,
        base=base,
        filters=filters,
        user_id=user_id,
        after=after,
        now=now,
        decorate=False,
    )
    watched, urgent = (
        ([], set())
        if after
        else watched_cases(session=session, base=base, filters=filters, user_id=user_id, now=now)
    )
    cases = [row.case for row in page.rows]
    rows = queue.decorate_rows(session, [*cases, *watched], now)
    page.rows = rows[: len(cases)]
    watched_rows = rows[len(cases) :]
    for row in watched_rows:
        row.urgent = row.case.id in urgent
    # Urgent ones first even before the worker pinned them (a stable sort keeps the rest).
    return QueueScreen(page, sorted(watched_rows, key=lambda r: not r.urgent))
