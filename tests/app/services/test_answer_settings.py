"""One source for answer deadlines: a severity the brand set itself wins, any other follows the
published playbook's `sla.minutes`; triage, its fallback and the pages apply and show the same
value, with where it comes from."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlmodel import select

from app.models import AuditEvent, Brand, Case, Mention, Triage, utcnow
from app.security.secrets_box import SecretsBox
from app.services import brands, content
from app.services.accounts import create_account
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db

PLAYBOOK = """\
format: 1
name: Délais courts
sla:
  minutes: {S0: 240, S1: 20, S2: 30, S3: 25, S4: 10}
"""


@pytest.fixture
def rail(session):
    brand = make_brand(session, slug="rail", name="Rail")
    content.save_playbook(session=session, brand=brand, source=PLAYBOOK, actor=None, publish=True)
    session.commit()
    return brand


def _push(client, session, brand: Brand, posted: datetime) -> Triage:
    """A mention arriving through the inbound API, triaged at once."""
    _, token = create_account(
        session=session,
        brand=brand,
        platform="webhook",
        credentials={},
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        label="Formulaire",
    )
    session.commit()
    payload = {
        "id": f"m-{posted.timestamp()}",
        "text": "Bonjour, une question sur les horaires d'été.",
        "author": {"id": "c-1", "handle": "marie", "name": "Marie"},
        "created_at": posted.isoformat().replace("+00:00", "Z"),
        "lang": "fr",
    }
    response = client.post(
        "/api/v1/mentions",
        data=json.dumps(payload),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 202, response.get_data(as_text=True)
    mention = session.get(Mention, response.get_json()["id"])
    return session.exec(select(Triage).where(Triage.mention_id == mention.id)).one()


def _posted() -> datetime:
    return utcnow().replace(microsecond=0) - timedelta(minutes=1)


def _due_minutes(triage: Triage, posted: datetime) -> float:
    due = triage.due_at if triage.due_at.tzinfo else triage.due_at.replace(tzinfo=UTC)
    return (due - posted).total_seconds() / 60


def test_a_new_brand_follows_the_playbooks_deadlines(client, session, rail):
    posted = _posted()
    triage = _push(client, session, rail, posted)
    assert triage.severity == "S1"
    assert _due_minutes(triage, posted) == 20  # the playbook's S1, not a hidden brand value
    assert rail.sla_minutes == {}
    sla = next(e for e in triage.evidence if e["rule"] == "sla")
    assert "20 min, playbook" in sla["explanation"]
    case = session.exec(select(Case)).one()
    assert case.due_at is not None


def test_a_severity_the_brand_set_itself_wins_and_says_so(client, session, rail):
    rail.sla_minutes = {"S1": 5}
    session.add(rail)
    session.commit()
    posted = _posted()
    triage = _push(client, session, rail, posted)
    assert _due_minutes(triage, posted) == 5
    sla = next(e for e in triage.evidence if e["rule"] == "sla")
    assert "5 min, réglage de la marque" in sla["explanation"]


def test_without_a_playbook_the_fallback_uses_the_same_rule(client, session):
    bare = make_brand(session, slug="bare", name="Sans playbook")
    posted = _posted()
    triage = _push(client, session, bare, posted)
    assert triage.severity == "S2"
    found = brands.deadlines(session=session, brand=bare).targets["S2"]
    assert found.source == "default" and _due_minutes(triage, utcnow()) <= found.minutes
    sla = next(e for e in triage.evidence if e["rule"] == "sla")
    assert f"{found.minutes} min, valeur par défaut" in sla["explanation"]
    bare.sla_minutes = {"S2": 15}
    session.add(bare)
    session.commit()
    assert brands.deadlines(session=session, brand=bare).targets["S2"].minutes == 15


def test_brand_settings_page_shows_the_effective_deadline_and_its_source(client, session, rail):
    make_user(session, rail, role="admin", email="admin@rail.test")
    login(client, "admin@rail.test")
    html = unescape(client.get(f"/admin/brands/{rail.id}").get_data(as_text=True))
    row = html[html.index('data-testid="deadline-S1"') :]
    row = row[: row.index("</tr>")]
    assert 'data-source="playbook"' in row and "20 min" in row and "playbook n° 1" in row
    assert 'value=""' in row  # the field is empty: nothing set by the brand

    form = {"name": "Rail", "timezone": "Europe/Paris", "languages": "fr", "sla_S1": "5"}
    assert post(client, f"/admin/brands/{rail.id}", form).status_code == 302
    session.expire_all()
    assert session.get(Brand, rail.id).sla_minutes == {"S1": 5}
    html = unescape(client.get(f"/admin/brands/{rail.id}").get_data(as_text=True))
    row = html[html.index('data-testid="deadline-S1"') :]
    row = row[: row.index("</tr>")]
    assert 'data-source="brand"' in row and "5 min" in row and "réglage de la marque" in row
    listing = unescape(client.get("/admin/brands").get_data(as_text=True))
    assert "5 / 30 / 25 / 10 min" in listing
    assert "réglage de la marque pour S1" in listing and "autres : playbook n° 1" in listing

    # Emptying the field gives the severity back to the playbook; the change is audited.
    form["sla_S1"] = ""
    assert post(client, f"/admin/brands/{rail.id}", form).status_code == 302
    session.expire_all()
    assert session.get(Brand, rail.id).sla_minutes == {}
    event = session.exec(
        select(AuditEvent)
        .where(AuditEvent.action == "brand.updated")
        .order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
    ).first()
    assert event.before["sla_minutes"] == {"S1": 5} and event.after["sla_minutes"] == {}


def test_a_refused_deadline_is_shown_as_typed(client, session, rail):
    make_user(session, rail, role="admin", email="admin@rail.test")
    login(client, "admin@rail.test")
    form = {"name": "Rail", "timezone": "Europe/Paris", "languages": "fr", "sla_S3": "99999"}
    response = post(client, f"/admin/brands/{rail.id}", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Délai S3" in html
    assert 'value="99999"' in html


def test_playbook_page_shows_the_deadlines_triage_applies(client, session, rail):
    rail.sla_minutes = {"S4": 5}
    session.add(rail)
    session.commit()
    make_user(session, rail, role="playbook_editor", email="editor@rail.test")
    login(client, "editor@rail.test")
    html = unescape(client.get(f"/playbooks?brand_id={rail.id}").get_data(as_text=True))
    s2 = html[html.index('data-testid="deadline-S2"') :]
    assert 'data-source="playbook"' in s2[: s2.index("</tr>")]
    s4 = html[html.index('data-testid="deadline-S4"') :]
    s4 = s4[: s4.index("</tr>")]
    assert 'data-source="brand"' in s4 and "10 min" in s4 and "5 min" in s4
    assert "réglage de la marque" in s4
