from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from connectors import OutgoingReply, PermanentError
from connectors.demo import DemoConnector, load_stream
from connectors.demo_stream import generate

START = 1_767_600_000  # a fixed "now" for the replay


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def demo(clock: Clock, **options: object) -> DemoConnector:
    return DemoConnector(credentials={}, options=options, clock=clock)


@pytest.mark.parametrize("brand", ["demo-rail", "demo-shop"])
def test_stream_is_rich_enough_for_a_demo(brand: str) -> None:
    stream = load_stream(brand)
    categories = Counter(line["label"]["category"] for line in stream)
    severities = Counter(line["label"]["severity"] for line in stream)
    assert len(stream) >= 250
    assert {
        "question",
        "eloge",
        "insulte",
        "menace",
        "detresse",
        "spam",
        "presse_juridique",
    } <= set(categories)
    assert set(severities) == {"S0", "S1", "S2", "S3", "S4"}
    assert {line["channel"] for line in stream} == {"x", "mastodon", "bluesky"}
    assert any(line["lang"] == "en" for line in stream)
    assert any(line["in_reply_to"] for line in stream)
    ids = {line["id"] for line in stream}
    assert all(line["in_reply_to"] in ids for line in stream if line["in_reply_to"])
    # the same person complaining on X and on Mastodon
    cross = [line for line in stream if line["label"].get("cross_channel")]
    people = Counter(line["person"] for line in cross)
    assert people and all(n == 2 for n in people.values())
    assert {line["channel"] for line in cross} == {"x", "mastodon"}


def test_both_streams_hold_over_500_mentions() -> None:
    assert len(load_stream("demo-rail")) + len(load_stream("demo-shop")) >= 500


def test_committed_streams_match_the_generator() -> None:
    built = generate.build_all()
    for slug, lines in built.items():
        committed = Path(generate.HERE, f"{slug}.jsonl").read_text("utf-8").splitlines()
        assert [json.loads(line) for line in committed] == lines, "run the generator again"


def test_replays_at_the_chosen_pace() -> None:
    clock = Clock(START)
    connector = demo(clock, brand="demo-rail", pace=6)
    first = connector.fetch(None)
    assert first.cursor == f"{START}:{len(first.mentions)}"
    clock.now += 600  # ten minutes at 6 a minute
    second = connector.fetch(first.cursor)
    assert 40 <= len(second.mentions) <= 80
    assert all(m.posted_at.timestamp() <= clock.now for m in second.mentions)
    ids = [m.external_id for m in first.mentions + second.mentions]
    assert len(ids) == len(set(ids))
    assert connector.fetch(second.cursor).mentions == []  # nothing new until time passes


def test_pace_zero_gives_everything_once_dated_in_the_past() -> None:
    clock = Clock(START)
    connector = demo(clock, brand="demo-shop", pace=0)
    result = connector.fetch(None)
    assert len(result.mentions) == len(load_stream("demo-shop"))
    assert result.complete
    assert max(m.posted_at.timestamp() for m in result.mentions) <= START
    clock.now += 86_400
    assert connector.fetch(result.cursor).mentions == []


def test_the_stream_loops_with_fresh_ids_and_a_batch_limit() -> None:
    clock = Clock(START)
    connector = demo(clock, brand="demo-shop", pace=600, max_batch=200)
    cursor = connector.fetch(None).cursor
    clock.now += 180  # 1,800 mentions at 600 a minute: the stream loops several times
    store: dict[str, object] = {}
    for _ in range(20):
        result = connector.fetch(cursor)
        assert len(result.mentions) <= 200
        for mention in result.mentions:
            assert mention.external_id not in store
            store[mention.external_id] = mention
        cursor = result.cursor
        if result.complete:
            break
    assert len(store) > 2 * len(load_stream("demo-shop"))
    texts = Counter(m.text for m in store.values())  # type: ignore[attr-defined]
    assert max(texts.values()) >= 2  # loops replay the same texts under new ids


def test_replies_and_threads_point_to_mentions_of_the_same_loop() -> None:
    connector = demo(Clock(START), brand="demo-rail", pace=0)
    mentions = {m.external_id: m for m in connector.fetch(None).mentions}
    replies = [m for m in mentions.values() if m.in_reply_to]
    assert replies and all(m.in_reply_to in mentions for m in replies)
    assert all(m.thread_id in mentions for m in replies)
    same_person = [m for m in mentions.values() if m.raw["label"].get("cross_channel")]
    assert {m.channel for m in same_person} == {"x", "mastodon"}


def test_replies_are_recorded_once_per_key(tmp_path: Path) -> None:
    log = tmp_path / "replies.jsonl"
    connector = demo(Clock(START), brand="demo-rail", pace=0, reply_log=str(log))
    mention = next(m for m in connector.fetch(None).mentions if m.channel == "x")
    reply = OutgoingReply(
        text="Bonjour, nous sommes désolés pour ce retard.",
        in_reply_to_external_id=mention.external_id,
        in_reply_to_raw=mention.raw,
        author_handle=mention.author.handle,
        idempotency_key="k-1",
    )
    first, again = connector.post_reply(reply), connector.post_reply(reply)
    assert first.external_id == again.external_id
    assert len(log.read_text().splitlines()) == 1
    too_long = OutgoingReply(**{**reply.__dict__, "text": "x" * 600, "idempotency_key": "k-2"})
    with pytest.raises(PermanentError):
        connector.post_reply(too_long)
    connector.hide(mention.raw)
    assert connector.verify() == "Ferlis_Info"


@pytest.mark.parametrize("brand", ["demo-rail", "demo-shop"])
def test_the_demo_shows_every_channel_with_private_conversations(brand: str) -> None:
    mentions = demo(Clock(START), brand=brand, pace=0).fetch(None).mentions
    channels = Counter(m.channel for m in mentions)
    assert {"facebook", "instagram", "youtube", "messenger", "instagram_dm"} <= set(channels)
    assert {"x", "mastodon", "bluesky"} <= set(channels)
    dms = [m for m in mentions if m.channel in ("messenger", "instagram_dm")]
    assert all(m.visibility == "direct" and not m.text.startswith("@") for m in dms)
    assert {m.lang for m in dms} == {"fr", "en"}
    assert all(m.raw["kind"] == "message" for m in dms)
    # A follow-up stays in its conversation, on the same channel, from the same person.
    by_id = {m.external_id: m for m in mentions}
    follow_ups = [
        m for m in mentions if m.in_reply_to and m.channel in ("messenger", "instagram_dm")
    ]
    assert follow_ups
    for m in follow_ups:
        first = by_id[m.in_reply_to]  # type: ignore[index]
        assert (first.channel, first.thread_id, first.author.external_id) == (
            m.channel,
            m.thread_id,
            m.author.external_id,
        )
