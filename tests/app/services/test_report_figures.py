"""Report figures on a small known history (tests/app/report_history.py), through the rollups."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.models import ReportDay, utcnow
from app.services import report_figures, report_histograms, report_rollups
from tests.app.report_history import seed
from tests.factories import make_brand, make_user


@pytest.fixture
def history(session: Session):
    brand = make_brand(session, slug="alpha")
    other = make_brand(session, slug="beta")
    cm1 = make_user(session, brand)
    cm2 = make_user(session, brand)
    cm1.name, cm2.name = "Alice", "Bruno"
    session.add_all([cm1, cm2])
    session.commit()
    seeded = seed(session, brand, cm1, cm2)
    seed(session, other, make_user(session, other), make_user(session, other))
    report_rollups.refresh(session)
    return brand, other, seeded, cm1, cm2


def _report(session: Session, brand_ids, with_cms=True):
    today = utcnow().date()
    return report_figures.build_report(
        session=session,
        brand_ids=brand_ids,
        first_day=today - timedelta(days=6),
        last_day=today,
        with_cms=with_cms,
    )


def test_the_period_figures(session: Session, history) -> None:
    brand, *_ = history
    report = _report(session, [brand.id])
    t = report.totals
    assert (t.cases, t.handled, t.responded, t.closed) == (5, 4, 4, 3)
    assert t.autonomy_rate == pytest.approx(2 / 3)  # S4 aside: 2 of 3 without the brand
    assert t.autonomy_on_target is False
    assert t.escalation_rate == pytest.approx(0.4)
    assert t.first_response_median == timedelta(minutes=30)
    assert t.first_response_p90 == timedelta(hours=2)
    assert t.within_target == pytest.approx(0.75) and t.within_maximum == 1.0
    assert t.sla_compliance == pytest.approx(3 / 5)
    assert t.handling_median == timedelta(hours=2)
    assert t.fcr_rate == pytest.approx(2 / 3)  # case 2's person wrote again within 72 h
    assert t.brand_turnaround_median == timedelta(minutes=20)
    assert t.brand_asks == 2


def test_days_channels_scenarios_and_cms(session: Session, history) -> None:
    brand, _other, seeded, *_ = history
    report = _report(session, [brand.id])
    assert len(report.daily) == 7
    day = next(d for d in report.daily if d.day == seeded.day.date())
    assert day.by_channel == {"mastodon": 4, "bluesky": 1}
    assert day.by_severity == {"S1": 1, "S2": 2, "S3": 1, "S4": 1}
    assert sum(d.tally.cases for d in report.daily) == 5
    assert report.scenarios[0] == ("retard", 2)
    assert dict(report.scenarios) == {"retard": 2, "insulte": 1, "menace": 1, "": 1}
    cms = {cm.name: cm.tally for cm in report.cms or []}
    assert set(cms) == {"Alice", "Bruno"}
    assert cms["Alice"].cases == 2 and cms["Alice"].first_response_median == timedelta(minutes=30)
    assert cms["Bruno"].fcr_rate == 0.0


def test_brands_stay_apart_and_cms_can_be_left_out(session: Session, history) -> None:
    brand, other, *_ = history
    both = _report(session, [brand.id, other.id])
    assert both.totals.cases == 10 and both.by_brand[other.id].cases == 5
    alone = _report(session, [other.id], with_cms=False)
    assert alone.totals.cases == 5 and alone.cms is None
    assert _report(session, []).totals.cases == 0


def test_refresh_rewrites_only_changed_or_recent_days(session: Session, history) -> None:
    brand, _other, seeded, *_ = history
    old = seeded.cases[0]
    old.opened_at = old.opened_at - timedelta(days=20)
    session.add(old)
    session.commit()
    rewritten = report_rollups.refresh(session, brand_ids=[brand.id])
    # Day D (recent: always recomputed) and the day the case moved to; the 80 other days
    # of the history hold nothing and are left alone.
    assert rewritten == 2
    assert report_rollups.refresh(session, brand_ids=[brand.id]) == 1  # D only, unchanged
    moved = session.exec(
        select(ReportDay).where(
            ReportDay.brand_id == brand.id,
            ReportDay.day == old.opened_at.date(),
            ReportDay.facet == "cs",
        )
    ).all()
    assert sum(r.cases for r in moved) == 1
    assert _report(session, [brand.id]).totals.cases == 4


def test_histogram_percentiles_read_bucket_bounds() -> None:
    h = report_histograms.build([30, 59, 61, 3 * 3600 + 1])
    assert report_histograms.percentile(h, 0.5) == 60
    assert report_histograms.percentile(h, 0.75) == 120
    assert report_histograms.percentile(h, 1.0) == (3 * 60 + 5) * 60  # in the 3 h 05 bucket
    assert report_histograms.share_within(h, 3600) == 0.75
    assert report_histograms.merge(h, report_histograms.build([30]))[0] == 3
