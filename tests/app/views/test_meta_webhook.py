"""The Meta webhook receiver and the poller together: nothing lost, nothing twice."""

from __future__ import annotations

import json

import pytest
import respx
from sqlmodel import select

from app.models import Case, ConnectorAccount, Mention, utcnow
from app.security.secrets_box import SecretsBox
from app.services.accounts import create_account
from app.worker.runner import Worker
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.connectors.fake_graph import FakeGraph
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db

URL = "/api/v1/meta/webhook"


@pytest.fixture
def graph():
    fake = FakeGraph()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


def _account(session, brand, graph: FakeGraph, platform: str) -> ConnectorAccount:
    key = "page_id" if platform == "facebook" else "ig_user_id"
    object_id = graph.page_id if platform == "facebook" else graph.ig_user_id
    account, _ = create_account(
        session=session,
        brand=brand,
        platform=platform,
        credentials={
            key: object_id,
            "access_token": graph.token,
            "app_secret": graph.app_secret,
            "verify_token": graph.verify_token,
        },
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        base_url=graph.base_url,
        verify=True,
    )
    session.commit()
    return account


@pytest.fixture
def brand(session):
    return make_brand(session, slug="acme", name="Acme")


@pytest.fixture
def facebook(session, brand, graph):
    return _account(session, brand, graph, "facebook")


@pytest.fixture
def instagram(session, brand, graph):
    return _account(session, brand, graph, "instagram")


def _deliver(client, graph: FakeGraph, body: bytes, signature: str | None = None):
    headers = {"Content-Type": "application/json"}
    headers["X-Hub-Signature-256"] = signature if signature is not None else graph.sign(body)
    return client.post(URL, data=body, headers=headers)


def test_subscription_handshake_echoes_the_challenge(client, facebook, graph):
    query = {"hub.mode": "subscribe", "hub.verify_token": graph.verify_token}
    response = client.get(URL, query_string={**query, "hub.challenge": "1158201444"})
    assert response.status_code == 200 and response.get_data(as_text=True) == "1158201444"
    wrong = client.get(
        URL, query_string={**query, "hub.verify_token": "nope", "hub.challenge": "1"}
    )
    assert wrong.status_code == 403
    assert client.get(URL, query_string={"hub.challenge": "1"}).status_code == 400


def test_a_signed_feed_delivery_is_stored_once_and_triaged(client, session, facebook, graph):
    comment = graph.add_comment("Colis jamais arrivé, c'est honteux")
    body = graph.feed_delivery(comment)
    first = _deliver(client, graph, body)
    again = _deliver(client, graph, body)  # Meta retries: same delivery twice
    assert first.status_code == 200 and first.get_json()["stored"] == 1
    assert again.status_code == 200 and again.get_json()["duplicates"] == 1
    mentions = session.exec(select(Mention)).all()
    assert len(mentions) == 1
    assert mentions[0].platform == "facebook" and mentions[0].state == "triaged"
    assert mentions[0].external_id == comment["id"]
    assert mentions[0].url == comment["permalink_url"]  # built from the ids


def test_a_bad_or_missing_signature_is_refused_and_nothing_stored(client, session, facebook, graph):
    body = graph.feed_delivery(graph.add_comment("bonjour"))
    assert _deliver(client, graph, body, graph.sign(body, "other-secret")).status_code == 401
    assert _deliver(client, graph, body, "").status_code == 401
    assert _deliver(client, graph, body + b" ", graph.sign(body)).status_code == 401
    assert session.exec(select(Mention)).all() == []


def test_a_reply_lands_in_the_case_of_its_comment(client, session, facebook, graph):
    top = graph.add_comment("Ma commande n'est jamais arrivée", name="Marie Dupont")
    reply = graph.add_comment("Pareil pour moi !", parent=top, name="Paul Martin", user_id="77")
    _deliver(client, graph, graph.feed_delivery(top))
    _deliver(client, graph, graph.feed_delivery(reply))
    mentions = {m.external_id: m for m in session.exec(select(Mention))}
    assert mentions[reply["id"]].in_reply_to == top["id"]
    assert mentions[reply["id"]].case_id == mentions[top["id"]].case_id is not None
    assert len(session.exec(select(Case)).all()) == 1


def test_our_own_reply_delivered_back_is_not_a_mention(client, session, facebook, graph):
    top = graph.add_comment("question")
    ours = graph._comment(
        graph.objects[top["post_id"]], top, "Réponse", {"id": graph.page_id, "name": "Acme"}
    )
    response = _deliver(client, graph, graph.feed_delivery(ours))
    assert response.get_json() == {"stored": 0, "duplicates": 0, "ignored": 1}


def test_a_lost_webhook_is_caught_by_polling_and_nothing_is_doubled(
    app, client, session, facebook, graph
):
    worker = Worker(app)
    worker.poll_due()  # first poll: sets the cursor
    delivered = graph.add_comment("livré par webhook")
    lost = graph.add_comment("webhook perdu", user_id="88", name="Léa")
    _deliver(client, graph, graph.feed_delivery(delivered))
    account = session.get(ConnectorAccount, facebook.id)
    account.next_poll_at = utcnow()
    session.add(account)
    session.commit()
    outcomes = worker.poll_due()
    assert [o.stored for o in outcomes] == [1]  # the lost one; the delivered one is known
    session.expire_all()
    ids = sorted(m.external_id for m in session.exec(select(Mention)))
    assert ids == sorted([delivered["id"], lost["id"]])
    # Meta's late retry of the delivered one changes nothing.
    assert _deliver(client, graph, graph.feed_delivery(delivered)).get_json()["duplicates"] == 1


def test_instagram_comments_and_mentions_deliveries(client, session, instagram, graph):
    comment = graph.add_ig_comment("Toujours pas livré")
    other = graph.add_media("Photo de Zoé")
    other["owner"] = "other"
    mentioning = graph.add_ig_comment("@acme.fr regardez ça", media=other, username="zoe")
    assert _deliver(client, graph, graph.ig_comment_delivery(comment)).get_json()["stored"] == 1
    body = graph.ig_mention_delivery(other["id"], mentioning["id"])
    assert _deliver(client, graph, body).get_json()["stored"] == 1
    mentions = {m.external_id: m for m in session.exec(select(Mention))}
    assert mentions[comment["id"]].platform == "instagram"
    assert mentions[mentioning["id"]].text == "@acme.fr regardez ça"


def test_an_instagram_mention_unreadable_now_asks_meta_to_retry(client, session, instagram, graph):
    from tests.connectors.fake_core import FakeResponse

    media = graph.add_media("x")
    graph.inject(rf"/{graph.ig_user_id}$", FakeResponse.json({"error": {"code": 2}}, 503))
    response = _deliver(client, graph, graph.ig_mention_delivery(media["id"]))
    assert response.status_code == 503
    assert _deliver(client, graph, graph.ig_mention_delivery(media["id"])).status_code == 200


def test_garbage_bodies_are_4xx(client, facebook, graph):
    for body in (b"[" * 100_000, b"\xff\xfe", b"{}", b'{"object": "page", "entry": 3}'):
        assert _deliver(client, graph, body).status_code in (400, 200)
    assert client.post(URL, data=b"x").status_code == 401


# -- connecting an account: CLI and admin -----------------------------------------------------


def test_cli_connects_facebook_then_mentions_list_names_the_platform(app, session, brand, graph):
    from app.cli import main

    runner = app.test_cli_runner()
    credentials = {"page_id": graph.page_id, "page_access_token": graph.token}
    result = runner.invoke(
        main,
        [
            "connectors",
            "add",
            "--brand",
            "acme",
            "--platform",
            "facebook",
            "--base-url",
            graph.base_url,
        ],
        input=json.dumps(credentials),
    )
    assert result.exit_code == 0, result.output
    assert "credentials checked with facebook: acmefrance" in result.output
    account = session.exec(select(ConnectorAccount)).one()
    graph.add_comment("Bonjour, où est ma commande ?")
    polled = runner.invoke(main, ["connectors", "poll", str(account.id)])
    assert polled.exit_code == 0, polled.output
    listed = runner.invoke(main, ["mentions", "list", "--brand", "acme", "--json"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [r["platform"] for r in rows] == ["facebook"]


def test_cli_refuses_an_expired_page_token(app, session, brand, graph):
    from app.cli import main

    graph.expire_token()
    args = ["connectors", "add", "--brand", "acme", "--platform", "instagram"]
    result = app.test_cli_runner().invoke(
        main,
        [*args, "--base-url", graph.base_url],
        input=json.dumps({"ig_user_id": graph.ig_user_id, "access_token": graph.token}),
    )
    assert result.exit_code != 0 and "refused these credentials" in result.output
    assert session.exec(select(ConnectorAccount)).all() == []


def test_admin_connects_instagram_from_the_form(client, session, brand, graph):
    make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    assert "Identifiant du compte Instagram" in client.get("/admin/accounts/new").get_data(
        as_text=True
    )
    response = post(
        client,
        "/admin/accounts/new",
        {
            "brand_id": brand.id,
            "platform": "instagram",
            "base_url": graph.base_url,
            "interval_seconds": "60",
            "cred-instagram-ig_user_id": graph.ig_user_id,
            "cred-instagram-access_token": graph.token,
            "cred-instagram-app_secret": graph.app_secret,
            "cred-instagram-verify_token": graph.verify_token,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    account = session.exec(select(ConnectorAccount)).one()
    assert account.platform == "instagram" and account.handle == "acme.fr"
    page = client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert "/api/v1/meta/webhook" in page and graph.token not in page
    assert graph.app_secret not in page


def test_a_cm_hides_a_facebook_insult_and_the_worker_hides_it_on_the_page(
    app, session, brand, facebook, graph
):
    from app.models import Case
    from app.services import casework

    insult = graph.add_comment("Bande d'escrocs, service client nul", name="Jean Visiteur")
    worker = Worker(app)
    worker.poll_due()
    mention = session.exec(select(Mention)).one()
    if not mention.hidden:  # the playbook did not hide it at triage: a CM does
        cm = make_user(session, brand, role="community_manager", email="cm@acme.test")
        case = session.get(Case, mention.case_id)
        casework.hide_mention(session=session, case=case, mention=mention, actor=cm)
        session.commit()
    assert worker.sync_hidden() == 1
    session.expire_all()
    assert session.get(Mention, mention.id).hide_state == "done"
    assert graph.objects[insult["id"]]["is_hidden"] is True


def test_webhook_deliveries_racing_a_poll_store_each_comment_once(app, session, facebook, graph):
    import threading

    worker = Worker(app)
    worker.poll_due()  # the cursor is set: the next poll reads what follows
    comments = [graph.add_comment(f"commentaire {i}", user_id=str(600 + i)) for i in range(12)]
    account = session.get(ConnectorAccount, facebook.id)
    account.next_poll_at = utcnow()
    session.add(account)
    session.commit()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def deliver_all() -> None:
        try:
            start.wait()
            client = app.test_client()
            for comment in comments:
                assert _deliver(client, graph, graph.feed_delivery(comment)).status_code == 200
        except BaseException as exc:  # reported below: a thread's failure is not the test's
            errors.append(exc)

    def poll() -> None:
        try:
            start.wait()
            worker.poll_due()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=deliver_all), threading.Thread(target=poll)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    session.expire_all()
    stored = session.exec(select(Mention.external_id, Mention.state)).all()
    assert sorted(e for e, _ in stored) == sorted(c["id"] for c in comments)
    assert {state for _, state in stored} == {"triaged"}


def test_health_shows_meta_usage_and_a_missing_permission_flags_the_account(
    app, client, session, brand, facebook, graph
):
    worker = Worker(app)
    graph.add_comment("bonjour")
    worker.poll_due()
    session.expire_all()
    account = session.get(ConnectorAccount, facebook.id)
    assert account.status == "ok" and account.rate_limit_remaining == 88  # 12 % used
    graph.missing_permission = "pages_read_user_content"
    account.next_poll_at = utcnow()
    session.add(account)
    session.commit()
    worker.poll_due()
    session.expire_all()
    account = session.get(ConnectorAccount, facebook.id)
    assert account.status == "auth_failed" and account.next_poll_at is None
    assert "pages_read_user_content" in account.last_error
    assert "grant the app" in account.last_error
    make_user(session, brand, role="admin", email="admin@example.test")
    login(client, "admin@example.test")
    page = client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert "pages_manage_engagement" in page and "88 %" in page
