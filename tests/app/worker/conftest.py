"""A brand with a Mastodon account served by the fake instance, and a worker to tick."""

from __future__ import annotations

import pytest
import respx

from app.security.secrets_box import SecretsBox
from app.services.accounts import create_account
from app.worker.runner import Worker
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.connectors.fakes import FakeMastodon
from tests.factories import make_brand


@pytest.fixture
def fake_mastodon():
    fake = FakeMastodon()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


@pytest.fixture
def brand(session):
    return make_brand(session, slug="acme", name="Acme")


@pytest.fixture
def account(session, brand, fake_mastodon):
    account, _ = create_account(
        session=session,
        brand=brand,
        platform="mastodon",
        credentials={"access_token": fake_mastodon.token},
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        handle="acme",
        base_url=fake_mastodon.base_url,
        interval_seconds=60,
    )
    session.commit()
    return account


@pytest.fixture
def worker(app):
    return Worker(app)
