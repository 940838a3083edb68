"""Connector accounts from the command line and the admin form, against fake platforms.

One set of Bluesky keys everywhere (`identifier` + `app_password`, `password` accepted),
checked with the platform before anything is saved; `connectors poll` and the worker's
summary say when a poll failed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import respx
from sqlmodel import select

from app.cli import main
from app.models import AuditEvent, ConnectorAccount, Mention, utcnow
from app.security.secrets_box import SecretsBox
from app.services.accounts import create_account
from app.worker.runner import run_once
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.connectors.fakes import FakeBluesky, FakeMastodon, FakeResponse
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db

BOX = SecretsBox(TEST_ENCRYPTION_KEY)


@pytest.fixture
def fakes() -> Iterator[tuple[FakeBluesky, FakeMastodon]]:
    bluesky, mastodon = FakeBluesky(), FakeMastodon()
    with respx.mock(assert_all_called=False) as router:
        bluesky.install_respx(router)
        mastodon.install_respx(router)
        yield bluesky, mastodon


@pytest.fixture
def fake_bluesky(fakes) -> FakeBluesky:
    return fakes[0]


@pytest.fixture
def fake_mastodon(fakes) -> FakeMastodon:
    return fakes[1]


@pytest.fixture
def brand(session):
    return make_brand(session, slug="acme", name="Acme")


def run(app, args, input=None):
    return app.test_cli_runner().invoke(main, args, input=input)


def add_bluesky(app, credentials: dict, *extra: str):
    return run(
        app,
        ["connectors", "add", "--brand", "acme", "--platform", "bluesky", *extra],
        input=json.dumps(credentials),
    )


def stored_accounts(session) -> list[ConnectorAccount]:
    session.expire_all()
    return list(session.exec(select(ConnectorAccount).order_by(ConnectorAccount.id)))


# -- Bluesky credentials: the command line -------------------------------------------------


@pytest.mark.parametrize("key", ["app_password", "password"])
def test_cli_adds_a_bluesky_account_with_either_key(app, session, brand, fake_bluesky, key):
    result = add_bluesky(app, {"identifier": fake_bluesky.handle, key: fake_bluesky.password})
    assert result.exit_code == 0, result.output
    assert f"credentials checked with bluesky: {fake_bluesky.handle}" in result.output
    (account,) = stored_accounts(session)
    credentials = BOX.open(account.credentials_encrypted)
    assert credentials["app_password"] == fake_bluesky.password and "password" not in credentials
    assert credentials["access_jwt"]  # the session made by the check is kept: no second login
    assert account.handle == fake_bluesky.handle and account.base_url == fake_bluesky.base_url
    # The worker polls with what was stored.
    fake_bluesky.add_notification("mon colis ?")
    account.next_poll_at = utcnow()
    session.commit()
    report = run_once(app)
    assert [p.stored for p in report.polls] == [1] and fake_bluesky.logins == 1


def test_cli_refuses_a_wrong_bluesky_password_and_saves_nothing(app, session, brand, fake_bluesky):
    result = add_bluesky(app, {"identifier": fake_bluesky.handle, "app_password": "wrong-pass"})
    assert result.exit_code == 1
    assert "bluesky refused these credentials" in result.output
    assert "Invalid identifier or password" in result.output
    assert "Nothing was saved" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert stored_accounts(session) == []


def test_cli_says_when_the_platform_cannot_be_reached(app, session, brand, fake_bluesky):
    fake_bluesky.inject(
        "createSession", FakeResponse.json({"error": "InternalServerError"}, 502), method="POST"
    )
    result = add_bluesky(app, {"identifier": fake_bluesky.handle, "password": "x"})
    assert result.exit_code == 1
    assert "could not check the credentials with bluesky" in result.output
    assert "--no-verify" in result.output and stored_accounts(session) == []


def test_cli_no_verify_saves_without_asking_the_platform(app, session, brand, fake_bluesky):
    result = add_bluesky(
        app, {"identifier": "acme.bsky.social", "password": "later"}, "--no-verify"
    )
    assert result.exit_code == 0, result.output
    assert fake_bluesky.requests == []
    (account,) = stored_accounts(session)
    assert BOX.open(account.credentials_encrypted) == {
        "identifier": "acme.bsky.social",
        "app_password": "later",
    }


def test_cli_names_the_keys_it_expects(app, session, brand):
    result = add_bluesky(app, {"identifier": "acme.bsky.social"})
    assert result.exit_code == 1
    assert "{identifier, app_password}" in result.output and stored_accounts(session) == []


def test_cli_checks_mastodon_tokens_too(app, session, brand, fake_mastodon):
    args = ["connectors", "add", "--brand", "acme", "--platform", "mastodon"]
    args += ["--base-url", fake_mastodon.base_url]
    result = run(app, args, input=json.dumps({"access_token": "not-the-token"}))
    assert result.exit_code == 1 and "mastodon refused these credentials" in result.output
    result = run(app, args, input=json.dumps({"access_token": fake_mastodon.token}))
    assert result.exit_code == 0, result.output
    assert len(stored_accounts(session)) == 1


# -- Bluesky credentials: the admin form and the connector ---------------------------------


@pytest.fixture
def admin(client, session, brand):
    make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    return brand


@pytest.mark.parametrize("key", ["app_password", "password"])
def test_admin_form_connects_bluesky_with_either_key(client, session, admin, fake_bluesky, key):
    form = {
        "brand_id": admin.id,
        "platform": "bluesky",
        "interval_seconds": "60",
        "credentials": json.dumps({"identifier": fake_bluesky.handle, key: fake_bluesky.password}),
    }
    response = post(client, "/admin/accounts/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    (account,) = stored_accounts(session)
    assert BOX.open(account.credentials_encrypted)["app_password"] == fake_bluesky.password
    assert account.handle == fake_bluesky.handle
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "connector.created")).one()
    assert audit.after["verified"] is True


def test_admin_form_shows_the_platform_refusal(client, session, admin, fake_bluesky):
    form = {
        "brand_id": admin.id,
        "platform": "bluesky",
        "credentials": json.dumps({"identifier": fake_bluesky.handle, "password": "faux"}),
    }
    response = post(client, "/admin/accounts/new", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "La plateforme refuse ces identifiants" in html and "Invalid identifier" in html
    assert stored_accounts(session) == []


def test_admin_form_asks_for_the_keys_the_connector_reads(client, admin):
    html = client.get("/admin/accounts/new").get_data(as_text=True)
    # One field per key of each connector's credential_fields; secrets in password inputs.
    assert 'name="cred-bluesky-identifier"' in html
    assert 'name="cred-bluesky-app_password" type="password"' in html
    assert 'name="cred-mastodon-access_token" type="password"' in html
    assert "<legend>Identifiants Bluesky</legend>" in html
    assert "Mot de passe d'application" in html
    # The JSON hint names the same keys.
    assert '"app_password": "mot de passe' in html and '"password": ' not in html


def test_admin_form_fields_connect_bluesky(client, session, admin, fake_bluesky):
    form = {
        "brand_id": admin.id,
        "platform": "bluesky",
        "cred-bluesky-identifier": f"@{fake_bluesky.handle} ",
        "cred-bluesky-app_password": fake_bluesky.password,
        "cred-mastodon-access_token": "typed before switching platform",
    }
    response = post(client, "/admin/accounts/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    (account,) = stored_accounts(session)
    credentials = BOX.open(account.credentials_encrypted)
    assert credentials["identifier"] == f"@{fake_bluesky.handle}"
    assert credentials["app_password"] == fake_bluesky.password
    assert "access_token" not in credentials


def test_admin_form_keeps_the_identifier_not_the_secret_after_an_error(
    client, session, admin, fake_bluesky
):
    form = {
        "brand_id": admin.id,
        "platform": "bluesky",
        "cred-bluesky-identifier": fake_bluesky.handle,
        "cred-bluesky-app_password": "wrong-secret-123",
    }
    response = post(client, "/admin/accounts/new", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "La plateforme refuse ces identifiants" in html
    assert f'value="{fake_bluesky.handle}"' in html and "wrong-secret-123" not in html


def test_admin_replaces_credentials_with_the_fields(client, session, admin, fake_bluesky):
    account, _ = create_account(
        session=session,
        brand=admin,
        platform="bluesky",
        credentials={"identifier": fake_bluesky.handle, "app_password": "old"},
        box=BOX,
    )
    session.commit()
    page = client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert 'name="cred-bluesky-app_password"' in page and "cred-mastodon" not in page
    form = {
        "action": "credentials",
        "cred-bluesky-identifier": fake_bluesky.handle,
        "cred-bluesky-password": "ignored",
        "cred-bluesky-app_password": fake_bluesky.password,
    }
    assert post(client, f"/admin/accounts/{account.id}", form).status_code == 302
    (account,) = stored_accounts(session)
    assert BOX.open(account.credentials_encrypted)["app_password"] == fake_bluesky.password


def test_an_account_stored_with_the_password_key_still_polls(app, session, brand, fake_bluesky):
    """Accounts saved under the key the README once documented keep working."""
    account, _ = create_account(
        session=session,
        brand=brand,
        platform="bluesky",
        credentials={"identifier": fake_bluesky.handle, "app_password": fake_bluesky.password},
        box=BOX,
    )
    account.credentials_encrypted = BOX.seal(
        {"identifier": fake_bluesky.handle, "password": fake_bluesky.password}
    )
    session.commit()
    fake_bluesky.add_notification("bonjour")
    report = run_once(app)
    assert [p.stored for p in report.polls] == [1], report.summary()


# -- `connectors poll` and the worker's summary ---------------------------------------------


@pytest.fixture
def mastodon_account(session, brand, fake_mastodon):
    account, _ = create_account(
        session=session,
        brand=brand,
        platform="mastodon",
        credentials={"access_token": fake_mastodon.token},
        box=BOX,
        base_url=fake_mastodon.base_url,
    )
    session.commit()
    return account


def test_poll_exits_zero_when_everything_was_fetched(app, session, mastodon_account, fake_mastodon):
    fake_mastodon.add_mention("bonjour")
    result = run(app, ["connectors", "poll", str(mastodon_account.id)])
    assert result.exit_code == 0, result.output
    assert "stored 1" in result.output


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (FakeResponse.json({"error": "The access token is invalid"}, 401), "flagged"),
        (
            FakeResponse.json({"error": "Too many requests"}, 429, {"X-RateLimit-Remaining": "0"}),
            "rate_limited",
        ),
        (FakeResponse.json({"error": "Bad gateway"}, 502), "backoff"),
    ],
    ids=["auth", "rate-limit", "transient"],
)
def test_poll_exits_non_zero_when_the_poll_failed(
    app, session, mastodon_account, fake_mastodon, answer, words
):
    fake_mastodon.add_mention("bonjour")
    fake_mastodon.inject(r"/api/v1/notifications", answer)
    result = run(app, ["connectors", "poll", str(mastodon_account.id)])
    assert result.exit_code == 1
    assert "poll failed:" in result.output and words in result.output
    assert "Traceback" not in result.output
    assert session.exec(select(Mention)).all() == []


def test_poll_exits_non_zero_when_the_pass_stopped_early(app, session, brand, fake_mastodon):
    account, _ = create_account(
        session=session,
        brand=brand,
        platform="mastodon",
        credentials={"access_token": fake_mastodon.token},
        box=BOX,
        base_url=fake_mastodon.base_url,
        options={"page_size": 2},
    )
    session.commit()
    fake_mastodon.add_mention("premier")
    run(app, ["connectors", "poll", str(account.id)])
    for i in range(5):
        fake_mastodon.add_mention(f"suite {i}")
    fake_mastodon.inject(
        r"/api/v1/notifications", FakeResponse.json({"error": "boom"}, 503), after=1
    )
    result = run(app, ["connectors", "poll", str(account.id)])
    assert result.exit_code == 1 and "poll stopped early" in result.output
    assert "stored 2" in result.output


def test_poll_of_an_unknown_account_says_so(app):
    result = run(app, ["connectors", "poll", "99999"])
    assert result.exit_code == 2
    assert "no connector account 99999" in result.output


def test_worker_summary_counts_what_it_marked_failed(app, session, brand, fakes):
    fake_bluesky, fake_mastodon = fakes
    for token in ("revoked", fake_mastodon.token):
        create_account(
            session=session,
            brand=brand,
            platform="mastodon",
            credentials={"access_token": token},
            box=BOX,
            base_url=fake_mastodon.base_url,
        )
    create_account(
        session=session,
        brand=brand,
        platform="bluesky",
        credentials={"identifier": fake_bluesky.handle, "app_password": fake_bluesky.password},
        box=BOX,
    )
    session.commit()
    fake_mastodon.add_mention("bonjour")
    fake_bluesky.inject("listNotifications", FakeResponse.json({"error": "Upstream"}, 502))
    result = run(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "polled 3 account(s), stored 1 mention(s)" in result.output
    assert "polls failed 2, partial 0, accounts flagged for their credentials 1" in result.output


def test_the_worker_stores_a_back_dated_bluesky_mention_once(app, session, brand, fake_bluesky):
    """Through the real worker and database: the cursor (longer than 500 characters now)
    is stored with the mentions, and a late mention below the newest one is not skipped."""
    from datetime import timedelta

    account, _ = create_account(
        session=session,
        brand=brand,
        platform="bluesky",
        credentials={"identifier": fake_bluesky.handle, "app_password": fake_bluesky.password},
        box=BOX,
    )
    session.commit()
    for i in range(30):
        fake_bluesky.add_notification(f"question {i}", handle=f"u{i}.bsky.social")
    run_once(app)
    session.expire_all()
    assert len(session.get(ConnectorAccount, account.id).cursor or "") > 500
    fake_bluesky.add_notification("plus récent")
    late = fake_bluesky.add_notification("téléphone à l'heure d'hier", lag=timedelta(minutes=20))
    for _ in range(2):
        session.get(ConnectorAccount, account.id).next_poll_at = utcnow()
        session.commit()
        run_once(app)
        session.expire_all()
    ids = session.exec(select(Mention.external_id)).all()
    assert late["uri"] in ids and len(ids) == len(set(ids)) == 32
