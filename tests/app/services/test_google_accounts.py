"""YouTube and Google Business Profile accounts: CLI, admin form, health, reviews in cases."""

from __future__ import annotations

import json

import pytest
import respx
from sqlmodel import select

from app.models import Case, ConnectorAccount, Mention
from app.security.secrets_box import SecretsBox
from app.services.accounts import create_account
from app.worker.runner import Worker
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.connectors.fake_google_business import FakeGoogleBusiness
from tests.connectors.fake_youtube import FakeYouTube
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


@pytest.fixture
def youtube():
    fake = FakeYouTube()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


@pytest.fixture
def business():
    fake = FakeGoogleBusiness()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


@pytest.fixture
def brand(session):
    return make_brand(session, slug="acme", name="Acme")


def _cli(app, args, credentials=None):
    from app.cli import main

    return app.test_cli_runner().invoke(
        main, args, input=json.dumps(credentials) if credentials is not None else None
    )


def test_cli_connects_youtube_then_mentions_list_names_the_platform(app, session, brand, youtube):
    args = ["connectors", "add", "--brand", "acme", "--platform", "youtube"]
    result = _cli(app, [*args, "--base-url", youtube.base_url], youtube.credentials())
    assert result.exit_code == 0, result.output
    assert "credentials checked with youtube: @acmefrance" in result.output
    account = session.exec(select(ConnectorAccount)).one()
    youtube.add_comment("Bonjour, où est ma commande ?")
    polled = _cli(app, ["connectors", "poll", str(account.id)])
    assert polled.exit_code == 0, polled.output
    listed = _cli(app, ["mentions", "list", "--brand", "acme", "--json"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [r["platform"] for r in rows] == ["youtube"]


def test_cli_refuses_a_revoked_refresh_token(app, session, brand, youtube):
    youtube.revoke()
    args = ["connectors", "add", "--brand", "acme", "--platform", "youtube"]
    result = _cli(app, [*args, "--base-url", youtube.base_url], youtube.credentials())
    assert result.exit_code != 0 and "refused these credentials" in result.output
    assert session.exec(select(ConnectorAccount)).all() == []


def test_cli_incomplete_google_credentials_are_a_clear_error(app, session, brand):
    args = ["connectors", "add", "--brand", "acme", "--platform", "google_business"]
    result = _cli(app, args, {"client_id": "x"})
    assert result.exit_code != 0 and "incomplets" in result.output


def test_a_one_star_review_without_text_is_a_case_and_listed(app, session, business):
    from app.services import content

    shop = make_brand(session, slug="demo-shop", name="Cabasso")
    content.install_shipped_content(session=session, brand=shop)
    session.commit()
    args = ["connectors", "add", "--brand", "demo-shop", "--platform", "google_business"]
    result = _cli(app, [*args, "--base-url", business.base_url], business.credentials())
    assert result.exit_code == 0, result.output
    business.add_review(None, stars=1, name="Paul")
    Worker(app).poll_due()
    session.expire_all()
    mention = session.exec(select(Mention)).one()
    assert mention.platform == "google_business" and mention.rating == 1 and mention.text == ""
    case = session.get(Case, mention.case_id)
    assert case is not None and case.scenario == "avis_negatif" and case.severity == "S2"
    listed = _cli(app, ["mentions", "list", "--brand", "demo-shop", "--json"])
    assert [json.loads(r)["platform"] for r in listed.output.splitlines()] == ["google_business"]


def test_admin_connects_youtube_from_the_form_and_sees_the_quota(client, session, brand, youtube):
    make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    form = client.get("/admin/accounts/new").get_data(as_text=True)
    assert "YouTube" in form and "Google Business Profile" in form
    response = post(
        client,
        "/admin/accounts/new",
        {
            "brand_id": brand.id,
            "platform": "youtube",
            "base_url": youtube.base_url,
            "interval_seconds": "60",
            **{f"cred-youtube-{k}": v for k, v in youtube.credentials().items()},
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    account = session.exec(select(ConnectorAccount)).one()
    assert account.platform == "youtube" and account.handle == "@acmefrance"
    youtube.add_comment("Bonjour")
    Worker(client.application).poll_due()
    page = client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert 'data-quota-used="2"' in page and "sur 10000" in page
    assert youtube.client_secret not in page and youtube.refresh_token not in page


def test_the_queue_shows_platform_names_and_filters_held_comments(client, session, brand, youtube):
    create_account(
        session=session,
        brand=brand,
        platform="youtube",
        credentials=youtube.credentials(),
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        base_url=youtube.base_url,
        verify=True,
    )
    session.commit()
    youtube.add_comment("Ma commande n'est jamais arrivée, honteux")
    youtube.add_comment(
        "Achetez des abonnés pas chers", held=True, author="@promo", author_id="UCpromo"
    )
    Worker(client.application).poll_due()
    make_user(session, brand, email="cm@example.test")
    login(client, "cm@example.test")
    page = client.get("/queue").get_data(as_text=True)
    assert "▶ YouTube" in page
    held = client.get("/queue?held=1").get_data(as_text=True)
    assert "abonnés" in held and "jamais arrivée" not in held
