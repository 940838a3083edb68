"""The brand owner downloads last month's client report from the portal; the PDF's first page
renders (pdftoppm), and another brand's owner cannot open it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlmodel import Session, select

from app.models import Brand, utcnow
from app.services import monthly_reports
from tests.browser.conftest import log_in

PHONE = {"width": 390, "height": 844}


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_owner_downloads_the_monthly_pdf_from_the_portal(browser, live_app, live_server, tmp_path):
    with Session(live_app.extensions["vigie_engine"]) as session:
        rail = session.exec(select(Brand).where(Brand.slug == "demo-rail")).one()
        shop = session.exec(select(Brand).where(Brand.slug == "demo-shop")).one()
    month = monthly_reports.month_of(utcnow().date()).previous()
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server, "owner@demo-rail.vigie.demo")
    page.goto(f"{live_server.url}/portal?brand={rail.id}")
    reports = page.get_by_test_id("monthly-reports")
    link = reports.locator(f"a[href*='/portal/reports/{month.key}.pdf']")
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    assert next(tmp_path.glob("p*.png")).stat().st_size > 2000
    # The page version shows the month's figures (the demo's history fills them).
    page.goto(f"{live_server.url}/portal/reports/{month.key}?brand={rail.id}")
    assert int(page.get_by_test_id("monthly-cases").inner_text()) > 100
    # Another brand's report is not found.
    response = page.request.get(f"{live_server.url}/portal/reports/{month.key}.pdf?brand={shop.id}")
    assert response.status == 404
