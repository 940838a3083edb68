"""Facebook Page and Instagram connectors against the fake Graph API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import respx

from connectors import AuthError, OutgoingReply, PermanentError, RateLimited, UnsupportedAction
from connectors.meta import PermissionMissing
from connectors.meta_facebook import FacebookConnector
from connectors.meta_instagram import InstagramConnector
from tests.connectors.fake_core import FakeRequest, FakeResponse
from tests.connectors.fake_graph import FakeGraph, graph_error, rate_limit_error


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


def facebook(graph: FakeGraph, **options: object) -> FacebookConnector:
    return FacebookConnector(
        credentials={
            "page_id": graph.page_id,
            "access_token": graph.token,
            "app_secret": graph.app_secret,
        },
        base_url=graph.base_url,
        options=dict(options),
    )


def instagram(graph: FakeGraph, **options: object) -> InstagramConnector:
    return InstagramConnector(
        credentials={"ig_user_id": graph.ig_user_id, "access_token": graph.token},
        base_url=graph.base_url,
        account_handle=graph.ig_username,
        options=dict(options),
    )


def answer(mention, text: str = "Bonjour, nous regardons.") -> OutgoingReply:  # type: ignore[no-untyped-def]
    return OutgoingReply(
        text=text,
        in_reply_to_external_id=mention.external_id,
        in_reply_to_raw=mention.raw,
        author_handle=mention.author.handle,
        idempotency_key="k",
    )


def since() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=5)


# -- Facebook ---------------------------------------------------------------------------------


def test_a_reply_carries_its_parent_and_lands_in_its_thread(graph: FakeGraph) -> None:
    top = graph.add_comment("Colis perdu", name="Marie Dupont")
    reply = graph.add_comment("Moi aussi !", parent=top, name="Paul Martin", user_id="77")
    with facebook(graph) as connector:
        result = connector.fetch(None)
    by_id = {m.external_id: m for m in result.mentions}
    assert set(by_id) == {top["id"], reply["id"]}
    assert by_id[reply["id"]].in_reply_to == top["id"]
    assert by_id[reply["id"]].thread_id == by_id[top["id"]].thread_id == top["id"]
    assert by_id[top["id"]].in_reply_to == top["post_id"]
    assert by_id[reply["id"]].author.name == "Paul Martin"
    assert by_id[top["id"]].url and by_id[top["id"]].channel == "facebook"


def test_polling_again_brings_only_new_comments_and_skips_ours(graph: FakeGraph) -> None:
    first = graph.add_comment("Bonjour ?")
    with facebook(graph) as connector:
        result = connector.fetch(None)
        assert [m.external_id for m in result.mentions] == [first["id"]]
        connector.post_reply(answer(result.mentions[0]))
        later = graph.add_comment("Et ma commande ?", user_id="99", name="Léa")
        again = connector.fetch(result.cursor)
    # The overlap re-reads the first comment (storage dedupes it); our reply is never a mention.
    assert later["id"] in {m.external_id for m in again.mentions}
    assert graph.posted[0]["id"] not in {m.external_id for m in again.mentions}


def test_paging_follows_cursors_and_tolerates_a_comment_deleted_between_pages(
    graph: FakeGraph,
) -> None:
    post = graph.add_post()
    with facebook(graph) as connector:
        cursor = connector.fetch(None).cursor
    comments = [graph.add_comment(f"commentaire {i}", post=post) for i in range(250)]
    victim = comments[120]

    def delete_then_serve(request: FakeRequest) -> None:
        graph.delete(victim["id"])  # deleted while we read page 2

    graph.requests.clear()
    graph.inject(r"/comments$", delete_then_serve, after=1)
    with facebook(graph) as connector:
        result = connector.fetch(cursor)
    got = {m.external_id for m in result.mentions}
    assert result.complete
    assert got == {c["id"] for c in comments} - {victim["id"]}
    assert len(graph.requests_to(r"/comments$")) == 3  # 100 + 100 + 50


def test_a_post_deleted_while_polling_is_skipped(graph: FakeGraph) -> None:
    gone_post, kept_post = graph.add_post("ancien"), graph.add_post("récent")
    with facebook(graph) as connector:
        cursor = connector.fetch(None).cursor
    gone = [graph.add_comment(f"sur un post supprimé {i}", post=gone_post) for i in range(30)]
    kept = graph.add_comment("sur un post gardé", post=kept_post)
    # The feed brought the newest 25 comments of each post; the post goes before page two.
    graph.inject(gone_post["id"] + "/comments$", lambda r: graph.delete(gone_post["id"]))
    with facebook(graph) as connector:
        result = connector.fetch(cursor)
    got = {m.external_id for m in result.mentions}
    assert kept["id"] in got and len(got & {c["id"] for c in gone}) == 25
    assert result.complete


def test_a_quiet_page_costs_one_request_per_poll(graph: FakeGraph) -> None:
    for i in range(25):
        graph.add_comment(f"commentaire {i}", post=graph.add_post(f"post {i}"))
    with facebook(graph) as connector:
        cursor = connector.fetch(None).cursor
        graph.requests.clear()
        again = connector.fetch(cursor)
    assert len(graph.requests) == 1 and len(again.mentions) == 25  # the overlap re-reads


def test_usage_headers_show_in_health_and_polling_backs_off_before_the_limit(
    graph: FakeGraph,
) -> None:
    post = graph.add_post()
    with facebook(graph) as connector:
        result = connector.fetch(None)
        assert result.rate_limit.limit == 100 and result.rate_limit.remaining == 88
    comments = [graph.add_comment(f"n° {i}", post=post) for i in range(40)]
    graph.usage = 93
    with facebook(graph) as connector:
        partial = connector.fetch(result.cursor)
    # The feed's first 25 comments are kept; the next page waits for usage to come down.
    assert not partial.complete and "93%" in (partial.error or "")
    assert partial.retry_at is not None and partial.cursor == result.cursor
    assert {m.external_id for m in partial.mentions} == {c["id"] for c in comments[-25:]}
    assert graph.requests_to(r"/comments$") == []


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_rate_limit_codes_wait_for_the_time_meta_gives(graph: FakeGraph, code: int) -> None:
    graph.inject(r"/feed$", rate_limit_error(code, regain_minutes=7))
    with facebook(graph) as connector, pytest.raises(RateLimited) as raised:
        connector.fetch(None)
    wait = raised.value.retry_at - datetime.now(UTC)  # type: ignore[operator]
    assert timedelta(minutes=6) < wait <= timedelta(minutes=7)


def test_a_rate_limit_mid_poll_keeps_what_was_read_and_the_cursor(graph: FakeGraph) -> None:
    post = graph.add_post("a")
    with facebook(graph) as connector:
        cursor = connector.fetch(None).cursor
    for i in range(40):
        graph.add_comment(f"nouveau {i}", post=post)
    graph.inject(r"/comments$", rate_limit_error(32))
    with facebook(graph) as connector:
        result = connector.fetch(cursor)
    assert not result.complete and result.retry_at is not None
    assert len(result.mentions) == 25 and result.cursor == cursor  # re-read next time


def test_an_expired_token_is_an_auth_failure(graph: FakeGraph) -> None:
    graph.expire_token()
    with facebook(graph) as connector, pytest.raises(AuthError, match="expired"):
        connector.fetch(None)


def test_a_missing_permission_says_what_to_grant(graph: FakeGraph) -> None:
    graph.missing_permission = "pages_read_engagement"
    with facebook(graph) as connector:
        assert connector.verify() == graph.page_username
        with pytest.raises(PermissionMissing, match="pages_manage_engagement"):
            connector.fetch(None)


def test_hide_unhide_and_delete(graph: FakeGraph) -> None:
    comment = graph.add_comment("insulte")
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
        connector.hide(mention.raw)
        assert graph.objects[comment["id"]]["is_hidden"] is True
        connector.hide(mention.raw, hidden=False)
        assert graph.objects[comment["id"]]["is_hidden"] is False
        connector.delete(mention.raw)
    assert comment["id"] in graph.deleted


def test_an_answer_to_a_reply_goes_under_its_top_comment(graph: FakeGraph) -> None:
    top = graph.add_comment("Colis perdu")
    reply = graph.add_comment("Toujours rien", parent=top)
    with facebook(graph) as connector:
        mention = next(m for m in connector.fetch(None).mentions if m.external_id == reply["id"])
        posted = connector.post_reply(answer(mention))
        found = connector.find_reply(answer(mention), posted_after=since())
    assert graph.posted[0]["parent_id"] == top["id"]
    assert found is not None and found.external_id == posted.external_id


def test_find_reply_on_a_deleted_comment_is_surely_absent(graph: FakeGraph) -> None:
    comment = graph.add_comment("bientôt supprimé")
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
        graph.delete(comment["id"])
        assert connector.find_reply(answer(mention), posted_after=since()) is None


def test_idempotency_key_is_ignored_posting_twice_posts_twice(graph: FakeGraph) -> None:
    graph.add_comment("bonjour")
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
        connector.post_reply(answer(mention))
        connector.post_reply(answer(mention))
    assert len(graph.posted) == 2  # which is why the outbox asks find_reply first


def test_a_visitor_post_on_the_page_is_a_mention(graph: FakeGraph) -> None:
    post = graph.add_post("Votre magasin de Lyon est fermé ?", visitor="Jean Visiteur")
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
    assert mention.external_id == post["id"] and mention.in_reply_to is None
    assert mention.author.name == "Jean Visiteur"


def test_a_wrong_appsecret_proof_is_refused(graph: FakeGraph) -> None:
    connector = FacebookConnector(
        credentials={"page_id": graph.page_id, "access_token": graph.token, "app_secret": "x"},
        base_url=graph.base_url,
    )
    with connector, pytest.raises(PermanentError, match="appsecret_proof"):
        connector.verify()


def test_a_5xx_on_read_is_transient_and_a_stalled_hide_is_unknown(graph: FakeGraph) -> None:
    from connectors import OutcomeUnknown, TransientError

    graph.add_comment("x")
    graph.inject(r"/feed$", FakeResponse.json({"error": {"code": 2, "message": "down"}}, 500))
    with facebook(graph) as connector:
        with pytest.raises(TransientError):
            connector.fetch(None)
        mention = connector.fetch(None).mentions[0]
        graph.inject(mention.external_id + "$", graph_error(1, "unknown"), method="POST")
        with pytest.raises(OutcomeUnknown):
            connector.hide(mention.raw)


# -- Instagram --------------------------------------------------------------------------------


def test_instagram_comments_replies_across_pages_and_tags(graph: FakeGraph) -> None:
    top = graph.add_ig_comment("Où est ma commande ?")
    replies = [
        graph.add_ig_comment(f"+1 ({i})", parent=top, username=f"u{i}", user_id=str(i))
        for i in range(5)
    ]
    tag = graph.add_tag("Déçu par @acme.fr", username="paul")
    with instagram(graph) as connector:
        result = connector.fetch(None)
    by_id = {m.external_id: m for m in result.mentions}
    assert set(by_id) == {top["id"], tag["id"], *(r["id"] for r in replies)}
    assert all(by_id[r["id"]].thread_id == top["id"] for r in replies)
    assert by_id[replies[4]["id"]].in_reply_to == top["id"]
    assert by_id[tag["id"]].raw["kind"] == "tag" and by_id[tag["id"]].author.handle == "paul"
    assert graph.requests_to(r"/replies$")  # the nested first page, then the rest


def test_instagram_reply_mentions_the_author_and_is_found_again(graph: FakeGraph) -> None:
    top = graph.add_ig_comment("Toujours rien")
    reply = graph.add_ig_comment("pareil", parent=top, username="lea", user_id="5")
    with instagram(graph) as connector:
        mention = next(m for m in connector.fetch(None).mentions if m.external_id == reply["id"])
        posted = connector.post_reply(answer(mention, "Nous regardons."))
        again = connector.fetch(None)
        found = connector.find_reply(answer(mention, "Nous regardons."), posted_after=since())
    assert graph.posted[0]["text"] == "@lea Nous regardons."
    assert graph.posted[0]["parent_id"] == top["id"]
    assert found is not None and found.external_id == posted.external_id
    assert posted.external_id not in {m.external_id for m in again.mentions}


def test_instagram_hide_and_tags_cannot_be_hidden(graph: FakeGraph) -> None:
    comment = graph.add_ig_comment("insulte")
    graph.add_tag()
    with instagram(graph) as connector:
        mentions = {m.raw["kind"]: m for m in connector.fetch(None).mentions}
        connector.hide(mentions["comment"].raw)
        assert graph.objects[comment["id"]]["hidden"] is True
        with pytest.raises(UnsupportedAction):
            connector.hide(mentions["tag"].raw)


def test_instagram_mention_in_a_comment_is_read_and_answered(graph: FakeGraph) -> None:
    media = graph.add_media("Photo de quelqu'un d'autre")
    media["owner"] = "other"
    comment = graph.add_ig_comment("@acme.fr vous voyez ça ?", media=media, username="zoe")
    with instagram(graph) as connector:
        mention = connector.fetch_mentioned(media["id"], comment["id"])
        assert mention.external_id == comment["id"] and mention.author.handle == "zoe"
        assert mention.raw["kind"] == "mentioned_comment"
        connector.post_reply(answer(mention))
    assert graph.posted[0]["media_id"] == media["id"]


def test_instagram_expired_token(graph: FakeGraph) -> None:
    graph.expire_token()
    with instagram(graph) as connector, pytest.raises(AuthError):
        connector.verify()


def test_unreadable_cursor_starts_over(graph: FakeGraph) -> None:
    graph.add_comment("x")
    with facebook(graph) as connector:
        result = connector.fetch("garbage")
    assert result.mentions and json.loads(result.cursor or "{}")["since"]


def test_instagram_mention_in_a_caption_is_read_and_cannot_be_hidden(graph: FakeGraph) -> None:
    media = graph.add_media("Super soirée avec @acme.fr")
    media.update(owner="other", username="zoe")
    with instagram(graph) as connector:
        mention = connector.fetch_mentioned(media["id"])
        assert mention.text == "Super soirée avec @acme.fr" and mention.author.handle == "zoe"
        assert mention.raw["kind"] == "tag" and mention.url == media["permalink"]
        with pytest.raises(UnsupportedAction):
            connector.hide(mention.raw)
        connector.post_reply(answer(mention, "Merci Zoé !"))
    assert graph.posted[0]["media_id"] == media["id"]
    assert graph.posted[0]["text"] == "@zoe Merci Zoé !"


def test_find_reply_that_cannot_read_every_reply_cannot_tell(graph: FakeGraph) -> None:
    from connectors import TransientError
    from connectors.meta import MAX_CHECK_PAGES

    top = graph.add_ig_comment("Concours !")
    for i in range(50 * MAX_CHECK_PAGES + 1):
        graph.add_ig_comment(f"moi {i}", parent=top, username=f"fan{i}", user_id=str(i))
    with instagram(graph) as connector:
        mention = next(m for m in connector.fetch(None).mentions if m.external_id == top["id"])
        with pytest.raises(TransientError, match="pages"):
            connector.find_reply(answer(mention), posted_after=since())
