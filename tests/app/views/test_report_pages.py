"""The reports page: charts with data, CSV of every table, per-CM figures for leads only, and
brand isolation (a lead of brand A never sees brand B's figures)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from app.services import report_rollups
from tests.app.report_history import seed
from tests.conftest import login
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


@pytest.fixture
def brands(session):
    alpha = make_brand(session, slug="alpha", name="Alpha")
    beta = make_brand(session, slug="beta", name="Beta")
    cm1, cm2 = make_user(session, alpha), make_user(session, alpha)
    cm1.name, cm2.name = "Alice Agent", "Bruno Agent"
    session.add_all([cm1, cm2])
    session.commit()
    seed(session, alpha, cm1, cm2)
    seed(session, beta, make_user(session, beta), make_user(session, beta))
    report_rollups.refresh(session)
    return alpha, beta


def test_lead_sees_charts_with_data_and_per_cm_figures(client, session, brands):
    alpha, _beta = brands
    make_user(session, alpha, role="lead", email="lead@example.test")
    login(client, "lead@example.test")
    page = client.get("/reports?days=7").get_data(as_text=True)
    assert page.count("<svg") >= 5
    assert len(re.findall(r'data-value="[\d.]+"', page)) > 10
    assert 'data-target="60"' in page and 'data-target="240"' in page  # 1 h target, 4 h max
    assert 'data-target="0.7"' in page  # the 70% autonomy line
    assert "Alice Agent" in page and "Par community manager" in page
    assert "Beta" not in page
    assert "67 %" in page  # autonomy 2 of 3


def test_brand_owner_sees_no_per_cm_figures(client, session, brands):
    alpha, _beta = brands
    make_user(session, alpha, role="brand_owner", email="owner@example.test")
    login(client, "owner@example.test")
    page = client.get(f"/reports?days=7&brand={alpha.id}").get_data(as_text=True)
    assert "<svg" in page and "Alpha" in page
    assert "Alice Agent" not in page and "Par community manager" not in page
    assert client.get(f"/reports?days=7&brand={alpha.id}&format=csv&table=cms").status_code == 404


def test_lead_of_one_brand_cannot_read_another(client, session, brands):
    alpha, beta = brands
    make_user(session, alpha, role="lead", email="lead@example.test")
    login(client, "lead@example.test")
    assert client.get(f"/reports?brand={beta.id}").status_code == 404
    assert client.get(f"/reports?brand={beta.id}&format=csv").status_code == 404
    assert client.get("/reports?brand=abc").status_code == 404


def test_every_table_exports_as_csv(client, session, brands):
    alpha, _beta = brands
    make_user(session, alpha, role="lead", email="lead@example.test")
    login(client, "lead@example.test")
    for table in ("brands", "daily", "scenarios", "cms"):
        response = client.get(f"/reports?days=7&format=csv&table={table}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert len(rows) >= 2, table
    brands_rows = list(
        csv.reader(io.StringIO(client.get("/reports?days=7&format=csv").get_data(as_text=True)))
    )
    head, alpha_row = brands_rows[0], brands_rows[1]
    assert alpha_row[0] == "Alpha" and alpha_row[head.index("Cas")] == "5"
    assert alpha_row[head.index("1re réponse médiane (min)")] == "30"
    assert alpha_row[head.index("Résolution au premier contact (%)")] == "66.7"
    scenarios = client.get("/reports?days=7&format=csv&table=scenarios").get_data(as_text=True)
    assert "retard,2" in scenarios


def test_custom_range_and_bad_ranges(client, session, brands):
    alpha, _beta = brands
    make_user(session, alpha, role="lead", email="lead@example.test")
    login(client, "lead@example.test")
    from app.models import utcnow

    today = utcnow().date()
    ok = client.get(f"/reports?from={today.replace(day=1).isoformat()}&to={today.isoformat()}")
    assert ok.status_code == 200
    for query in (
        "from=2026-13-01&to=2026-12-01",
        "from=2026-12-01&to=2026-11-01",
        "from=2020-01-01&to=2022-01-01",
        "from=x",
    ):
        assert client.get(f"/reports?{query}").status_code == 400, query


def test_english_page(client, session, brands):
    alpha, _beta = brands
    make_user(session, alpha, role="lead", email="lead@example.test")
    login(client, "lead@example.test")
    page = client.get("/reports?days=7", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<svg" in page
