"""Two writers storing the same mention at once: it is stored once, nothing is lost."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app.models import Author, ConnectorAccount, Mention, Person
from app.services import ingest
from connectors import AuthorInfo, FetchedMention

pytestmark = pytest.mark.db


def _mention(external_id: str) -> FetchedMention:
    return FetchedMention(
        external_id=external_id,
        text="mon colis ?",
        author=AuthorInfo(external_id="a-1", handle="alice"),
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
