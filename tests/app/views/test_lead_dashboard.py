"""The lead's live dashboard: urgent, at-risk and late cases with who holds them, queues per
brand, what waits on each brand, CM workload, connectors; links to the filtered queue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import ConnectorAccount, Escalation, Reply, utcnow
from tests.conftest import login
from tests.factories import make_brand, make_case, make_user

pytestmark = pytest.mark.db


@pytest.fixture
def floor(session):
    alpha = make_brand(session, slug="alpha", name="Alpha")
    beta = make_brand(session, slug="beta", name="Beta")
    cm = make_user(session, alpha, email="cm@example.test")
    cm.name = "Chloé CM"
    session.add(cm)
    now = utcnow()
    urgent = make_case(
        session, alpha, "Je vais tout casser", severity="S4", due_in=timedelta(minutes=5)
    )
    urgent.assignee_id, urgent.claimed_at = cm.id, now
    urgent.claim_expires_at = now + timedelta(minutes=10)
    session.add(urgent)
    soon = make_case(session, alpha, "Bientôt en retard", due_in=timedelta(minutes=10))
    late = make_case(session, alpha, "Déjà en retard", due_in=timedelta(minutes=-20))
    make_case(session, alpha, "Tranquille", due_in=timedelta(hours=3))
    make_case(session, beta, "Autre marque en retard", due_in=timedelta(minutes=-20))
    session.add(
        Reply(
            brand_id=alpha.id,
            case_id=soon.id,
            text="Proposition",
            approval_state="pending",
            approver_role="brand",
            idempotency_key="dash-1",
            created_at=now - timedelta(minutes=40),
        )
    )
    session.add(
        Escalation(
            brand_id=alpha.id,
            case_id=late.id,
            reason="Question",
            state="open",
            created_at=now - timedelta(hours=2),
        )
    )
    session.add(
        ConnectorAccount(
            brand_id=alpha.id,
            platform="mastodon",
            label="Compte Alpha",
            status="error",
            last_error="401 Unauthorized",
        )
    )
    session.commit()
    return alpha, beta, cm


def test_lead_dashboard_shows_what_needs_a_lead(client, session, floor):
    alpha, _beta, cm = floor
    make_user(session, alpha, role="lead", email="lead@example.test")
    login(client, "lead@example.test")
    page = client.get("/").get_data(as_text=True)
    assert 'id="lead-dashboard"' in page and 'hx-trigger="every 15s"' in page
    assert "Je vais tout casser" in page and "pris par Chloé CM" in page
    assert "Bientôt en retard" in page and "Déjà en retard" in page
    assert "Autre marque" not in page  # brand B's late case is not this lead's
    assert "/queue?due=soon" in page and "/queue?due=late" in page
    assert f"/queue?cm={cm.id}" in page
    assert f"/queue?brand={alpha.id}&amp;status=pending_approval" in page
    assert "401 Unauthorized" in page


def test_the_poll_gets_the_fragment_alone(client, session, floor):
    alpha, *_ = floor
    make_user(session, alpha, role="lead", email="lead@example.test")
    login(client, "lead@example.test")
    fragment = client.get("/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="lead-dashboard"' in fragment and "<html" not in fragment


def test_community_managers_get_no_lead_dashboard(client, session, floor):
    login(client, "cm@example.test")
    page = client.get("/").get_data(as_text=True)
    assert 'id="lead-dashboard"' not in page


def test_queue_follows_the_dashboard_links(client, session, floor):
    alpha, _beta, cm = floor
    make_user(session, alpha, role="lead", email="lead@example.test")
    login(client, "lead@example.test")
    late = client.get("/queue?due=late").get_data(as_text=True)
    assert "Déjà en retard" in late and "Bientôt en retard" not in late and "Tranquille" not in late
    soon = client.get("/queue?due=soon").get_data(as_text=True)
    assert "Bientôt en retard" in soon and "Déjà en retard" not in soon
    held = client.get(f"/queue?cm={cm.id}").get_data(as_text=True)
    assert "Je vais tout casser" in held and "Tranquille" not in held
    assert client.get("/queue?due=whenever&cm=x").status_code == 200
