"""The brand portal page, and the figures it shows (autonomy rate, response times, SLA)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Case, utcnow
from app.services import metrics
from tests.app.portal_support import cast, pending_reply
from tests.conftest import login


def _case(severity="S2", involved=False, status="closed", response_min=None, due_min=60):
    opened = utcnow() - timedelta(hours=5)
    return Case(
        brand_id=1,
        severity=severity,
        involved_brand=involved,
        status=status,
        opened_at=opened,
        due_at=opened + timedelta(minutes=due_min),
        first_response_at=opened + timedelta(minutes=response_min)
        if response_min is not None
        else None,
    )


def test_autonomy_rate_excludes_s4_and_unhandled_cases():
    cases = [_case() for _ in range(7)] + [_case(involved=True) for _ in range(3)]
    cases += [_case("S4", involved=True), _case(status="open")]  # left out
    figures = metrics.figures_for_cases(cases)
    assert (figures.handled, figures.autonomous) == (10, 7)
    assert figures.autonomy_rate == pytest.approx(0.7) and figures.autonomy_on_target


def test_answered_open_case_counts_as_handled():
    figures = metrics.figures_for_cases([_case(status="waiting", response_min=10, involved=True)])
    assert figures.handled == 1 and figures.autonomy_rate == 0 and not figures.autonomy_on_target


def test_first_response_median_p90_and_sla():
    cases = [_case(response_min=m) for m in (10, 20, 30, 40, 200)] + [_case(status="open")]
    figures = metrics.figures_for_cases(cases)
    assert figures.first_response_median == timedelta(minutes=30)
    assert figures.first_response_p90 == timedelta(minutes=200)
    # 4 answered in time, 1 late, 1 unanswered past its due time.
    assert (figures.sla_measured, figures.sla_met) == (6, 4)
    assert metrics.format_duration(timedelta(minutes=200)) == "3 h 20"


def test_no_cases_no_figures():
    figures = metrics.figures_for_cases([])
    assert figures.autonomy_rate is None and figures.first_response_median is None
    assert figures.autonomy_on_target is None


@pytest.mark.db
def test_owner_sees_his_pending_replies_and_figures_not_another_brand(client, session):
    people = cast(session)
    mine = pending_reply(session, people.brand, people.cm, text="Réponse RAIL à valider")
    other = pending_reply(session, people.other, people.cm, text="Réponse SHOP secrète")
    login(client, "owner@rail.test")
    html = client.get("/portal").get_data(as_text=True)
    assert "Réponse RAIL à valider" in html and "SHOP secrète" not in html
    assert f"reply-{mine.id}" in html and "Autonomie de l" in html
    assert 'name="viewport"' in html and "portal.css" in html
    assert client.get(f"/portal?brand={people.other.id}").status_code == 404
    assert client.get(f"/portal/replies/{other.id}/approve").status_code == 405


@pytest.mark.db
@pytest.mark.parametrize("email", ["cm@agency.test", "lead@agency.test"])
def test_agency_roles_have_no_portal(client, session, email):
    cast(session)
    login(client, email)
    assert client.get("/portal").status_code == 403
