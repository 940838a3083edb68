"""A push first runs without the savepoints that isolate a failing triage step (PostgreSQL);
a failure anywhere rolls it all back and the guarded run gives the same outcome as before."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event
from sqlmodel import select

from app.models import Author, Brand, Mention, Person, Triage
from app.services import clusters, content, grouping, live_playbooks, savepoints, spikes
from tests.factories import make_rail_push_token

pytestmark = pytest.mark.db


@pytest.fixture
def token(session):
    return make_rail_push_token(session)


def _push(client, token, payload):
    return client.post(
        "/api/v1/mentions",
        data=json.dumps(payload),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


def _mention(n: int, author: str = "a-1") -> dict:
    return {
        "id": f"m-{n}",
        "text": f"Mon train est encore en retard, remboursez-moi ({n})",
        "author": {"id": author, "handle": f"client_{author}"},
        "created_at": "2026-11-23T10:00:00Z",
        "thread_id": f"t-{n}",
        "lang": "fr",
    }


@pytest.mark.parametrize("step", ["storm watch", "clustering"])
def test_a_step_that_fails_in_one_shot_is_absorbed_by_the_guarded_run(
    client, session, engine, token, monkeypatch, step
):
    owner, name = (spikes, "_observe") if step == "storm watch" else (clusters, "_assign")
    calls = {"one_shot": 0, "guarded": 0}
    real = getattr(owner, name)

    def broken(session_, *args, **kwargs):
        calls["guarded" if savepoints.absorbs(session_) else "one_shot"] += 1
        session_.execute(select(Author.id).limit(1))  # some work done first
        raise RuntimeError(f"{step} broke")

    monkeypatch.setattr(owner, name, broken)
    response = _push(client, token, [_mention(1), _mention(2, "a-2")])
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.get_json()["accepted"] == 2
    # Tried once without savepoints (PostgreSQL), then once guarded, which absorbed it.
    assert calls == {
        "one_shot": 1 if engine.dialect.name == "postgresql" else 0,
        "guarded": 1,
    }
    monkeypatch.setattr(owner, name, real)
    mentions = session.exec(select(Mention)).all()
    assert sorted(m.external_id for m in mentions) == ["m-1", "m-2"]
    assert all(m.state == "triaged" and m.case_id is not None for m in mentions)
    # Exactly one triage each, one author and one person each: the first attempt left nothing.
    assert sorted(session.exec(select(Triage.mention_id)).all()) == sorted(m.id for m in mentions)
    assert len(session.exec(select(Author)).all()) == 2
    assert len(session.exec(select(Person)).all()) == 2


def test_a_single_push_whose_triage_fails_is_stored_untriaged(
    client, session, engine, token, monkeypatch
):
    def broken(*_args, **_kwargs):
        raise RuntimeError("grouping broke")

    monkeypatch.setattr(grouping.BrandBatch, "run", broken)
    response = _push(client, token, _mention(1))
    assert response.status_code == 202
    assert response.get_json()["duplicate"] is False
    (mention,) = session.exec(select(Mention)).all()
    # As before the one-shot attempt: stored, counted once, left for the sweeper.
    assert (mention.state, mention.triage_attempts) == ("new", 1)
    assert not session.exec(select(Triage)).all()


def test_a_batch_reads_neither_the_playbook_text_nor_the_brand_twice(
    client, session, engine, token
):
    assert _push(client, token, _mention(1)).status_code == 202  # compiled here
    seen: list[str] = []

    def statement(_conn, _cursor, sql, *_args) -> None:
        seen.append(" ".join(sql.split()))

    event.listen(engine, "before_cursor_execute", statement)
    try:
        assert _push(client, token, [_mention(2), _mention(3, "a-3")]).status_code == 202
    finally:
        event.remove(engine, "before_cursor_execute", statement)
    assert not [s for s in seen if "playbook.source" in s], seen
    assert len([s for s in seen if s.startswith("SELECT brand.")]) == 1, seen
    # Authors read once, by storing (not again by grouping).
    assert len([s for s in seen if s.startswith("SELECT author.")]) == 1, seen


def test_the_live_playbook_engine_is_found_without_its_text(session, token):
    brand = session.exec(select(Brand)).one()
    published = content.published_playbook(session=session, brand_id=brand.id)
    assert published is not None
    row, engine = published
    read_brand, live = live_playbooks.brand_and_playbook(session=session, brand_id=brand.id)
    assert read_brand.id == brand.id and live is not None and live.id == row.id
    assert live_playbooks.engine_for(session=session, playbook=live) is engine
