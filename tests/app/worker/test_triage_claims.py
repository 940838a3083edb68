"""What the triage pass takes, and what it does when a mention cannot be triaged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, ConnectorAccount, Mention, Triage
from app.security.secrets_box import SecretsBox
from app.services import ingest, triage, triage_claims
from app.services.accounts import create_account
from connectors import AuthorInfo, FetchedMention
from tests.conftest import TEST_ENCRYPTION_KEY

pytestmark = pytest.mark.db


@pytest.fixture
def form(session, brand) -> ConnectorAccount:
    account, _ = create_account(
        session=session,
        brand=brand,
        platform="webhook",
        credentials={},
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        label="Formulaire",
    )
    session.commit()
    return account


def _mention(external_id: str, text: str = "mon colis n'est pas arrivé", thread: str = "t-1"):
    return FetchedMention(
        external_id=external_id,
        text=text,
        author=AuthorInfo(external_id="c-1", handle="marie"),
        posted_at=datetime(2026, 11, 23, 10, tzinfo=UTC) + timedelta(minutes=len(external_id)),
        url=None,
        lang="fr",
        channel="web_form",
        thread_id=thread,
    )


def _store(engine, account_id: int, *items: FetchedMention) -> None:
    """Store without triage, as a web process that died just after storing would leave them."""
    with Session(engine, expire_on_commit=False) as own:
        account = own.get(ConnectorAccount, account_id)
        ingest.store_mentions(session=own, account=account, items=items)
        own.commit()


def test_a_request_triages_only_what_it_stored(engine, session, form):
    _store(engine, form.id, _mention("left-over", thread="t-9"), _mention("mine"))
    with Session(engine, expire_on_commit=False) as web:
        assert triage.triage_pending(session=web, account_id=form.id, external_ids=["mine"]) == 1
        web.commit()
    states = dict(session.exec(select(Mention.external_id, Mention.state)).all())
    assert states == {"left-over": "new", "mine": "triaged"}


def test_a_mention_that_cannot_be_triaged_is_set_aside_and_the_others_go_on(
    engine, session, form, worker, monkeypatch
):
    real_decide = triage.decide

    def decide(**kwargs):
        if "poison" in kwargs["mention"].text:
            raise ValueError("evidence cannot be built")
        return real_decide(**kwargs)

    monkeypatch.setattr(triage, "decide", decide)
    _store(
        engine,
        form.id,
        _mention("ok-1", thread="t-1"),
        _mention("bad", text="poison", thread="t-2"),
        _mention("ok-2", thread="t-3"),
    )
    # One sweep: the good mentions are triaged at once, the bad one tried a few times only.
    assert worker.triage_backlog() == 3 + (triage_claims.MAX_TRIAGE_ATTEMPTS - 1)
    assert worker.triage_backlog() == 0
    mentions = {m.external_id: m for m in session.exec(select(Mention))}
    assert mentions["ok-1"].state == mentions["ok-2"].state == "triaged"
    assert mentions["ok-1"].case_id and mentions["ok-2"].case_id
    bad = mentions["bad"]
    assert bad.state == "triage_failed" and bad.case_id is None
    assert bad.triage_attempts == triage_claims.MAX_TRIAGE_ATTEMPTS
    assert session.exec(select(Triage).where(Triage.mention_id == bad.id)).first() is None
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "mention.triage_failed")
    ).one()
    assert event.target_id == bad.id and "evidence cannot be built" in (event.note or "")
