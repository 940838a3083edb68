"""Two writers storing the same mention at once: it is stored once, nothing is lost."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app.models import Author, ConnectorAccount, Mention, Person, Triage
from app.services import grouping, ingest, triage
from connectors import AuthorInfo, FetchedMention

pytestmark = pytest.mark.db


def _mention(external_id: str, author: str = "a-1") -> FetchedMention:
    return FetchedMention(
        external_id=external_id,
        text="mon colis ?",
        author=AuthorInfo(external_id=author, handle=f"alice-{author}"),
        posted_at=datetime(2026, 11, 1, tzinfo=UTC),
        url=None,
        lang="fr",
        channel="mastodon",
    )


def test_a_racing_duplicate_falls_back_row_by_row(engine, session, account):
    first = Session(engine, expire_on_commit=False)
    acc_first = first.get(ConnectorAccount, account.id)
    result_first = ingest.store_mentions(
        session=first, account=acc_first, items=[_mention("m-1"), _mention("m-2")]
    )
    assert len(result_first.new) == 2  # written, not yet committed
    outcome = {}

    def second_writer():
        with Session(engine, expire_on_commit=False) as second:
            acc = second.get(ConnectorAccount, account.id)
            outcome["result"] = ingest.store_mentions(
                session=second, account=acc, items=[_mention("m-2"), _mention("m-3")]
            )
            second.commit()

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(timeout=1)  # the second writer now waits on the first one's rows or lock
    first.commit()
    first.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert outcome["result"].new == ["m-3"] and outcome["result"].duplicates == 1
    ids = sorted(session.exec(select(Mention.external_id)).all())
    assert ids == ["m-1", "m-2", "m-3"]
    # Both met the same new author: one author, one person (the loser's person is not left).
    author = session.exec(select(Author)).one()
    assert session.exec(select(Person.id)).all() == [author.person_id]
    assert {m.author_id for m in session.exec(select(Mention)).all()} == {author.id}


def _deferred(
    engine, account, ids: list[str]
) -> tuple[Session, ConnectorAccount, ingest.StoreResult]:
    """A push's transaction that has built its rows (ids reserved), not inserted them yet."""
    first = Session(engine, expire_on_commit=False)
    acc = first.get(ConnectorAccount, account.id)
    result = ingest.store_mentions(
        session=first, account=acc, items=[_mention(i) for i in ids], defer=True
    )
    if not result.deferred:
        first.close()
        pytest.skip("rows are built before their insert on PostgreSQL only")
    assert result.new == ids
    return first, acc, result


def test_a_push_stored_first_by_another_writer_is_a_duplicate(engine, session, account):
    first, acc, result = _deferred(engine, account, ["m-1", "m-2"])
    with Session(engine) as second:  # a retry of m-2, answered before the first one
        other = second.get(ConnectorAccount, account.id)
        ingest.store_mentions(session=second, account=other, items=[_mention("m-2", "a-2")])
        second.commit()
    placed = triage.triage_stored(
        session=first, account_id=acc.id, external_ids=result.new, stored=result.rows, insert=True
    )
    first.commit()
    first.close()
    assert set(placed) == {"m-1"}  # m-2 is answered as a duplicate
    rows = {m.external_id: m for m in session.exec(select(Mention)).all()}
    assert sorted(rows) == ["m-1", "m-2"]
    assert rows["m-1"].state == "triaged" and rows["m-1"].case_id == placed["m-1"][1]
    assert rows["m-2"].state == "new"  # the other writer's, left to its own triage
    assert session.exec(select(Triage.mention_id)).all() == [rows["m-1"].id]


def test_a_push_whose_triage_fails_is_still_stored(engine, session, account, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("grouping broke")

    monkeypatch.setattr(grouping.BrandBatch, "run", broken)
    first, acc, result = _deferred(engine, account, ["m-1", "m-2"])
    placed = triage.triage_stored(
        session=first, account_id=acc.id, external_ids=result.new, stored=result.rows, insert=True
    )
    first.commit()
    first.close()
    assert {e: case for e, (_, case) in placed.items()} == {"m-1": None, "m-2": None}
    mentions = session.exec(select(Mention)).all()
    # Stored untriaged, for the sweeper to try again: nothing is lost.
    assert sorted((m.external_id, m.state, m.triage_attempts) for m in mentions) == [
        ("m-1", "new", 1),
        ("m-2", "new", 1),
    ]
    assert not session.exec(select(Triage)).all()
