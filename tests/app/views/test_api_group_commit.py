"""Single pushes that overlap are stored and triaged together (group commit), and each
request still gets its own answer: its mention, its case, and `duplicate` for a second push
of the same id."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from app.models import Mention
from app.views import api
from tests.factories import make_brand, make_webhook_account

pytestmark = pytest.mark.db


@pytest.fixture
def token(session):
    return make_webhook_account(session, make_brand(session, slug="shop", name="Shop"))[1]


def _payload(external_id: str, n: int) -> dict:
    return {
        "id": external_id,
        "text": f"Bonjour, mon colis {n} n'est jamais arrivé.",
        "author": {"id": f"c-{n}", "handle": f"client{n}"},
        "created_at": "2026-11-23T10:00:00Z",
        "channel": "web_form",
        "thread_id": f"t-{n}",
        "lang": "fr",
    }


def test_overlapping_single_pushes_go_in_together_and_each_gets_its_answer(
    app, session, token, monkeypatch
):
    real = api._store_and_triage
    sizes: list[int] = []
    first = threading.Event()

    def held_first(account, items):
        sizes.append(len(items))
        if len(sizes) == 1:  # the first push holds until the others have queued behind it
            first.set()
            for _ in range(500):
                if sum(len(q) for q in api.SINGLES._queues.values()) >= 5:
                    break
                threading.Event().wait(0.01)
        return real(account, items)

    monkeypatch.setattr(api, "_store_and_triage", held_first)
    # The first push, then three distinct ids and the same id twice, while it is stored.
    bodies = [_payload("p-0", 0)] + [_payload(f"p-{n}", n) for n in (1, 2, 3)]
    bodies += [_payload("same", 9), _payload("same", 9)]

    def push(body: dict) -> dict:
        with app.test_client() as client:
            response = client.post(
                "/api/v1/mentions",
                data=json.dumps(body),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
        assert response.status_code == 202, response.text
        return response.get_json()

    with ThreadPoolExecutor(6) as pool:
        lead = pool.submit(push, bodies[0])
        assert first.wait(10)
        others = [pool.submit(push, body) for body in bodies[1:]]
        answers = [lead.result(30)] + [f.result(30) for f in others]

    assert sizes == [1, 5]  # the lone first push, then the five that queued: one batch
    stored = {m.external_id: m for m in session.exec(select(Mention)).all()}
    assert len(stored) == 5 and all(m.state == "triaged" for m in stored.values())
    for body, answer in zip(bodies[:4], answers[:4], strict=True):
        mention = stored[body["id"]]
        assert answer == {"id": mention.id, "case_id": mention.case_id, "duplicate": False}
    same = answers[4:]
    assert sorted(a["duplicate"] for a in same) == [False, True]  # stored once
    assert {a["id"] for a in same} == {stored["same"].id}
