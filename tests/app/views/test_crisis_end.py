"""While a crisis is on, a lead sets, changes or clears its planned end (audited; the worker
honours the new time); storm and crisis notifications read in each reader's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlmodel import select

from app.demo_crisis import install_crisis_playbook
from app.models import AuditEvent, CrisisPeriod, Notification, utcnow
from app.services import crisis, notifications
from tests.app.services.test_crisis import _storm, rail, team  # noqa: F401  (fixtures)
from tests.conftest import login, post

pytestmark = pytest.mark.db


def _period(session, rail, team, hours=None):  # noqa: F811
    install_crisis_playbook(session=session, brand=rail)
    period = crisis.start(
        session=session, brand=rail, actor=team["lead"], reason="Grève", hours=hours
    )
    session.commit()
    return period


def _ends_at(session, period):
    session.expire_all()
    return session.get(CrisisPeriod, period.id).ends_at


def test_a_lead_sets_changes_and_clears_the_planned_end(client, session, rail, team):  # noqa: F811
    period = _period(session, rail, team)
    login(client, "lead@rail.test")
    page = client.get("/crisis?brand=demo-rail").get_data(as_text=True)
    assert 'data-testid="crisis-end-form"' in page and 'data-testid="crisis-end-clear"' not in page

    assert post(client, "/crisis/demo-rail/end", {"hours": "3"}).status_code == 302
    first = _ends_at(session, period)
    assert timedelta(hours=2, minutes=59) < first - utcnow() <= timedelta(hours=3)
    page = client.get("/crisis?brand=demo-rail").get_data(as_text=True)
    assert "Fin prévue du mode crise modifiée" in page
    assert 'data-testid="crisis-end-clear"' in page

    assert post(client, "/crisis/demo-rail/end", {"hours": "0,5"}).status_code == 302
    second = _ends_at(session, period)
    assert second < first and second - utcnow() <= timedelta(minutes=30)

    assert post(client, "/crisis/demo-rail/end", {"clear": "1"}).status_code == 302
    assert _ends_at(session, period) is None
    assert "se désactive à la main" in client.get("/crisis?brand=demo-rail").get_data(as_text=True)

    changes = session.exec(
        select(AuditEvent).where(AuditEvent.action == "crisis.end_changed").order_by(AuditEvent.id)
    ).all()
    assert [(c.before["ends_at"] is None, c.after["ends_at"] is None) for c in changes] == [
        (True, False),
        (False, False),
        (False, True),
    ]
    assert all(c.actor_id == team["lead"].id for c in changes)
    assert "Fin prévue du mode crise modifiée" in client.get("/audit").get_data(as_text=True)


def test_the_worker_honours_the_new_end(session, rail, team):  # noqa: F811
    period = _period(session, rail, team, hours=1)
    crisis.set_end(session=session, period=period, actor=team["lead"], hours=5)
    session.commit()
    assert crisis.end_due(session=session, now=utcnow() + timedelta(hours=2)) == 0
    session.commit()
    assert crisis.open_period(session=session, brand_id=rail.id) is not None
    crisis.set_end(session=session, period=period, actor=team["lead"], hours=None)
    session.commit()
    assert crisis.end_due(session=session, now=utcnow() + timedelta(days=30)) == 0
    crisis.set_end(session=session, period=period, actor=team["lead"], hours=0.25)
    session.commit()
    assert crisis.end_due(session=session, now=utcnow() + timedelta(minutes=20)) == 1
    session.commit()
    assert session.get(CrisisPeriod, period.id).ended_at is not None


def test_an_ended_crisis_end_cannot_be_changed(client, session, rail, team):  # noqa: F811
    period = _period(session, rail, team, hours=1)
    crisis.stop(session=session, period=period, actor=team["lead"])
    session.commit()
    with pytest.raises(crisis.CrisisError):
        crisis.set_end(session=session, period=period, actor=team["lead"], hours=4)
    session.rollback()
    login(client, "lead@rail.test")
    response = post(client, "/crisis/demo-rail/end", {"hours": "4"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Cette crise est déjà terminée" in page


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"hours": "abc"}, 400, None),
        ({"hours": "0"}, 302, "La durée doit être comprise"),
        ({"hours": "999999"}, 302, "La durée doit être comprise"),
        ({"hours": ""}, 302, "Indiquez dans combien"),
    ],
)
def test_bad_end_input_is_a_clear_refusal(client, session, rail, team, form, status, message):  # noqa: F811
    period = _period(session, rail, team, hours=1)
    before = _ends_at(session, period)
    login(client, "lead@rail.test")
    response = post(client, "/crisis/demo-rail/end", form)
    assert response.status_code == status
    if message:
        assert message in client.get(response.location).get_data(as_text=True)
    assert _ends_at(session, period) == before


def test_only_leads_and_owners_change_the_end(client, session, rail, team):  # noqa: F811
    _period(session, rail, team, hours=1)
    login(client, "cm@rail.test")
    assert post(client, "/crisis/demo-rail/end", {"hours": "4"}).status_code == 403


def test_storm_and_crisis_notifications_read_in_each_readers_language(
    app,
    session,
    rail,  # noqa: F811
    team,  # noqa: F811
):
    _storm(session, rail)
    period = _period(session, rail, team)
    crisis.set_end(session=session, period=period, actor=team["lead"], hours=2)
    crisis.stop(session=session, period=period, actor=team["lead"])
    session.commit()
    rows = session.exec(
        select(Notification)
        .where(Notification.user_id == team["owner"].id)
        .order_by(Notification.id)
    ).all()
    assert [r.kind for r in rows] == ["spike", "crisis", "crisis", "crisis"]
    assert all(r.params for r in rows)  # data, not a frozen French sentence
    french = [r.text for r in rows]
    assert french[0].startswith("Alerte tempête : Ferlis — pic de mentions : ")
    assert "attendues" in french[0]
    assert french[1] == "Mode crise activé — Ferlis : Grève"
    assert french[2].startswith("Mode crise — Ferlis : fin prévue le ")
    assert french[3].startswith("Fin du mode crise — Ferlis")
    with app.test_request_context(), force_locale("en"):
        english = [notifications.text_of(r) for r in rows]
    assert english[0].startswith("Storm alert: Ferlis — ")
    assert "spike in mentions" in english[0] and "expected" in english[0]
    assert english[1].startswith("Crisis mode on — Ferlis")
    assert "planned end" in english[2]
    assert english[3].startswith("Crisis mode over — Ferlis")
