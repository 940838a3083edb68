"""The monthly client report: one brand's month as an HTML page and a PDF (issue 17, part 4).

The figures come from the daily rollups (``report_figures.build_report``), satisfaction from
``surveys``, hidden items and crisis episodes from the audit. The page is rendered by
``app/ui/monthly_report.py`` in the brand's language; this module keeps the PDFs: made once per
brand and month (the unique key settles two workers), by the worker on the first days of the
next month (then e-mailed to the brand's owners with a link to the portal), or on a first
download for a month the worker has not reached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.models import AuditEvent, Brand, MonthlyReportFile, utcnow
from app.services import report_figures, surveys
from app.services.report_figures import Report
from app.services.surveys import SatisfactionFigures

# The worker makes last month's reports from this day of the month on (rollups settled).
GENERATE_FROM_DAY = 1


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        following = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - timedelta(days=1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)


def month_of(day: date) -> Month:
    return Month(day.year, day.month)


def parse_month(raw: str, today: date) -> Month | None:
    """`YYYY-MM` for a month that has started (the current one is partial), else None."""
    if len(raw) != 7 or raw[4] != "-" or not (raw[:4] + raw[5:]).isdigit():
        return None
    year, month = int(raw[:4]), int(raw[5:])
    if not 2000 <= year <= 2999 or not 1 <= month <= 12:
        return None
    chosen = Month(year, month)
    return chosen if chosen.first_day <= today else None


@dataclass(frozen=True)
class CrisisEpisode:
    started_at: datetime
    reason: str


@dataclass(frozen=True)
class MonthlyFigures:
    """Everything the monthly client report shows."""

    brand: Brand
    month: Month
    report: Report
    satisfaction: SatisfactionFigures
    hidden: int
    crises: list[CrisisEpisode]
    partial: bool  # the month is not over yet


def _bounds(month: Month) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    return start, datetime.combine(month.last_day + timedelta(days=1), datetime.min.time(), UTC)


def monthly_figures(session: Session, brand: Brand, month: Month, today: date) -> MonthlyFigures:
    """The month's figures for the brand; never per CM (the report goes to the brand)."""
    assert brand.id is not None
    last_day = min(month.last_day, today)
    report = report_figures.build_report(
        session=session,
        brand_ids=[brand.id],
        first_day=month.first_day,
        last_day=last_day,
        with_cms=False,
    )
    start, end = _bounds(month)
    hidden = session.exec(
        select(func.count()).where(
            AuditEvent.brand_id == brand.id,
            AuditEvent.action == "mention.hidden",
            AuditEvent.created_at >= start,
            AuditEvent.created_at < end,
        )
    ).one()
    crises = [
        CrisisEpisode(event.created_at, event.note or "")
        for event in session.exec(
            select(AuditEvent)
            .where(
                AuditEvent.brand_id == brand.id,
                AuditEvent.action == "crisis.started",
                AuditEvent.created_at >= start,
                AuditEvent.created_at < end,
            )
            .order_by(col(AuditEvent.created_at))
        )
    ]
    return MonthlyFigures(
        brand=brand,
        month=month,
        report=report,
        satisfaction=surveys.satisfaction_figures(session, [brand.id], start, end),
        hidden=int(hidden),
        crises=crises,
        partial=month.last_day >= today,
    )


def brand_language(brand: Brand) -> str:
    """The report's language: the brand's first language when the UI has it, else French."""
    languages = brand.languages or ["fr"]
    return languages[0] if languages[0] in ("fr", "en") else "fr"


def stored_pdf(session: Session, brand_id: int, month: Month) -> MonthlyReportFile | None:
    return session.exec(
        select(MonthlyReportFile).where(
            MonthlyReportFile.brand_id == brand_id, MonthlyReportFile.month == month.key
        )
    ).first()


def keep_pdf(
    session: Session, brand: Brand, month: Month, pdf: bytes, now: datetime | None = None
) -> MonthlyReportFile:
    """Store a finished month's PDF once; if another process stored it first, theirs is kept."""
    row = MonthlyReportFile(
        brand_id=brand.id or 0,
        month=month.key,
        language=brand_language(brand),
        pdf=pdf,
        generated_at=now or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        existing = stored_pdf(session, brand.id or 0, month)
        assert existing is not None
        return existing
    return row


@dataclass
class MonthlyRun:
    made: list[str]
    mailed: int


def run_monthly(
    session: Session,
    *,
    render_pdf: Callable[[Brand, Month], bytes],
    send_to_owners: Callable[[Brand, Month], int],
    today: date,
) -> MonthlyRun:
    """The worker's pass: make last month's report for each brand that has none, then e-mail
    the owners of each report not yet mailed (mailed_at set in the same transaction)."""
    run = MonthlyRun(made=[], mailed=0)
    if today.day < GENERATE_FROM_DAY:
        return run
    month = month_of(today).previous()
    for brand in session.exec(select(Brand).order_by(col(Brand.id))).all():
        row = stored_pdf(session, brand.id or 0, month)
        if row is None:
            row = keep_pdf(session, brand, month, render_pdf(brand, month))
            session.commit()
            run.made.append(f"{brand.slug} {month.key}")
        if row.mailed_at is None:
            # Claim the mailing first: a second worker finds it claimed and sends nothing.
            claimed = session.execute(
                MonthlyReportFile.__table__.update()  # type: ignore[attr-defined]
                .where(
                    MonthlyReportFile.__table__.c.id == row.id,  # type: ignore[attr-defined]
                    MonthlyReportFile.__table__.c.mailed_at.is_(None),  # type: ignore[attr-defined]
                )
                .values(mailed_at=utcnow())
            ).rowcount
            session.commit()
            if claimed:
                run.mailed += send_to_owners(brand, month)
                session.commit()
    return run
