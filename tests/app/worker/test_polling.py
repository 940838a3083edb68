"""Polling through the real worker against a fake Mastodon: nothing lost, nothing twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Case, ConnectorAccount, Mention, Triage, utcnow
from app.worker import leases
from app.worker.polling import backoff_seconds
from tests.connectors.fakes import FakeResponse

pytestmark = pytest.mark.db


def _refresh(session, account):
    session.expire_all()
    return session.get(ConnectorAccount, account.id)


def test_poll_stores_triages_and_groups_each_mention_once(session, account, worker, fake_mastodon):
    fake_mastodon.add_mention("mon train a encore 40 minutes de retard", acct="jean@piaille.fr")
    fake_mastodon.add_mention("et toujours aucune info en gare", acct="jean@piaille.fr")
    fake_mastodon.add_mention("merci pour le remboursement rapide !", acct="zoe@other.example")
    outcomes = worker.poll_due()
    assert [o.stored for o in outcomes] == [3]
    mentions = session.exec(select(Mention).order_by(Mention.id)).all()
    assert mentions[0].text.startswith("@acme mon train")
    assert all(m.state == "triaged" and m.case_id for m in mentions)
    assert len(session.exec(select(Triage)).all()) == 3
    # Jean's two messages land in one case, Zoé's in another.
    cases = session.exec(select(Case).order_by(Case.id)).all()
    assert [c.mention_count for c in cases] == [2, 1]
    # A second poll finds nothing new and stores nothing twice.
    acc = _refresh(session, account)
    acc.next_poll_at = utcnow()
    session.add(acc)
    session.commit()
    assert [o.stored for o in worker.poll_due()] == [0]
    assert len(session.exec(select(Mention)).all()) == 3


def test_cursor_moves_only_past_stored_mentions(session, account, worker, fake_mastodon):
    for i in range(3):
        fake_mastodon.add_mention(f"question {i}")
    worker.poll_due()
    acc = _refresh(session, account)
    first_cursor = acc.cursor
    assert first_cursor == fake_mastodon.notifications[-1]["id"]
    fake_mastodon.add_mention("une de plus")
    acc.next_poll_at = utcnow()
    session.add(acc)
    session.commit()
    worker.poll_due()
    assert _refresh(session, account).cursor == fake_mastodon.notifications[-1]["id"]
    assert len(session.exec(select(Mention)).all()) == 4


def test_rate_limit_delays_until_reset_and_loses_nothing(session, account, worker, fake_mastodon):
    fake_mastodon.add_mention("bonjour")
    reset = (utcnow() + timedelta(minutes=3)).replace(microsecond=0)
    fake_mastodon.inject(
        r"/api/v1/notifications",
        FakeResponse.json(
            {"error": "Too many requests"},
            429,
            {
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": reset.isoformat().replace("+00:00", "Z"),
            },
        ),
    )
    outcome = worker.poll_due()[0]
    acc = _refresh(session, account)
    assert outcome.status == "rate_limited" and acc.status == "rate_limited"
    assert acc.next_poll_at == reset
    assert acc.rate_limit_remaining == 0
    assert session.exec(select(Mention)).all() == []
    # Not due before the reset; after it, the mention arrives.
    assert worker.poll_due() == []
    acc.next_poll_at = utcnow()
    session.add(acc)
    session.commit()
    assert worker.poll_due()[0].stored == 1


def test_server_errors_back_off_exponentially(session, account, worker, fake_mastodon):
    fake_mastodon.inject(r"/api/v1/notifications", FakeResponse.json({"error": "boom"}, 503))
    before = utcnow()
    worker.poll_due()
    acc = _refresh(session, account)
    assert acc.status == "backoff" and acc.consecutive_failures == 1
    assert "503" in acc.last_error or "TransientError" in acc.last_error
    assert acc.next_poll_at >= before + timedelta(seconds=backoff_seconds(1, 60) - 1)
    assert backoff_seconds(3, 60) > backoff_seconds(2, 60) > backoff_seconds(1, 60)
    assert backoff_seconds(20, 60) == 15 * 60


def test_revoked_token_flags_the_account_until_an_admin_fixes_it(
    session, account, worker, fake_mastodon
):
    fake_mastodon.inject(
        r"/api/v1/notifications",
        FakeResponse.json({"error": "The access token is invalid"}, 401),
        times=5,
    )
    worker.poll_due()
    acc = _refresh(session, account)
    assert acc.status == "auth_failed" and acc.next_poll_at is None
    assert worker.poll_due() == []  # not polled again


def test_a_misconfigured_account_is_flagged_and_the_others_still_poll(
    session, account, worker, fake_mastodon
):
    # An account that cannot even make a connector (here: no server URL) must not stop the
    # worker's round: it is flagged for an admin and the brand's other accounts are polled.
    broken = ConnectorAccount(
        brand_id=account.brand_id,
        platform="mastodon",
        label="sans serveur",
        credentials_encrypted=account.credentials_encrypted,
        base_url=None,
        next_poll_at=utcnow(),
    )
    session.add(broken)
    session.commit()
    fake_mastodon.add_mention("mon train a encore du retard", acct="jean@piaille.fr")
    outcomes = {o.account_id: o for o in worker.poll_due()}
    assert outcomes[account.id].stored == 1
    flagged = _refresh(session, broken)
    assert flagged.status == "auth_failed" and flagged.next_poll_at is None
    assert "mal configuré" in (flagged.last_error or "")


def test_a_held_lease_keeps_other_workers_off_the_account(session, account):
    assert leases.acquire(session, account.id, "worker-a")
    assert not leases.acquire(session, account.id, "worker-b")
    later = utcnow() + timedelta(seconds=leases.LEASE_SECONDS + 1)
    assert leases.acquire(session, account.id, "worker-b", now=later)  # a dead worker's lease
    leases.release(session, account.id, "worker-b")
    assert leases.acquire(session, account.id, "worker-a")


def test_two_workers_polling_at_once_store_each_mention_once(app, session, account, fake_mastodon):
    from app.worker.runner import Worker

    for i in range(30):
        fake_mastodon.add_mention(f"mention {i}", acct=f"user{i}@other.example")
    workers = [Worker(app) for _ in range(3)]
    barrier = threading.Barrier(len(workers))
    outcomes = []

    def run(worker):
        barrier.wait()
        outcomes.extend(worker.poll_due())

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(o.stored for o in outcomes) == 30
    texts = session.exec(select(Mention.text)).all()
    assert len(texts) == len(set(texts)) == 30


def test_worker_once_from_the_command_line(app, account, fake_mastodon):
    from app.cli import main

    fake_mastodon.add_mention("bonjour")
    result = app.test_cli_runner().invoke(main, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "stored 1 mention(s)" in result.output


def test_an_admin_checks_credentials_against_the_platform(
    client, session, brand, account, fake_mastodon
):
    from tests.conftest import login, post
    from tests.factories import make_user

    make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    response = post(
        client, f"/admin/accounts/{account.id}", {"action": "verify"}, follow_redirects=True
    )
    assert "Identifiants valides" in response.get_data(as_text=True)
    fake_mastodon.inject(
        r"/api/v1/accounts/verify_credentials",
        FakeResponse.json({"error": "The access token is invalid"}, 401),
    )
    response = post(client, f"/admin/accounts/{account.id}", {"action": "verify"})
    assert response.status_code == 422
    assert "La plateforme refuse ces identifiants" in response.get_data(as_text=True)
