"""Two workers refreshing the same brand's rollups at once: both finish, no row doubles.

Each refresher runs in its own thread and session; they start together at a barrier. The
brand's rollup lock (PostgreSQL advisory lock; SQLite's write lock) makes the second wait
for the first, then find nothing but the recent days to rewrite.
"""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, func, select

from app.models import ReportDay, ReportDayMark, utcnow
from app.services import report_figures, report_rollups
from tests.app.report_history import seed
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


def test_two_refreshes_at_once_write_each_row_once(engine, session):
    brand = make_brand(session, slug="alpha")
    seed(session, brand, make_user(session, brand), make_user(session, brand))
    barrier = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def refresh() -> None:
        with Session(engine) as own:
            try:
                barrier.wait()
                report_rollups.refresh(own, brand_ids=[brand.id])
            except BaseException as exc:  # any failure fails the test below
                own.rollback()
                errors.append(exc)

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a refresher is stuck"
    assert not errors, errors
    session.expire_all()
    per_key = session.exec(
        select(func.count())
        .select_from(ReportDay)
        .group_by(
            ReportDay.facet, ReportDay.day, ReportDay.channel, ReportDay.severity, ReportDay.key
        )
    ).all()
    assert per_key and set(per_key) == {1}
    marks = session.exec(select(func.count()).select_from(ReportDayMark)).one()
    assert marks == 1  # day D only
    first, last = report_figures.period(7, utcnow().date())
    report = report_figures.build_report(
        session=session, brand_ids=[brand.id], first_day=first, last_day=last, with_cms=False
    )
    assert report.totals.cases == 5
