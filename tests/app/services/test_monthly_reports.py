"""The monthly client report (issue 17, part 4): a page and a PDF per brand and month, in the
brand's language, downloadable by that brand's owners only; the worker makes last month's once
and mails the owners a link, even with two workers at once."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from app.models import MonthlyReportFile, OutgoingMessage
from app.services import monthly_reports, report_rollups
from app.worker.monthly_mail import make_monthly_reports
from tests.app.report_history import seed
from tests.conftest import login
from tests.factories import make_brand, make_user
from tests.races import race

pytestmark = pytest.mark.db


@pytest.fixture
def history(session: Session):
    brand = make_brand(session, slug="alpha", name="Alpha Rail")
    other = make_brand(session, slug="beta", name="Beta Shop")
    other.languages = ["en"]
    session.add(other)
    seeded = seed(session, brand, make_user(session, brand), make_user(session, brand))
    seed(session, other, make_user(session, other), make_user(session, other))
    make_user(session, brand, role="brand_owner", email="owner@alpha.test")
    make_user(session, other, role="brand_owner", email="owner@beta.test")
    report_rollups.refresh(session)
    session.commit()
    month = monthly_reports.month_of(seeded.day.date())
    return brand, other, month


def test_owner_reads_the_month_as_a_page_and_downloads_the_pdf(client, session, history):
    brand, other, month = history
    login(client, "owner@alpha.test")
    page = client.get(f"/portal/reports/{month.key}?brand={brand.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Rapport mensuel — Alpha Rail" in html
    assert 'data-testid="monthly-cases">5<' in html  # the five cases of the known history
    assert "<svg" in html
    pdf = client.get(f"/portal/reports/{month.key}.pdf?brand={brand.id}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert f"rapport-alpha-{month.key}.pdf" in pdf.headers["Content-Disposition"]
    # Another brand's report, a malformed or future month: not found.
    assert client.get(f"/portal/reports/{month.key}.pdf?brand={other.id}").status_code == 404
    assert client.get(f"/portal/reports/2026-13.pdf?brand={brand.id}").status_code == 404
    assert client.get(f"/portal/reports/2999-01.pdf?brand={brand.id}").status_code == 404
    assert client.get(f"/portal/reports/nope.pdf?brand={brand.id}").status_code == 404


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_pdf_renders_its_first_page(client, session, history, tmp_path):
    brand, _other, month = history
    login(client, "owner@alpha.test")
    pdf = client.get(f"/portal/reports/{month.key}.pdf?brand={brand.id}").data
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "r.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    pages = list(tmp_path.glob("page*.png"))
    assert pages and pages[0].stat().st_size > 2000


def test_the_report_speaks_the_brands_language(client, session, history):
    _brand, other, month = history
    login(client, "owner@beta.test")
    html = client.get(f"/portal/reports/{month.key}?brand={other.id}").get_data(as_text=True)
    assert "Monthly report — Beta Shop" in html


def test_a_cm_of_the_brand_cannot_download_it(client, session, history):
    brand, _other, month = history
    make_user(session, brand, email="cm@alpha.test")
    login(client, "cm@alpha.test")
    response = client.get(f"/portal/reports/{month.key}.pdf?brand={brand.id}")
    assert response.status_code in (403, 404)


def test_the_worker_makes_last_months_reports_once_and_mails_the_owners(
    app, client, session, history
):
    brand, _other, month = history
    next_month_day = month.last_day + timedelta(days=1)
    run = make_monthly_reports(app, today=next_month_day)
    assert sorted(run.made) == [f"alpha {month.key}", f"beta {month.key}"]
    assert run.mailed == 2
    again = make_monthly_reports(app, today=next_month_day + timedelta(days=1))
    assert again.made == [] and again.mailed == 0
    mails = session.exec(select(OutgoingMessage).order_by(OutgoingMessage.recipient)).all()
    assert [m.recipient for m in mails] == ["owner@alpha.test", "owner@beta.test"]
    assert f"/portal/reports/{month.key}.pdf?brand={brand.id}" in mails[0].body
    assert mails[1].subject.startswith("Your monthly report")  # the brand's language
    # The owner downloads the stored PDF (made once, not again).
    login(client, "owner@alpha.test")
    stored = session.exec(
        select(MonthlyReportFile).where(MonthlyReportFile.brand_id == brand.id)
    ).one()
    pdf = client.get(f"/portal/reports/{month.key}.pdf?brand={brand.id}")
    assert pdf.data == stored.pdf


def test_two_workers_at_once_make_one_report_and_one_mail_each(engine, session, history):
    _brand, _other, month = history
    today = month.last_day + timedelta(days=1)
    sent: list[str] = []

    def worker(s, go):
        go()
        return monthly_reports.run_monthly(
            s,
            render_pdf=lambda b, m: b"%PDF-1.7 fake " + b.slug.encode(),
            send_to_owners=lambda b, m: sent.append(b.slug) or 1,
            today=today,
        )

    outcomes = race(engine, worker, worker)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    session.expire_all()
    assert session.exec(select(func.count()).select_from(MonthlyReportFile)).one() == 2
    assert sorted(sent) == ["alpha", "beta"]


def test_the_owners_home_shows_this_months_two_charts_and_the_reports(client, session, history):
    brand, _other, month = history
    login(client, "owner@alpha.test")
    html = client.get(f"/portal?brand={brand.id}").get_data(as_text=True)
    charts = html.split('data-testid="portal-charts"')[1].split("</div>")[0]
    assert charts.count("<svg") == 2
    assert f"/portal/reports/{month.key}.pdf?brand={brand.id}" in html
