"""Worker errors are codes the UI translates; the platform's own words stay for admins."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.models import ConnectorAccount, Reply
from app.services import worker_errors

CODES = [(Reply, code) for code in worker_errors.REPLY] + [
    (ConnectorAccount, code) for code in worker_errors.ACCOUNT
]


@pytest.mark.parametrize(("model", "code"), CODES)
def test_every_code_reads_in_french_and_in_english(app, model, code):
    record = model(attempts=3, checks=2) if model is Reply else model()
    note = worker_errors.set_error(record, code, "HTTP 403: forbidden")
    french = worker_errors.message(record)
    assert record.last_error_code == code and "%(" not in french
    assert note == f"{french} (HTTP 403: forbidden)"  # the audit trail keeps the French
    with app.app_context(), force_locale("en"):
        english = worker_errors.message(record)
    assert english != french and "%(" not in english
    assert worker_errors.detail(record) == "HTTP 403: forbidden"


def test_counts_come_from_the_reply():
    reply = Reply(attempts=8)
    worker_errors.set_error(reply, "gave_up")
    assert worker_errors.message(reply) == "Abandon après 8 essais."
    assert reply.last_error is None and worker_errors.detail(reply) is None


def test_an_error_stored_before_codes_shows_its_sentence():
    account = ConnectorAccount(last_error="Erreur d'avant : HTTP 500")
    assert worker_errors.message(account) == "Erreur d'avant : HTTP 500"
    assert worker_errors.detail(account) is None  # already part of the sentence
    worker_errors.clear_error(account)
    assert worker_errors.message(account) is None


def test_an_unknown_code_is_a_bug():
    with pytest.raises(KeyError):
        worker_errors.set_error(Reply(), "no-such-code")


@pytest.mark.db
def test_the_case_page_says_the_error_in_the_readers_language(client, session):
    import uuid

    from tests.conftest import login
    from tests.factories import make_brand, make_case, make_user

    brand = make_brand(session)
    cm = make_user(session, brand, "community_manager", email="cm-en@agency.test")
    cm.locale = "en"
    session.add(cm)
    case = make_case(session, brand, "Mon colis n'est jamais arrivé")
    reply = Reply(
        brand_id=brand.id,
        case_id=case.id,
        text="Bonjour, nous regardons.",
        outbox_state="failed",
        attempts=8,
        idempotency_key=uuid.uuid4().hex,
    )
    worker_errors.set_error(reply, "gave_up", "HTTP 500: upstream down")
    session.add(reply)
    session.commit()
    login(client, "cm-en@agency.test")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Gave up after 8 attempts." in page and "Abandon après" not in page
    assert "HTTP 500: upstream down" in page  # the platform's words, kept as they came
