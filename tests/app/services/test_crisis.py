"""Storms and crisis mode end to end (issue 16): a storm alerts the brand's leads and owners
once per cooldown; a lead switches the brand to its crisis playbook, which triages from then on;
off by hand or at the set time, the normal playbook is back; every step is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app import demo_storm
from app.demo_crisis import install_crisis_playbook
from app.models import (
    AuditEvent,
    CrisisPeriod,
    Mention,
    Notification,
    OutgoingMessage,
    SpikeAlert,
    SpikeRollup,
    Triage,
    utcnow,
)
from app.notify.mail import SinkMailer
from app.security.secrets_box import SecretsBox
from app.services import content, crisis, spike_delivery
from app.services.alerts import AlertContext
from connectors import AuthorInfo, FetchedMention
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.factories import account_for, make_brand, make_user

pytestmark = pytest.mark.db


@pytest.fixture
def rail(session):
    brand = make_brand(session, slug="demo-rail", name="Ferlis")
    content.install_shipped_content(session=session, brand=brand)
    account_for(session, brand.id)
    session.commit()
    return brand


@pytest.fixture
def team(session, rail):
    return {
        "lead": make_user(session, rail, "lead", email="lead@rail.test"),
        "owner": make_user(session, rail, "brand_owner", email="owner@rail.test"),
        "cm": make_user(session, rail, "community_manager", email="cm@rail.test"),
        "editor": make_user(session, rail, "playbook_editor", email="editor@rail.test"),
    }


def _storm(session, brand, count=50, minutes=3):
    now = utcnow()
    items = demo_storm.storm_mentions(
        brand, count, start=now - timedelta(minutes=minutes), spread=timedelta(minutes=minutes)
    )
    result = demo_storm.inject(session=session, brand=brand, items=items)
    session.commit()
    return result


def _audited(session, action):
    session.expire_all()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_storm_alerts_leads_and_owners_once_per_cooldown(session, rail, team):
    _storm(session, rail)
    alerts = list(session.exec(select(SpikeAlert)))
    assert len(alerts) == 1
    assert alerts[0].dim == "all" and alerts[0].observed >= 12
    told = session.exec(select(Notification).where(Notification.kind == "spike")).all()
    assert {n.user_id for n in told} == {team["lead"].id, team["owner"].id}
    assert all(n.link.startswith("/crisis?brand=demo-rail") for n in told)
    assert len(_audited(session, "spike.detected")) == 1
    # The rollup holds per-bucket counts, not one row per mention.
    rows = session.exec(select(SpikeRollup).where(SpikeRollup.dim == "all")).all()
    assert sum(r.total for r in rows) == 50 and len(rows) <= 2
    # The storm goes on: still one alert within the cooldown.
    _storm(session, rail, count=30, minutes=1)
    assert len(session.exec(select(SpikeAlert)).all()) == 1


def test_the_worker_sends_a_spike_alert_by_email_once(app, session, rail, team):
    _storm(session, rail)
    ctx = AlertContext(
        mailer=SinkMailer(),
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        secret_key="k",
        public_url="https://vigie.test",
    )
    with app.app_context():
        assert spike_delivery.deliver_pending(session=session, ctx=ctx) == 1
        session.commit()
        assert spike_delivery.deliver_pending(session=session, ctx=ctx) == 0
    mails = session.exec(select(OutgoingMessage)).all()
    assert {m.recipient for m in mails} == {"lead@rail.test", "owner@rail.test"}
    assert all("https://vigie.test/crisis?brand=demo-rail" in m.body for m in mails)
    assert len(_audited(session, "spike.alerted")) == 1


def test_no_alert_for_a_trickle(session, rail, team):
    _storm(session, rail, count=8, minutes=30)
    assert session.exec(select(SpikeAlert)).all() == []


def _vip_mention(session, brand, text):
    account = account_for(session, brand.id)
    item = FetchedMention(
        external_id=f"vip-{utcnow().timestamp()}",
        text=text,
        author=AuthorInfo(external_id="vip-1", handle="@grand_client"),
        posted_at=utcnow(),
        url=None,
        lang="fr",
        channel="x",
    )
    # The brand knows this customer as a VIP (a Platine complaint needs a lead in normal times).
    from app.services import ingest, triage

    stored = ingest.store_mentions(session=session, account=account, items=[item])
    mention = session.exec(select(Mention).where(Mention.external_id == item.external_id)).one()
    from app.models import Author, Person

    author = session.get(Author, mention.author_id)
    person = session.get(Person, author.person_id)
    person.vip = True
    session.add(person)
    session.flush()
    triage.triage_pending(session=session, account_id=account.id, external_ids=stored.new)
    session.commit()
    return session.exec(select(Triage).where(Triage.mention_id == mention.id)).one()


def test_crisis_mode_on_and_off_switches_the_playbook_that_triages(client, session, rail, team):
    crisis_book = install_crisis_playbook(session=session, brand=rail)
    session.commit()
    text = "Grève surprise, train supprimé et aucune info, c'est inadmissible"
    before = _vip_mention(session, rail, text)
    assert before.action == "reply_with_approval"  # normal playbook: a lead approves
    _storm(session, rail)
    alert = session.exec(select(SpikeAlert)).one()

    login(client, "lead@rail.test")
    page = client.get("/crisis?brand=demo-rail").get_data(as_text=True)
    assert 'data-testid="crisis-from-alert"' in page and "<svg" in page and "<table" in page
    response = post(
        client,
        "/crisis/demo-rail/on",
        {"alert_id": str(alert.id), "reason": "Grève surprise ligne R"},
    )
    assert response.status_code == 302
    period = session.exec(select(CrisisPeriod)).one()
    assert period.ended_at is None and period.spike_alert_id == alert.id
    assert 'data-testid="crisis-banner"' in client.get("/").get_data(as_text=True)

    during = _vip_mention(session, rail, text)
    assert during.playbook_id == crisis_book.id
    assert during.action == "reply"  # the holding statement goes out without approval
    assert during.scenarios[0] == "vague_crise"
    assert during.suggested_replies[0] == "rail.crise.attente"

    assert post(client, "/crisis/demo-rail/off", {"note": "Trafic rétabli"}).status_code == 302
    session.expire_all()
    assert session.get(CrisisPeriod, period.id).ended_at is not None
    after = _vip_mention(session, rail, text)
    assert after.playbook_id == before.playbook_id and after.action == "reply_with_approval"
    assert 'data-testid="crisis-banner"' not in client.get("/").get_data(as_text=True)

    started, ended = _audited(session, "crisis.started"), _audited(session, "crisis.ended")
    assert len(started) == 1 and started[0].actor_id == team["lead"].id
    assert started[0].note == "Grève surprise ligne R"
    assert len(ended) == 1 and ended[0].note == "Trafic rétabli"
    trail = client.get("/audit").get_data(as_text=True)
    for label in ("Tempête détectée", "Mode crise activé", "Mode crise désactivé"):
        assert label in trail
    report = client.get(f"/crisis/report/{period.id}").get_data(as_text=True)
    assert "Mode crise activé" in report and "crise n°" in report


def test_the_crisis_banner_shows_to_every_member_of_the_brand(client, session, rail, team):
    install_crisis_playbook(session=session, brand=rail)
    crisis.start(session=session, brand=rail, actor=team["owner"], reason="Panne nationale")
    session.commit()
    login(client, "cm@rail.test")
    page = client.get("/queue").get_data(as_text=True)
    assert 'data-testid="crisis-banner"' in page and "Panne nationale" in page


def test_who_may_switch_crisis_mode(client, session, rail, team):
    install_crisis_playbook(session=session, brand=rail)
    session.commit()
    login(client, "cm@rail.test")
    assert client.get("/crisis?brand=demo-rail").status_code == 403
    assert post(client, "/crisis/demo-rail/on", {"reason": "x"}).status_code == 403
    other = make_brand(session, slug="autre")
    make_user(session, other, "lead", email="lead@autre.test")
    post(client, "/logout")
    login(client, "lead@autre.test")
    assert client.get("/crisis?brand=demo-rail").status_code == 404
    assert post(client, "/crisis/demo-rail/on", {"reason": "x"}).status_code == 404
    post(client, "/logout")
    login(client, "owner@rail.test")
    assert post(client, "/crisis/demo-rail/on", {"reason": "Bad buzz"}).status_code == 302
    assert session.exec(select(CrisisPeriod)).one().started_by_id == team["owner"].id


def test_crisis_mode_needs_a_published_crisis_playbook_and_a_reason(session, rail, team):
    with pytest.raises(crisis.CrisisError):
        crisis.start(session=session, brand=rail, actor=team["lead"], reason="Grève")
    install_crisis_playbook(session=session, brand=rail)
    with pytest.raises(crisis.CrisisError):
        crisis.start(session=session, brand=rail, actor=team["lead"], reason="  ")
    crisis.start(session=session, brand=rail, actor=team["lead"], reason="Grève")
    with pytest.raises(crisis.CrisisError):  # already on
        crisis.start(session=session, brand=rail, actor=team["lead"], reason="Encore")
    session.commit()
    assert len(session.exec(select(CrisisPeriod)).all()) == 1


def test_crisis_mode_ends_at_the_set_time(session, rail, team):
    install_crisis_playbook(session=session, brand=rail)
    period = crisis.start(
        session=session, brand=rail, actor=team["lead"], reason="Grève d'un jour", hours=2
    )
    session.commit()
    assert crisis.end_due(session=session, now=utcnow() + timedelta(hours=1)) == 0
    assert crisis.end_due(session=session, now=utcnow() + timedelta(hours=3)) == 1
    session.commit()
    session.expire_all()
    assert session.get(CrisisPeriod, period.id).ended_at is not None
    assert crisis.open_period(session=session, brand_id=rail.id) is None
    assert len(_audited(session, "crisis.expired")) == 1


def test_the_editor_prepares_a_crisis_variant_beside_the_normal_playbook(
    client, session, rail, team
):
    normal = content.published_playbook(session=session, brand_id=rail.id)[0]
    login(client, "editor@rail.test")
    page = client.get(f"/playbooks/new?brand_id={rail.id}&kind=crisis").get_data(as_text=True)
    assert 'name="kind" value="crisis"' in page
    response = post(
        client,
        "/playbooks/new",
        {"brand_id": str(rail.id), "kind": "crisis", "source": normal.source, "intent": "propose"},
    )
    assert response.status_code == 302
    # Four eyes (issue 18, part 4): a lead approves the editor's crisis variant.
    post(client, "/logout")
    login(client, "lead@rail.test")
    assert post(client, response.location + "/approve").status_code == 302
    session.expire_all()
    book = crisis.crisis_playbook(session=session, brand_id=rail.id)
    assert book is not None and book.kind == "crisis"
    # The normal playbook is still the one published for normal times.
    assert content.published_playbook(session=session, brand_id=rail.id)[0].id == normal.id
    post(client, "/logout")
    login(client, "editor@rail.test")
    index = client.get(f"/playbooks?brand_id={rail.id}").get_data(as_text=True)
    assert 'data-testid="crisis-playbook"' in index and f"n° {book.number}" in index


def test_the_storm_button_exists_in_demo_mode_only(app, client, session, rail, team):
    login(client, "lead@rail.test")
    assert post(client, "/crisis/demo-rail/storm").status_code == 404
    app.config["VIGIE_DEMO"] = True
    assert 'data-testid="demo-storm"' in client.get("/crisis?brand=demo-rail").get_data(
        as_text=True
    )
    assert post(client, "/crisis/demo-rail/storm").status_code == 302
    assert len(session.exec(select(Mention)).all()) == demo_storm.STORM_SIZE
    assert len(session.exec(select(SpikeAlert)).all()) == 1
    # The threat hidden in the wave keeps its own urgent case.
    threats = session.exec(select(Triage).where(Triage.severity == "S4")).all()
    assert len(threats) == 1


def test_the_lead_dashboard_loads_the_brand_chart(client, session, rail, team):
    _storm(session, rail)
    login(client, "lead@rail.test")
    home = client.get("/").get_data(as_text=True)
    assert 'hx-get="/crisis/_chart?brand=demo-rail"' in home
    fragment = client.get("/crisis/_chart?brand=demo-rail", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert 'class="chart-marker"' in html and 'class="chart-band"' in html
    assert "<table" in html  # the figures for screen readers
    assert "style=" not in html and "<script" not in html


def test_the_worker_tick_ends_due_crises_and_drops_old_rollups(app, session, rail, team):
    from app.worker.crisis_job import CrisisJob

    install_crisis_playbook(session=session, brand=rail)
    crisis.start(session=session, brand=rail, actor=team["lead"], reason="Panne", hours=1)
    old = int((utcnow() - timedelta(days=120)).timestamp() // 600)
    from app.services import spikes

    spikes.add_counts(session, rail.id, {("all", "", old): [3, 0, 0]})
    session.commit()
    job = CrisisJob(app)
    assert job.tick(now=utcnow() + timedelta(hours=2)) == (0, 1)
    session.expire_all()
    assert crisis.open_period(session=session, brand_id=rail.id) is None
    assert session.exec(select(SpikeRollup).where(SpikeRollup.bucket == old)).all() == []


def test_bad_input_on_the_crisis_page_is_a_clear_refusal(client, session, rail, team):
    install_crisis_playbook(session=session, brand=rail)
    session.commit()
    login(client, "lead@rail.test")
    assert post(client, "/crisis/demo-rail/on", {"reason": "x", "hours": "abc"}).status_code == 400
    refused = post(client, "/crisis/demo-rail/on", {"reason": "x", "hours": "-1"})
    assert refused.status_code == 302 and session.exec(select(CrisisPeriod)).all() == []
    bad = {"sensitivity": "extreme", "cooldown": "60"}
    assert post(client, "/crisis/demo-rail/settings", bad).status_code == 400
    bad = {"sensitivity": "high", "cooldown": "-5"}
    assert post(client, "/crisis/demo-rail/settings", bad).status_code == 400
    assert client.get("/crisis?brand=nope").status_code == 404
    assert client.get("/crisis/report/99999").status_code == 404
    assert client.get("/crisis?brand=demo-rail&alert=abc").status_code == 200
    ok = {"sensitivity": "high", "cooldown": "30", "enabled": "1"}
    assert post(client, "/crisis/demo-rail/settings", ok).status_code == 302
    session.expire_all()
    assert session.get(type(rail), rail.id).settings["spike_sensitivity"] == "high"
    assert len(_audited(session, "spike.settings_changed")) == 1
