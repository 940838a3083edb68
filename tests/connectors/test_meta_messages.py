"""Meta private messages against the fake Graph API: Messenger and Instagram conversations,
the Send API with its 24-hour window, private replies to comments, reconciliation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import respx

from connectors import OutcomeUnknown, OutgoingReply, PermanentError, UnsupportedAction
from connectors.meta_facebook import FacebookConnector
from connectors.meta_instagram import InstagramConnector
from connectors.meta_messages import messaging_window, private_reply_state
from tests.connectors.fake_core import COMMIT_THEN_STALL
from tests.connectors.fake_graph import FakeGraph


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


def facebook(graph: FakeGraph, **options: object) -> FacebookConnector:
    return FacebookConnector(
        credentials={"page_id": graph.page_id, "access_token": graph.token},
        base_url=graph.base_url,
        options={"direct_messages": True, **options},
    )


def instagram(graph: FakeGraph, **options: object) -> InstagramConnector:
    return InstagramConnector(
        credentials={"ig_user_id": graph.ig_user_id, "access_token": graph.token},
        base_url=graph.base_url,
        account_handle=graph.ig_username,
        options={"direct_messages": True, **options},
    )


def answer(mention, text: str = "Bonjour, nous regardons.", private: bool = False):  # type: ignore[no-untyped-def]
    return OutgoingReply(
        text=text,
        in_reply_to_external_id=mention.external_id,
        in_reply_to_raw=mention.raw,
        author_handle=mention.author.handle,
        idempotency_key="k",
        private=private,
    )


def since() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=5)


def test_messenger_messages_are_polled_as_one_thread_per_person(graph: FakeGraph) -> None:
    first = graph.add_message("Bonjour, ma commande n'est pas arrivée")
    second = graph.add_message("Numéro CB-1042")
    other = graph.add_message("Vous livrez en Corse ?", user_id="7002", name="Paul Martin")
    with facebook(graph) as connector:
        result = connector.fetch(None)
    messages = {m.external_id: m for m in result.mentions if m.channel == "messenger"}
    assert set(messages) == {first["id"], second["id"], other["id"]}
    assert messages[first["id"]].thread_id == messages[second["id"]].thread_id == "dm:7001"
    assert messages[other["id"]].thread_id == "dm:7002"
    assert messages[first["id"]].visibility == "direct"
    assert messages[first["id"]].author.name == "Marie Dupont"


def test_direct_messages_are_not_polled_unless_the_account_reads_them(graph: FakeGraph) -> None:
    graph.add_message("Bonjour")
    with facebook(graph, direct_messages=False) as connector:
        assert connector.fetch(None).mentions == []
    assert not graph.requests_to("conversations")


def test_webhook_message_and_polling_give_the_same_id_and_echoes_are_skipped(
    graph: FakeGraph,
) -> None:
    message = graph.add_message("Au secours")
    with facebook(graph) as connector:
        event = json.loads(graph.message_delivery(message))["entry"][0]["messaging"][0]
        from_hook = connector.message_from_webhook(event)
        echo = json.loads(graph.echo_delivery(message))["entry"][0]["messaging"][0]
        assert connector.message_from_webhook(echo) is None
        polled = connector.fetch(None).mentions
    assert from_hook is not None and [m.external_id for m in polled] == [from_hook.external_id]
    assert from_hook.thread_id == polled[0].thread_id


def test_an_answer_inside_the_window_goes_out_as_a_response_and_is_found_again(
    graph: FakeGraph,
) -> None:
    graph.add_message("Bonjour ?")
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
        posted = connector.post_reply(answer(mention))
        found = connector.find_reply(answer(mention), posted_after=since())
    assert found is not None and found.external_id == posted.external_id
    sent = graph.requests_to("messages", "POST")[0].form()
    assert sent["messaging_type"] == "RESPONSE"
    assert json.loads(sent["recipient"]) == {"id": "7001"}
    assert graph.messages_with("7001")[-1]["message"] == "Bonjour, nous regardons."


def test_outside_24_hours_an_answer_is_refused_unless_the_human_agent_tag_is_allowed(
    graph: FakeGraph,
) -> None:
    graph.add_message("Bonjour ?", ago=timedelta(hours=30))
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
        with pytest.raises(PermanentError, match="24 heures"):
            connector.post_reply(answer(mention))
    assert not graph.requests_to("messages", "POST")  # refused before any call
    with facebook(graph, human_agent_tag=True) as connector:
        connector.post_reply(answer(mention))
    sent = graph.requests_to("messages", "POST")[0].form()
    assert (sent["messaging_type"], sent["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")


def test_the_platform_refusing_the_window_is_a_permanent_error_not_a_permission(
    graph: FakeGraph,
) -> None:
    graph.add_message("Bonjour ?")
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
    stale = replace(
        answer(mention),
        in_reply_to_raw={**mention.raw, "timestamp": datetime.now(UTC).isoformat()},
    )
    graph.conversations[("facebook", "7001")]["messages"][0]["created_time"] = (
        "2020-01-01T00:00:00+0000"
    )
    with facebook(graph) as connector, pytest.raises(PermanentError, match=r"fenêtre|window"):
        connector.post_reply(stale)


def test_a_private_reply_to_a_comment_once_then_refused(graph: FakeGraph) -> None:
    comment = graph.add_comment("Je veux être remboursé")
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
        assert connector.find_reply(answer(mention, private=True), posted_after=since()) is None
        posted = connector.post_reply(answer(mention, "Écrivez-nous ici", private=True))
        found = connector.find_reply(
            answer(mention, "Écrivez-nous ici", private=True), posted_after=since()
        )
        with pytest.raises(PermanentError, match="déjà"):
            connector.post_reply(answer(mention, "Encore", private=True))
    assert found is not None and found.external_id == posted.external_id
    sent = graph.requests_to("messages", "POST")[0].form()
    assert json.loads(sent["recipient"]) == {"comment_id": comment["id"]}
    assert comment["private_reply"]


def test_a_private_reply_stalled_after_posting_is_found_not_sent_twice(graph: FakeGraph) -> None:
    graph.add_comment("Je veux être remboursé")
    graph.inject("/messages", COMMIT_THEN_STALL, method="POST")
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
        with pytest.raises(OutcomeUnknown):
            connector.post_reply(answer(mention, private=True))
        found = connector.find_reply(answer(mention, private=True), posted_after=since())
    assert found is not None and len(graph.sent_messages) == 1


def test_instagram_private_reply_and_dm_reconciled_through_the_conversation(
    graph: FakeGraph,
) -> None:
    graph.add_ig_comment("Toujours pas livré", user_id="17841405555555555")
    graph.add_message("Bonjour", platform="instagram", user_id="17841406666", name="zoe")
    graph.inject("/messages", COMMIT_THEN_STALL, method="POST", times=2)
    with instagram(graph) as connector:
        mentions = {m.channel: m for m in connector.fetch(None).mentions}
        for mention, private in ((mentions["instagram"], True), (mentions["instagram_dm"], False)):
            with pytest.raises(OutcomeUnknown):
                connector.post_reply(answer(mention, private=private))
            found = connector.find_reply(answer(mention, private=private), posted_after=since())
            assert found is not None
    assert mentions["instagram_dm"].thread_id == "dm:17841406666"
    assert len(graph.sent_messages) == 2


def test_a_message_cannot_be_hidden_or_deleted(graph: FakeGraph) -> None:
    graph.add_message("Bonjour")
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
        with pytest.raises(UnsupportedAction):
            connector.hide(mention.raw)
        with pytest.raises(UnsupportedAction):
            connector.delete(mention.raw)


def test_a_deleted_comment_is_seen_as_gone(graph: FakeGraph) -> None:
    comment = graph.add_comment("insulte")
    with facebook(graph) as connector:
        mention = connector.fetch(None).mentions[0]
        assert connector.comment_exists(mention.raw)
        connector.delete(mention.raw)
        assert not connector.comment_exists(mention.raw)
    assert comment["id"] in graph.deleted


def test_windows() -> None:
    now = datetime(2026, 1, 10, 12, tzinfo=UTC)
    assert messaging_window(now - timedelta(hours=2), now)[0] == "open"
    assert messaging_window(now - timedelta(hours=30), now)[0] == "closed"
    assert messaging_window(now - timedelta(hours=30), now, human_agent=True)[0] == "human_agent"
    assert messaging_window(now - timedelta(days=8), now, human_agent=True) == ("closed", None)
    assert private_reply_state({"kind": "comment"}, now - timedelta(days=6), now) == "ok"
    assert private_reply_state({"kind": "comment"}, now - timedelta(days=8), now) == "too_old"
    assert private_reply_state({"kind": "tag"}, now, now) == "not_a_comment"
