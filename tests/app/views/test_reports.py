"""Reports: each brand's figures over a period, scoped to the user's brands, as a page or CSV."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Case, utcnow
from app.services import metrics
from tests.conftest import login
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


def _case(
    session,
    brand,
    *,
    answered_after=None,
    involved=False,
    closed_after=None,
    severity="S2",
    due_in=60,
):
    now = utcnow()
    opened = now - timedelta(hours=3)
    case = Case(
        brand_id=brand.id,
        severity=severity,
        opened_at=opened,
        last_activity_at=opened,
        due_at=opened + timedelta(minutes=due_in),
        involved_brand=involved,
        status="open",
    )
    if answered_after is not None:
        case.first_response_at = opened + timedelta(minutes=answered_after)
        case.status = "waiting"
    if closed_after is not None:
        case.status, case.resolved_at = "closed", opened + timedelta(minutes=closed_after)
    session.add(case)
    session.commit()
    return case


def test_figures_per_brand(session):
    brand = make_brand(session)
    _case(session, brand, answered_after=30, closed_after=90)
    _case(session, brand, answered_after=90, involved=True)
    _case(session, brand)  # unanswered, past due
    _case(session, brand, severity="S4", answered_after=5, involved=True)
    now = utcnow()
    f = metrics.figures_by_brand(
        session=session, brand_ids=[brand.id], start=now - timedelta(days=1), end=now
    )[brand.id]
    assert f.opened == 4 and f.handled == 2 and f.autonomous == 1
    assert f.autonomy_rate == 0.5 and f.escalation_rate == 0.5
    assert f.sla_measured == 4 and f.sla_met == 2
    assert f.resolution_median == timedelta(minutes=90)


def test_report_page_and_csv_show_only_the_users_brands(client, session):
    mine = make_brand(session, slug="mine", name="Ma marque")
    other = make_brand(session, slug="other", name="Autre marque")
    _case(session, mine, answered_after=30)
    _case(session, other, answered_after=30)
    make_user(session, mine, role="lead", email="lead@example.test")
    login(client, "lead@example.test")
    page = client.get("/reports?days=7").get_data(as_text=True)
    assert "Ma marque" in page and "Autre marque" not in page
    csv_text = client.get("/reports?days=7&format=csv").get_data(as_text=True)
    assert "Ma marque" in csv_text and "Autre marque" not in csv_text


def test_community_managers_have_no_reports(client, session):
    make_user(session, make_brand(session), role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    assert client.get("/reports").status_code == 403
