"""X credentials that last and errors that say what is wrong (issue 21), against the fake X."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import responses

from connectors import (
    AccountMisconfigured,
    AuthError,
    DuplicateReply,
    OutgoingReply,
    RateLimited,
    UsageCapped,
)
from connectors.x import XConnector
from connectors.x_limits import next_cap_reset, poll_interval_for
from tests.connectors.fakes import FakeResponse, FakeX

TOKEN = "/2/oauth2/token"
MENTIONS = r"/2/users/\d+/mentions"


@pytest.fixture
def fake() -> Iterator[FakeX]:
    server = FakeX()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        server.install_responses(rsps)
        yield server


def reply_for(mention_id: str, text: str = "Bonjour, nous regardons.") -> OutgoingReply:
    return OutgoingReply(
        text=text,
        in_reply_to_external_id=mention_id,
        in_reply_to_raw={"data": {"id": mention_id}},
        author_handle="alice",
        idempotency_key="r-1",
    )


# -- OAuth 2.0 user context, renewed -------------------------------------------------------


def test_oauth2_access_token_is_renewed_and_the_rotated_refresh_token_handed_back(
    fake: FakeX,
) -> None:
    first_refresh = fake.refresh_token
    connector = XConnector(credentials=fake.oauth2_credentials(), account_handle="acme")
    mention = fake.add_mention("mon colis ?")
    connector.post_reply(reply_for(mention["id"]))
    saved = connector.updated_credentials
    assert saved is not None
    # X rotated the refresh token: the one to store is the new one, the old one is dead.
    assert saved["refresh_token"] == fake.refresh_token != first_refresh
    assert saved["oauth2_access_token"] in fake.access_tokens
    assert datetime.fromisoformat(saved["oauth2_expires_at"]) > datetime.now(UTC) + timedelta(
        hours=1
    )
    assert len(fake.posted) == 1

    # The next worker run reuses the stored access token until it nears its expiry…
    again = XConnector(credentials=saved, account_handle="acme")
    again.fetch(None)
    assert fake.renewals == 1
    # …then renews it before calling (no 401 on the way).
    stale = {**saved, "oauth2_expires_at": (datetime.now(UTC) + timedelta(minutes=1)).isoformat()}
    later = XConnector(credentials=stale, account_handle="acme")
    later.fetch(None)
    assert fake.renewals == 2
    assert later.updated_credentials is not None
    assert later.updated_credentials["refresh_token"] == fake.refresh_token


def test_an_access_token_x_expired_early_is_renewed_once_and_the_call_retried(
    fake: FakeX,
) -> None:
    connector = XConnector(credentials=fake.oauth2_credentials())
    connector.verify()
    saved = connector.updated_credentials
    assert saved is not None
    fake.expire_access_tokens()
    mention = fake.add_mention("allo ?")
    XConnector(credentials=saved).post_reply(reply_for(mention["id"]))
    assert len(fake.posted) == 1


def test_a_confidential_client_renews_with_basic_auth(fake: FakeX) -> None:
    fake.client_secret = "s3cret"
    connector = XConnector(credentials=fake.oauth2_credentials())
    assert connector.verify() == "acme"
    (call,) = fake.requests_to(TOKEN, "POST")
    assert call.headers["authorization"].startswith("Basic ")


def test_a_refused_refresh_token_says_to_authorise_again(fake: FakeX) -> None:
    creds = {**fake.oauth2_credentials(), "refresh_token": "used-already"}
    with pytest.raises(AuthError, match="refresh token") as caught:
        XConnector(credentials=creds).fetch(None)
    assert "offline.access" in caught.value.message


def test_verify_tells_what_oauth2_credentials_allow(fake: FakeX) -> None:
    connector = XConnector(credentials=fake.oauth2_credentials())
    connector.verify()
    assert connector.access() == {
        "kind": "oauth2",
        "operations": ["read", "reply", "hide"],
        "notes": [],
    }
    fake.scope = "tweet.read tweet.write users.read offline.access"
    connector = XConnector(credentials=fake.oauth2_credentials())
    connector.verify()
    assert connector.access()["operations"] == ["read", "reply"]
    assert connector.access()["notes"] == ["no_hide_scope"]


# -- app-only bearer: reading only ---------------------------------------------------------


def test_app_only_bearer_reads_but_never_posts(fake: FakeX) -> None:
    fake.add_mention("bonjour")
    connector = XConnector(credentials={"bearer_token": fake.bearer_token}, account_handle="acme")
    assert connector.verify() == "acme"  # /2/users/me is refused: found by its handle
    assert connector.access() == {"kind": "bearer", "operations": ["read"], "notes": ["app_only"]}
    saved = connector.updated_credentials
    assert saved is not None and saved["bearer_kind"] == "app"
    assert saved["user_id"] == fake.user_id
    reader = XConnector(credentials=saved, account_handle="acme")
    (mention,) = reader.fetch(None).mentions
    with pytest.raises(AccountMisconfigured, match="app-only Bearer Token"):
        reader.post_reply(reply_for(mention.external_id))
    with pytest.raises(AccountMisconfigured):
        reader.hide(mention.raw)
    assert fake.posted == [] and fake.requests_to("/2/tweets$", "POST") == []


def test_fake_x_refuses_app_only_tokens_where_x_does(fake: FakeX) -> None:
    """An unlabelled bearer token is tried: X's refusal flags the account, not the reply."""
    mention = fake.add_mention("bonjour")
    connector = XConnector(credentials={"bearer_token": fake.bearer_token, "user_id": "123"})
    with pytest.raises(AccountMisconfigured, match=r"tweet\.moderate\.write") as caught:
        connector.post_reply(reply_for(mention["id"]))
    assert isinstance(caught.value, AuthError) and caught.value.status == 403
    (call,) = fake.requests_to("/2/tweets$", "POST")
    assert call.headers["authorization"] == f"Bearer {fake.bearer_token}"


def test_a_user_token_pasted_as_bearer_is_told_to_expire(fake: FakeX) -> None:
    renewed = XConnector(credentials=fake.oauth2_credentials())
    renewed.verify()
    assert renewed.updated_credentials is not None
    token = renewed.updated_credentials["oauth2_access_token"]
    connector = XConnector(credentials={"bearer_token": token})
    connector.verify()
    assert connector.access()["notes"] == ["expires_without_refresh"]


# -- account-level 403s ---------------------------------------------------------------------


def test_read_only_oauth1_app_is_an_account_problem_with_the_fix(fake: FakeX) -> None:
    fake.oauth1_access_level = "read"
    mention = fake.add_mention("allo")
    connector = XConnector(credentials={**fake.oauth1_credentials(), "user_id": "123"})
    connector.verify()
    assert connector.access()["operations"] == ["read"]
    with pytest.raises(AccountMisconfigured, match="Read and write"):
        connector.post_reply(reply_for(mention["id"]))


def test_client_not_enrolled_is_an_account_problem_with_the_fix(fake: FakeX) -> None:
    fake.enrolled = False
    with pytest.raises(AccountMisconfigured, match="Project"):
        XConnector(credentials={**fake.oauth1_credentials(), "user_id": "123"}).fetch(None)


# -- headers, rate windows, usage cap -----------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"x-user-limit-24hour-remaining": "0"},  # no reset: main raised ValueError (max of [])
        {"x-app-limit-24hour-remaining": "0", "x-app-limit-24hour-reset": "soon"},
        {"x-rate-limit-remaining": "0", "x-rate-limit-reset": "garbage"},
        {"x-rate-limit-reset": "1e999", "x-user-limit-24hour-remaining": "zero"},
    ],
)
def test_garbled_or_missing_rate_headers_never_raise(fake: FakeX, headers: dict[str, str]) -> None:
    mention = fake.add_mention("allo")
    problem = {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429}
    fake.inject("/2/tweets$", FakeResponse.json(problem, 429, headers), method="POST")
    connector = XConnector(credentials={**fake.oauth1_credentials(), "user_id": "123"})
    with pytest.raises(RateLimited) as caught:
        connector.post_reply(reply_for(mention["id"]))
    assert caught.value.retry_at is not None and caught.value.retry_at > datetime.now(UTC)
    fake.inject(MENTIONS, FakeResponse.json({"meta": {"result_count": 0}}, 200, headers))
    assert connector.fetch("1").complete


def test_an_exhausted_24_hour_cap_waits_for_its_reset(fake: FakeX) -> None:
    mention = fake.add_mention("allo")
    fake.daily["x-user-limit-24hour"] = 1
    connector = XConnector(credentials={**fake.oauth1_credentials(), "user_id": "123"})
    connector.post_reply(reply_for(mention["id"], "Premier"))
    with pytest.raises(RateLimited) as caught:
        connector.post_reply(reply_for(mention["id"], "Second"))
    assert caught.value.retry_at == datetime.fromtimestamp(fake.daily_reset_epoch, UTC)
    assert fake.too_many == 0 and len(fake.posted) == 1


def test_a_used_up_mentions_window_is_waited_out_not_hit(fake: FakeX) -> None:
    connector = XConnector(
        credentials={**fake.oauth1_credentials(), "user_id": "123"}, options={"page_size": 5}
    )
    fake.add_mention("déjà vu")
    cursor = connector.fetch(None).cursor
    for i in range(12):
        fake.add_mention(f"rafale {i}")
    fake.windows["mentions"] = 2  # two pages left in this window, three needed
    result = connector.fetch(cursor)
    assert not result.complete and len(result.mentions) == 10
    assert result.retry_at == datetime.fromtimestamp(fake.reset_epoch, UTC)
    with pytest.raises(RateLimited):
        connector.fetch(cursor)  # the same window: no request at all
    assert fake.too_many == 0


def test_the_window_says_how_often_to_poll(fake: FakeX) -> None:
    result = XConnector(credentials={**fake.oauth1_credentials(), "user_id": "123"}).fetch(None)
    assert result.min_interval == 60  # 450 requests per 15 minutes: every minute is fine
    assert poll_interval_for(10) == 120 and poll_interval_for(1) == 900
    assert poll_interval_for(None) is None


def test_usage_capped_pauses_until_the_cap_resets(fake: FakeX) -> None:
    fake.usage_capped = True
    connector = XConnector(
        credentials={**fake.oauth1_credentials(), "user_id": "123"},
        options={"cap_reset_day": 12},
    )
    with pytest.raises(UsageCapped, match="monthly usage cap") as caught:
        connector.fetch(None)
    assert caught.value.retry_at == next_cap_reset(datetime.now(UTC), 12)
    assert caught.value.retry_at is not None and caught.value.retry_at.day == 12
    assert next_cap_reset(datetime(2026, 12, 20, tzinfo=UTC)) == datetime(2027, 1, 1, tzinfo=UTC)


# -- posts as X returns them ------------------------------------------------------------------


def test_an_edited_mention_names_the_id_it_replaces(fake: FakeX) -> None:
    connector = XConnector(credentials={**fake.oauth1_credentials(), "user_id": "123"})
    original = fake.add_mention("mon colis n'est pas arrivé")
    cursor = connector.fetch(None).cursor
    edited = fake.edit(original["id"], "mon colis n'est toujours pas arrivé !")
    (mention,) = connector.fetch(cursor).mentions
    assert mention.external_id == edited["id"]
    assert mention.previous_ids == (original["id"],)


def test_referenced_posts_and_partial_errors(fake: FakeX) -> None:
    ours = fake._add_tweet("Info trafic", fake.user_id, "fr", None)
    gone = fake._add_tweet("Ancien message", fake.user_id, "fr", None)
    fake.add_mention("et mon train ?", in_reply_to=ours["id"])
    fake.add_mention("et le mien ?", in_reply_to=gone["id"])
    fake.delete(gone["id"])
    connector = XConnector(credentials={**fake.oauth1_credentials(), "user_id": "123"})
    mentions = {m.text: m for m in connector.fetch(None).mentions}
    assert mentions["@acme et mon train ?"].raw["includes"]["tweets"][0]["text"] == "Info trafic"
    assert "tweets" not in mentions["@acme et le mien ?"].raw["includes"]
    (call,) = fake.requests_to(MENTIONS)
    assert call.arg("expansions") == "author_id,referenced_tweets.id"


def test_duplicate_content_is_a_duplicate_refusal(fake: FakeX) -> None:
    first, second = fake.add_mention("merci"), fake.add_mention("merci aussi")
    connector = XConnector(credentials={**fake.oauth1_credentials(), "user_id": "123"})
    connector.post_reply(reply_for(first["id"], "Avec plaisir !"))
    with pytest.raises(DuplicateReply):
        connector.post_reply(reply_for(second["id"], "Avec plaisir !"))
    assert (
        connector.find_reply(
            reply_for(second["id"], "Avec plaisir !"),
            posted_after=datetime.now(UTC) - timedelta(minutes=5),
        )
        is None
    )


def test_a_project_refusal_does_not_label_a_bearer_token_app_only(fake: FakeX) -> None:
    fake.enrolled = False
    connector = XConnector(credentials={"bearer_token": fake.bearer_token}, account_handle="acme")
    with pytest.raises(AccountMisconfigured, match="Project"):
        connector.verify()
    assert connector.updated_credentials is None
