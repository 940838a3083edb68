"""YouTube in the console: polled into cases, moderated from a case, carried out, reconciled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import respx
from sqlmodel import select

from app.models import AuditEvent, Case, ConnectorAccount, Mention, ModerationAction
from app.security.secrets_box import SecretsBox
from app.services import moderation_actions
from app.services.accounts import create_account
from connectors.quota import quota_day
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.connectors.fake_core import COMMIT_THEN_STALL
from tests.connectors.fake_youtube import FakeYouTube
from tests.factories import make_brand, make_user


@pytest.fixture
def fake():
    fake = FakeYouTube()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


@pytest.fixture
def brand(session):
    return make_brand(session, slug="acme", name="Acme")


@pytest.fixture
def account(session, brand, fake):
    account, _ = create_account(
        session=session,
        brand=brand,
        platform="youtube",
        credentials=fake.credentials(),
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        base_url=fake.base_url,
        verify=True,
    )
    session.commit()
    return account


def _polled(session, worker, fake, text="Arnaque, rendez l'argent", **kwargs):
    comment = fake.add_comment(text, **kwargs)
    worker.poll_due()
    session.expire_all()
    mention = session.exec(select(Mention).where(Mention.external_id == comment["id"])).one()
    return mention, session.get(Case, mention.case_id)


def test_verify_keeps_the_channel_and_the_refreshed_token(session, account, fake):
    assert account.handle == "@acmefrance"
    creds = SecretsBox(TEST_ENCRYPTION_KEY).open(account.credentials_encrypted)
    assert creds["channel_id"] == fake.channel_id and creds["access_token"]


def test_comments_become_cases_and_quota_shows_in_health(session, account, worker, fake):
    top = fake.add_comment("Ma commande n'est jamais arrivée")
    fake.add_reply(top["id"], "Pareil, trois semaines !")
    worker.poll_due()
    session.expire_all()
    mentions = session.exec(select(Mention).order_by(Mention.id)).all()
    assert [m.platform for m in mentions] == ["youtube", "youtube"]
    assert mentions[0].case_id is not None and mentions[0].case_id == mentions[1].case_id
    account = session.get(ConnectorAccount, account.id)
    from app.services.platform_quota import used_today

    used = used_today(session.get_bind(), account.id, quota_day(datetime.now(UTC)))
    # Two thread lists (published, held); the check before the account existed is not counted.
    assert used == 2 and account.rate_limit_remaining == 10_000 - used


def test_hold_is_carried_out_and_audited(session, brand, account, worker, fake):
    mention, case = _polled(session, worker, fake)
    cm = make_user(session, brand)
    row = moderation_actions.request(
        session=session, case=case, mention=mention, action="hold", actor=cm, may_decide=False
    )
    session.commit()
    assert row.state == "pending"
    assert worker.moderate() == 1
    session.expire_all()
    assert fake.moderated == [(mention.external_id, "heldForReview", False)]
    mention = session.get(Mention, mention.id)
    assert mention.hidden and mention.visibility == "held"
    actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert "moderation.requested" in actions and "moderation.synced" in actions


def test_a_ban_waits_for_a_lead_then_is_carried_out(
    app, client, session, brand, account, worker, fake
):
    mention, case = _polled(session, worker, fake, author_id="UCtroll")
    cm = make_user(session, brand)
    lead = make_user(session, brand, role="lead")
    login(client, cm.email)
    response = post(client, f"/cases/{case.id}/mentions/{mention.id}/moderate", {"action": "ban"})
    assert response.status_code == 302
    row = session.exec(select(ModerationAction)).one()
    assert row.state == "awaiting_approval" and row.approver == "lead"
    assert worker.moderate() == 0 and fake.banned == set()
    # A community manager cannot approve it.
    refused = post(client, f"/cases/{case.id}/moderation/{row.id}/approve")
    assert refused.status_code == 403
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Rejeter et bannir l&#39;auteur" in page and "attend un accord" in page
    lead_client = app.test_client()
    login(lead_client, lead.email)
    assert post(lead_client, f"/cases/{case.id}/moderation/{row.id}/approve").status_code == 302
    assert worker.moderate() == 1
    assert fake.banned == {"UCtroll"}
    session.expire_all()
    assert session.get(ModerationAction, row.id).state == "done"


def test_a_lead_asking_for_a_ban_is_its_approval(session, brand, account, worker, fake):
    mention, case = _polled(session, worker, fake)
    lead = make_user(session, brand, role="lead")
    row = moderation_actions.request(
        session=session, case=case, mention=mention, action="ban", actor=lead, may_decide=True
    )
    assert row.state == "pending" and row.decided_by_id == lead.id


def test_an_unknown_outcome_is_checked_not_sent_again(session, brand, account, worker, fake):
    mention, case = _polled(session, worker, fake)
    cm = make_user(session, brand)
    moderation_actions.request(
        session=session, case=case, mention=mention, action="reject", actor=cm, may_decide=False
    )
    session.commit()
    fake.stall_seconds = 0  # respx: the stall is a read timeout at once
    fake.inject("setModerationStatus", COMMIT_THEN_STALL, method="POST")
    assert worker.moderate() == 0
    session.expire_all()
    row = session.exec(select(ModerationAction)).one()
    assert row.state == "pending" and row.check_first
    assert worker.moderate() == 1  # the comment is already rejected: recorded, not re-sent
    assert len(fake.requests_to("setModerationStatus", "POST")) == 1
    session.expire_all()
    synced = session.exec(select(AuditEvent).where(AuditEvent.action == "moderation.synced")).one()
    assert synced.after["reconciled"] is True


def test_actions_a_platform_does_not_offer_are_refused(session, brand, worker):
    from app.services.claims import CaseworkError

    mention = Mention(
        brand_id=brand.id, account_id=1, platform="mastodon", channel="mastodon",
        external_id="1", author_id=1, case_id=7, text="x", posted_at=datetime.now(UTC),
    )  # fmt: skip
    case = Case(id=7, brand_id=brand.id)
    with pytest.raises(CaseworkError):
        moderation_actions.request(
            session=session, case=case, mention=mention, action="ban",
            actor=make_user(session, brand), may_decide=True,
        )  # fmt: skip


def test_a_ban_the_playbook_reserves_for_the_brand_is_decided_in_the_portal(
    app, client, session, brand, account, worker, fake
):
    mention, case = _polled(session, worker, fake, author_id="UCtroll")
    case.approver = "brand"  # the playbook's delegation names the brand as approver
    session.add(case)
    session.commit()
    cm = make_user(session, brand)
    lead = make_user(session, brand, role="lead")
    owner = make_user(session, brand, role="brand_owner")
    row = moderation_actions.request(
        session=session, case=case, mention=mention, action="ban", actor=lead, may_decide=True
    )
    session.commit()
    assert row.state == "awaiting_approval" and row.approver == "brand"  # even for a lead
    login(client, cm.email)
    assert post(client, f"/portal/moderation/{row.id}/approve").status_code == 403
    owner_client = app.test_client()
    login(owner_client, owner.email)
    page = owner_client.get("/portal").get_data(as_text=True)
    assert "Bannissements et suppressions à décider" in page and "Arnaque" in page
    response = post(owner_client, f"/portal/moderation/{row.id}/approve")
    assert response.status_code == 302
    assert worker.moderate() == 1 and fake.banned == {"UCtroll"}
