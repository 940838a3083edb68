"""The demo's 90 days of history (issue 17, part 7): every figure and chart shows something on
a first run, the queue stays the live stream's, and history cases open like any other."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlmodel import Session, func, select

from app import create_app
from app.config import Settings
from app.demo import seed_demo
from app.models import AuditEvent, Brand, Case, SurveyAnswer
from app.services import monthly_reports, report_figures
from tests.conftest import login

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    instance: Path = tmp_path_factory.mktemp("demo-history")
    settings = Settings(
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'demo.db'}",
        secret_key="demo-history",
        encryption_key=Fernet.generate_key().decode(),
    )
    app = create_app({"RATELIMIT_ENABLED": False, "TESTING": True}, settings=settings)
    with app.app_context():
        seed_demo(app)
    return app


def test_ninety_days_of_handled_history_feed_every_figure(demo):
    engine = demo.extensions["vigie_engine"]
    with Session(engine) as session:
        rail = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        today = report_figures.period(1, monthly_reports.utcnow().date())[1]
        first, last = report_figures.period(90, today)
        report = report_figures.build_report(
            session=session, brand_ids=[rail.id], first_day=first, last_day=last, with_cms=True
        )
        totals = report.totals
        assert totals.cases > 1500
        assert 0.7 <= (totals.autonomy_rate or 0) < 1.0  # some cases needed the brand
        assert totals.first_response_median is not None
        assert 0.5 < (totals.sla_compliance or 0) < 1.0  # mostly on time, some late
        assert 0.6 < (totals.fcr_rate or 0) < 1.0
        assert totals.brand_turnaround_median is not None
        assert report.scenarios and report.cms
        assert session.exec(select(func.count()).select_from(SurveyAnswer)).one() > 300
        crisis = session.exec(select(AuditEvent).where(AuditEvent.action == "crisis.started")).all()
        assert len(crisis) == 1
        # The live queue stays the stream's: no history case is open.
        open_history = session.exec(
            select(func.count()).select_from(Case).where(Case.status != "closed")
        ).one()
        assert open_history == 0


def test_history_shows_in_the_reports_and_a_history_case_opens(demo):
    client = demo.test_client()
    login(client, "lead@vigie.demo", "demo")
    html = client.get("/reports?days=90").get_data(as_text=True)
    assert html.count("<svg") >= 3
    with Session(demo.extensions["vigie_engine"]) as session:
        case = session.exec(select(Case).order_by(Case.id)).first()
    assert client.get(f"/cases/{case.id}").status_code == 200
