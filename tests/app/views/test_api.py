"""The inbound mentions API: token, validation naming the field, idempotency, 202."""

from __future__ import annotations

import json
import time

import pytest
from sqlmodel import select

from app.models import AuditEvent, Brand, Case, ConnectorAccount, Mention
from app.security.secrets_box import SecretsBox
from app.services.accounts import create_account
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.factories import make_brand, make_webhook_account

pytestmark = pytest.mark.db

PAYLOAD = {
    "id": "form-42",
    "text": "Bonjour, mon colis n'est jamais arrivé.",
    "author": {"id": "c-1", "handle": "marie.dupont", "name": "Marie"},
    "created_at": "2026-11-23T10:00:00Z",
    "channel": "web_form",
    "lang": "fr",
}


@pytest.fixture
def token(session):
    return make_webhook_account(session, make_brand(session, slug="shop", name="Shop"))[1]


def _push(client, token, payload):
    return client.post(
        "/api/v1/mentions",
        data=json.dumps(payload),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


def test_a_pushed_mention_is_stored_triaged_and_grouped(client, session, token):
    response = _push(client, token, PAYLOAD)
    assert response.status_code == 202
    body = response.get_json()
    mention = session.get(Mention, body["id"])
    assert mention.channel == "web_form" and mention.state == "triaged"
    assert session.get(Case, body["case_id"]) is not None


def test_pushing_the_same_id_twice_stores_it_once(client, session, token):
    first = _push(client, token, PAYLOAD).get_json()
    second = _push(client, token, PAYLOAD)
    assert second.status_code == 202 and second.get_json()["id"] == first["id"]
    assert second.get_json()["duplicate"] is True
    assert len(session.exec(select(Mention)).all()) == 1


def test_missing_or_unknown_token_is_401(client, token):
    assert client.post("/api/v1/mentions", json=PAYLOAD).status_code == 401
    assert _push(client, "not-the-token", PAYLOAD).status_code == 401


def test_invalid_field_is_named(client, token):
    response = _push(client, token, {**PAYLOAD, "author": {"id": "c-1"}})
    assert response.status_code == 422
    assert "handle" in (response.get_json().get("field") or "")


def test_oversized_body_is_refused(client, token):
    response = _push(client, token, {**PAYLOAD, "text": "x" * 70_000})
    assert response.status_code in (413, 422)


def test_openapi_document_is_served(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/mentions" in doc["paths"]
    # The way back: replies POSTed to the account's reply URL, signed, deduped on the key.
    delivery = doc["webhooks"]["reply"]["post"]
    headers = {p["name"] for p in delivery["parameters"]}
    assert {"X-Vigie-Signature", "Idempotency-Key"} <= headers
    assert "Dedupe on `Idempotency-Key`" in delivery["description"]


def test_the_same_person_on_two_channels_lands_in_one_case(client, session, token):
    first = _push(client, token, PAYLOAD).get_json()
    second = _push(
        client,
        token,
        {
            **PAYLOAD,
            "id": "mail-7",
            "channel": "email",
            "author": {"id": "marie@example.test", "handle": "Marie.Dupont@example.test"},
            "text": "Je relance : toujours pas de colis.",
        },
    ).get_json()
    assert second["case_id"] == first["case_id"]
    case = session.get(Case, first["case_id"])
    assert case.mention_count == 2


def _away_from_a_minute_edge() -> None:
    """The webhook quota is a sliding-window counter over clock minutes: hits split across a
    minute's edge weigh less than their number, so a test that counts requests up to a
    per-minute limit starts well inside a minute."""
    second = time.time() % 60
    if second > 40:
        time.sleep(60.1 - second)


def test_a_flood_on_one_token_gets_json_429(app, session, token):
    from app import create_app
    from app.extensions import limiter

    _away_from_a_minute_edge()
    limited = create_app(
        {"TESTING": True, "RATELIMIT_ENABLED": True, "VIGIE_WEBHOOK_RATE_LIMIT": "5 per minute"},
        settings=app.config["VIGIE_SETTINGS"],
    )
    limited.extensions["vigie_engine"] = app.extensions["vigie_engine"]
    client = limited.test_client()
    try:
        statuses = [
            _push(client, token, {**PAYLOAD, "id": f"flood-{n}"}).status_code for n in range(5)
        ]
        # A small limit: 600 pushes on a loaded PostgreSQL machine outlast the minute window.
        assert statuses.count(202) == 5
        last = _push(client, token, {**PAYLOAD, "id": "flood-last"})
        assert last.status_code == 429 and "rate limit" in last.get_json()["error"]
    finally:
        limiter.reset()


# --- Batches: a JSON array of mentions, one result per item -------------------------------


def _item(n: int, **changes):
    """A valid mention of the batch, each from its own author and thread unless told."""
    return {
        **PAYLOAD,
        "id": f"batch-{n}",
        "text": f"Commande {n} : toujours rien reçu, que se passe-t-il ?",
        "author": {"id": f"client-{n}", "handle": f"client{n}", "name": f"Client {n}"},
        **changes,
    }


def test_a_batch_stores_the_valid_items_and_names_the_invalid_ones(client, session, token):
    already = _push(client, token, _item(0)).get_json()
    batch = [
        _item(1),
        {**_item(2), "author": {"id": "c-2"}},  # no handle
        _item(0),  # stored by the push before
        "not a mention",
        _item(3, in_reply_to="batch-1"),
        _item(1),  # the same id twice in one batch
        {**_item(4), "created_at": "2026-11-23T10:00:00"},  # no time zone
    ]
    response = _push(client, token, batch)
    assert response.status_code == 202
    body = response.get_json()
    results = body["results"]
    assert [(r["index"], r["id"], r["status"]) for r in results] == [
        (0, "batch-1", "accepted"),
        (1, "batch-2", "invalid"),
        (2, "batch-0", "duplicate"),
        (3, None, "invalid"),
        (4, "batch-3", "accepted"),
        (5, "batch-1", "duplicate"),
        (6, "batch-4", "invalid"),
    ]
    assert (body["accepted"], body["duplicate"], body["invalid"]) == (2, 2, 3)
    assert results[1]["field"] == "1.author.handle" and "required" in results[1]["error"]
    assert results[6]["field"] == "6.created_at" and "time zone" in results[6]["error"]
    assert results[2]["mention_id"] == already["id"]
    assert results[5]["mention_id"] == results[0]["mention_id"]
    stored = {m.external_id: m for m in session.exec(select(Mention)).all()}
    assert set(stored) == {"batch-0", "batch-1", "batch-3"}
    # Stored, triaged and grouped: the reply to batch-1 joins its thread's case.
    assert all(m.state == "triaged" and m.case_id for m in stored.values())
    assert stored["batch-3"].case_id == stored["batch-1"].case_id == results[0]["case_id"]


def test_replaying_a_batch_stores_nothing_twice(client, session, token):
    batch = [_item(n, thread_id=f"thread-{n % 3}") for n in range(30)]
    first = _push(client, token, batch).get_json()
    assert first["accepted"] == 30
    cases = {c.id: c.mention_count for c in session.exec(select(Case)).all()}
    again = _push(client, token, batch).get_json()
    assert (again["accepted"], again["duplicate"], again["invalid"]) == (0, 30, 0)
    assert [r["mention_id"] for r in again["results"]] == [
        r["mention_id"] for r in first["results"]
    ]
    assert len(session.exec(select(Mention)).all()) == 30
    session.expire_all()
    assert {c.id: c.mention_count for c in session.exec(select(Case)).all()} == cases
    assert sum(cases.values()) == 30


def test_a_batch_may_be_larger_than_one_mention_may(client, token):
    batch = [_item(n, text=f"{n} " + "é" * 1_500) for n in range(100)]
    assert len(json.dumps(batch).encode()) > 64 * 1024
    response = _push(client, token, batch)
    assert response.status_code == 202 and response.get_json()["accepted"] == 100


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ([], 422, "at least one"),
        ([_item(n) for n in range(501)], 413, "at most 500"),
        ("just a string", 422, "JSON object"),
        (42, 422, "JSON object"),
    ],
)
def test_a_batch_that_cannot_be_taken_is_refused_whole(client, session, token, body, status, words):
    response = _push(client, token, body)
    assert response.status_code == status and words in response.get_json()["error"]
    assert session.exec(select(Mention)).all() == []


def test_the_openapi_document_describes_batches(client):
    post = client.get("/api/v1/openapi.json").get_json()["paths"]["/mentions"]["post"]
    variants = post["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    assert {"type": "array"}.items() <= variants[1].items() and variants[1]["maxItems"] == 500
    assert "Retry-After" in post["responses"]["429"]["headers"]
    doc = client.get("/api/v1/openapi.json").get_json()
    item = doc["components"]["schemas"]["BatchResult"]["properties"]["results"]["items"]
    assert item["properties"]["status"]["enum"] == ["accepted", "duplicate", "invalid"]


# --- Rate limits: per account, counted per mention, shared by every process ----------------


def _limited(app, **config):
    """An app with rate limits on (the test app has them off), on the same database."""
    from app import create_app

    limited = create_app(
        {"TESTING": True, "RATELIMIT_ENABLED": True, **config},
        settings=app.config["VIGIE_SETTINGS"],
    )
    limited.extensions["vigie_engine"].dispose()
    limited.extensions["vigie_engine"] = app.extensions["vigie_engine"]
    return limited


def _account_with_token(session, brand, token: str, **options):
    """A webhook account answering to a token we choose."""
    from app.security.secrets_box import token_digest

    account, _ = create_account(
        session=session,
        brand=brand,
        platform="webhook",
        credentials={},
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        label=token[:8],
        options=options or None,
    )
    account.webhook_token_hash = token_digest(token)
    session.add(account)
    session.commit()
    return account


def test_the_limit_is_the_account_not_the_end_of_the_header(app, session):
    from app.extensions import limiter

    brand = make_brand(session, slug="shop", name="Shop")
    # Two accounts whose tokens end alike: the old key (last 16 characters) mixed them up.
    _account_with_token(session, brand, "first-account-0123456789abcdef")
    _account_with_token(session, brand, "other-account-0123456789abcdef")
    _away_from_a_minute_edge()
    client = _limited(app, VIGIE_WEBHOOK_RATE_LIMIT="5 per minute").test_client()
    try:
        first = "first-account-0123456789abcdef"
        batch = [_item(n) for n in range(5)]
        assert _push(client, first, batch).status_code == 202
        refused = _push(client, first, _item(9))
        assert refused.status_code == 429 and "rate limit" in refused.get_json()["error"]
        other = _push(client, "other-account-0123456789abcdef", [_item(n) for n in range(5)])
        assert other.status_code == 202 and other.get_json()["accepted"] == 5
    finally:
        limiter.reset()


def test_an_over_limit_batch_is_refused_whole_and_can_be_sent_again(app, session, token):
    from app.extensions import limiter

    _away_from_a_minute_edge()
    client = _limited(app, VIGIE_WEBHOOK_RATE_LIMIT="10 per minute").test_client()
    try:
        assert _push(client, token, [_item(n) for n in range(6)]).get_json()["accepted"] == 6
        second = [_item(n) for n in range(6, 12)]
        refused = _push(client, token, second)
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert "nothing was stored" in refused.get_json()["error"]
        assert len(session.exec(select(Mention)).all()) == 6
        # What is left of the minute still serves a smaller batch.
        assert _push(client, token, second[:4]).get_json()["accepted"] == 4
        limiter.reset()  # the minute is over: the refused batch, sent again as is, passes
        again = _push(client, token, second).get_json()
        assert (again["accepted"], again["duplicate"]) == (2, 4)
    finally:
        limiter.reset()


def test_a_big_brand_gets_its_own_limit(app, session):
    from app.extensions import limiter

    brand = make_brand(session, slug="shop", name="Shop")
    _account_with_token(session, brand, "storm-brand-token-000000000000", rate_per_minute=40)
    _account_with_token(session, brand, "small-brand-token-000000000000")
    client = _limited(app, VIGIE_WEBHOOK_RATE_LIMIT="5 per minute").test_client()
    try:
        storm = _push(client, "storm-brand-token-000000000000", [_item(n) for n in range(30)])
        assert storm.status_code == 202 and storm.get_json()["accepted"] == 30
        small = _push(client, "small-brand-token-000000000000", [_item(n) for n in range(30)])
        # More in one request than the account may push in a minute: it could never pass.
        assert small.status_code == 413 and "smaller batches" in small.get_json()["error"]
    finally:
        limiter.reset()


def test_the_limit_is_shared_by_processes_through_redis(app, session, token):
    import subprocess
    import sys
    import uuid

    redis = pytest.importorskip("redis")
    from app.extensions import limiter

    url = "redis://127.0.0.1:6379"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"vigie-test-{uuid.uuid4().hex}"
    account = session.exec(select(ConnectorAccount)).one()
    config = {
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": prefix,
        "VIGIE_WEBHOOK_RATE_LIMIT": "8 per minute",
    }
    # Another web process spends 6 of this account's 8 mentions a minute.
    other_process = f"""
from flask import Flask
from limits import parse
from app.extensions import limiter
from app.security import webhook_quota
app = Flask("other")
app.config.update(RATELIMIT_STORAGE_URI={url!r}, RATELIMIT_KEY_PREFIX={prefix!r})
limiter.init_app(app)
with app.app_context():
    print(webhook_quota.spend({account.id}, parse("8 per minute"), 6))
"""
    done = subprocess.run(
        [sys.executable, "-c", other_process], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "None"
    client = _limited(app, **config).test_client()
    try:
        assert _push(client, token, [_item(1), _item(2)]).status_code == 202
        assert _push(client, token, _item(3)).status_code == 429
    finally:
        store = redis.Redis.from_url(url)
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)
        limiter.reset()


def test_an_admin_sets_an_accounts_limit(client, session, token):
    from tests.conftest import login, post
    from tests.factories import make_user

    account = session.exec(select(ConnectorAccount)).one()
    brand = session.exec(select(Brand)).one()
    make_user(session, brand, role="admin", email="admin@shop.test")
    login(client, "admin@shop.test")
    path = f"/admin/accounts/{account.id}"
    assert 'name="rate_per_minute"' in client.get(path).get_data(as_text=True)
    refused = post(client, path, {"action": "push_rate", "rate_per_minute": "beaucoup"})
    assert refused.status_code == 422 and "par minute" in refused.get_data(as_text=True)
    assert (
        post(client, path, {"action": "push_rate", "rate_per_minute": "5 000"}).status_code == 302
    )
    session.expire_all()
    assert session.get(ConnectorAccount, account.id).options["rate_per_minute"] == 5000
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "connector.push_rate_set")
    ).one()
    assert event.after == {"rate_per_minute": 5000}
    assert post(client, path, {"action": "push_rate", "rate_per_minute": ""}).status_code == 302
    session.expire_all()
    assert "rate_per_minute" not in session.get(ConnectorAccount, account.id).options
