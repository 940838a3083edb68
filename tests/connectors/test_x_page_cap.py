"""X: a pass that reaches its page cap resumes below it; the cursor never jumps over mentions."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

import pytest
import responses

from connectors.x import XConnector
from tests.connectors.fakes import FakeResponse, FakeX
from tests.connectors.polling import MentionStore

MENTIONS = r"/2/users/\d+/mentions"


@pytest.fixture
def fake() -> Iterator[FakeX]:
    server = FakeX()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        server.install_responses(rsps)
        yield server


def connector(fake: FakeX) -> XConnector:
    return XConnector(
        credentials={"bearer_token": fake.bearer_token, "user_id": fake.user_id},
        options={"page_size": 5, "max_pages": 2},
    )


def test_a_capped_pass_resumes_below_the_cap_and_loses_nothing(fake: FakeX) -> None:
    fake.add_mention("déjà vu")
    store, returned = MentionStore(), Counter()
    store.poll(connector(fake))
    for i in range(23):
        fake.add_mention(f"rafale {i}")
    result = store.poll(connector(fake))
    assert not result.complete and len(result.mentions) == 10
    assert json.loads(store.cursor or "")["token"]  # where to read on, not the newest id
    fake.add_mention("arrivée pendant le rattrapage")
    for _ in range(4):
        result = store.poll(connector(fake))
        returned.update(m.external_id for m in result.mentions)
    assert store.texts == {"déjà vu", "arrivée pendant le rattrapage"} | {
        f"rafale {i}" for i in range(23)
    }
    assert store.cursor == fake.tweets[-1]["id"] and result.complete
    assert max(returned.values()) == 1


def test_a_refused_resume_token_reads_the_range_again(fake: FakeX) -> None:
    fake.add_mention("déjà vu")
    store = MentionStore()
    store.poll(connector(fake))
    for i in range(12):
        fake.add_mention(f"rafale {i}")
    store.poll(connector(fake))
    problem = {"title": "Invalid Request", "detail": "invalid pagination_token", "status": 400}
    fake.inject(MENTIONS, FakeResponse.json(problem, 400))
    for _ in range(3):
        store.poll(connector(fake))
    assert store.texts == {"déjà vu"} | {f"rafale {i}" for i in range(12)}
