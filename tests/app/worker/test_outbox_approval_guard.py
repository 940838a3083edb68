"""The outbox's own guard: a reply waiting for approval is never posted, whatever its state."""

from __future__ import annotations

import uuid

import pytest
import respx
from sqlmodel import select

from app.models import Mention, Reply
from app.security.secrets_box import SecretsBox
from app.services import approvals, worker_errors
from app.services.accounts import create_account
from app.worker.runner import Worker
from tests.app.portal_support import scope
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.connectors.fakes import FakeMastodon
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


@pytest.fixture
def fake_mastodon():
    fake = FakeMastodon()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


def test_a_pending_reply_forced_into_the_queue_is_refused_then_posts_once_approved(
    app, session, fake_mastodon
):
    brand = make_brand(session, slug="acme", name="Acme")
    owner = make_user(session, brand, "brand_owner")
    create_account(
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
    worker = Worker(app)
    fake_mastodon.add_mention("vous êtes des escrocs", acct="jean@piaille.fr")
    worker.poll_due()
    mention = session.exec(select(Mention)).one()
    # A bug or a hand-edited row puts an unapproved reply in the queue: the outbox still refuses.
    forced = Reply(
        brand_id=brand.id,
        case_id=mention.case_id,
        mention_id=mention.id,
        text="Réponse non validée",
        approval_state="pending",
        approver_role="brand",
        outbox_state="queued",
        idempotency_key=uuid.uuid4().hex,
    )
    session.add(forced)
    session.commit()
    assert worker.send_outbox().failed == 1
    assert fake_mastodon.posted == []
    session.expire_all()
    forced = session.get(Reply, forced.id)
    assert forced.outbox_state == "failed" and "validation" in worker_errors.message(forced)

    pending = Reply(
        brand_id=brand.id,
        case_id=mention.case_id,
        mention_id=mention.id,
        text="Bonjour, nous regardons votre dossier.",
        approval_state="pending",
        approver_role="brand",
        idempotency_key=uuid.uuid4().hex,
    )
    session.add(pending)
    session.commit()
    assert worker.send_outbox().sent == 0  # draft: not even picked
    approvals.approve(session=session, reply=pending, actor=owner, scope=scope(session, owner))
    session.commit()
    assert worker.send_outbox().sent == 1
    assert worker.send_outbox().sent == 0
    assert len(fake_mastodon.posted) == 1
