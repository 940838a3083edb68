"""Ingest's authors read as plain rows: a known author brought up to date in one statement."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import event
from sqlmodel import select

from app.models import Author, Person
from app.services import ingest, queue_changes
from tests.app.cluster_samples import fetched
from tests.factories import account_for, make_brand


def test_a_known_author_is_brought_up_to_date_and_keeps_its_person(session):
    brand = make_brand(session)
    account = account_for(session, brand.id, "mastodon")
    first = fetched("Bonjour", author="marie")
    ingest.store_mentions(session=session, account=account, items=[first])
    session.commit()
    (author,) = session.exec(select(Author)).all()
    person_id, author_id = author.person_id, author.id
    before = queue_changes.counters(session, [brand.id])

    renamed = replace(
        fetched("Re-bonjour", author="marie"),
        author=replace(first.author, handle="marie_d", name="Marie D.", followers=321),
    )
    result = ingest.store_mentions(session=session, account=account, items=[renamed])
    session.commit()
    session.expire_all()

    assert result.new == [renamed.external_id]
    (author,) = session.exec(select(Author)).all()
    assert (author.id, author.person_id) == (author_id, person_id)
    assert (author.handle, author.handle_key, author.name, author.followers) == (
        "marie_d",
        "maried",
        "Marie D.",
        321,
    )
    assert len(session.exec(select(Person)).all()) == 1
    # The author's row is shown in the queue: its brand's counter moved.
    assert queue_changes.counters(session, [brand.id])[0][1] > before[0][1]


def test_an_unchanged_author_is_not_written(session, engine):
    brand = make_brand(session)
    account = account_for(session, brand.id, "mastodon")
    ingest.store_mentions(session=session, account=account, items=[fetched("Un", author="paul")])
    session.commit()
    seen: list[str] = []

    def statement(_conn, _cursor, sql, *_args) -> None:
        seen.append(sql)

    event.listen(engine, "before_cursor_execute", statement)
    try:
        again = fetched("Deux", author="paul")
        ingest.store_mentions(session=session, account=account, items=[again])
        session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", statement)
    assert not [s for s in seen if s.lstrip().upper().startswith("UPDATE") and "author" in s]
