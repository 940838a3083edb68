"""Each brand's canned-replies counter and the replies kept under it (app/services/
canned_changes.py): every writer bumps it once per transaction (a new one too: the guard, tests/
canned_change_guard.py), a send's usage count and a rollback do not; concurrent writers on
PostgreSQL lose no bump; a reply edited elsewhere (another engine, raw SQL) is never served stale.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text, update
from sqlmodel import Session, select

from app.models import Brand, CannedReply, User
from app.services import canned_changes, content, sector_templates
from tests import canned_change_guard as guard_module
from tests.factories import make_brand, make_canned, make_user

pytestmark = pytest.mark.db


def _n(session: Session, brand: Brand) -> int:
    return canned_changes.counter(session, brand.id)  # type: ignore[arg-type]


def _upsert(session: Session, brand: Brand, key: str, body: str, **extra: object) -> CannedReply:
    values: dict = dict(title="Excuses", scenarios=["retard"], channels=[], status="draft")
    values.update(extra)
    return content.upsert_canned_reply(
        session=session,
        brand=brand,
        key=key,
        language="fr",
        body=body,
        actor=None,
        **values,  # type: ignore[arg-type]
    )


@pytest.fixture
def rail(session) -> Brand:
    return make_brand(session, slug="demo-rail", name="Rail Azur")


def test_every_writer_bumps_once_per_transaction(session, rail):
    shop = make_brand(session, slug="demo-shop", name="Boutique")
    seen = [_n(session, rail)]
    shop_start = _n(session, shop)

    def bumped() -> None:
        session.commit()
        now = _n(session, rail)
        assert now == seen[-1] + 1 if seen[-1] else now > 0, seen
        seen.append(now)

    reply = _upsert(session, rail, "retard_excuses", "Bonjour, désolés.")  # created
    _upsert(session, rail, "autre", "Bonjour.")  # a second write: still one bump
    bumped()
    _upsert(session, rail, "retard_excuses", "Bonjour, vraiment désolés.")  # edited
    bumped()
    content.approve_canned_reply(session=session, reply=reply, actor=None, blocking=[])
    bumped()
    content.install_shipped_content(session=session, brand=rail)  # the shipped library
    bumped()
    sector_templates.install_replies(
        session=session,
        brand=rail,
        key="bank",
        picked=[r.key for r in sector_templates.starter_replies("bank")][:2],
        actor=None,
    )
    bumped()
    session.delete(reply)
    bumped()
    stmt = update(CannedReply).where(CannedReply.brand_id == rail.id).values(title="Titre")
    session.exec(canned_changes.declare(stmt, [rail.id]))  # type: ignore[call-overload]
    bumped()
    assert _n(session, shop) == shop_start  # another brand's counter stays


def test_usage_counts_unchanged_saves_and_rollbacks_do_not_bump(session, rail):
    reply = make_canned(session, rail)
    start = _n(session, rail)
    reply.usage_count += 1  # every send that used it: nothing kept shows it
    session.add(reply)
    session.commit()
    _upsert(session, rail, reply.key, reply.body, title=reply.title, status=reply.status)
    session.commit()  # the same text saved again: no new version, no bump
    assert _n(session, rail) == start
    _upsert(session, rail, reply.key, "Autre texte")
    session.flush()
    session.rollback()
    session.commit()
    assert _n(session, rail) == start


def test_a_rolled_back_savepoint_keeps_the_transactions_bump(session, rail):
    start = _n(session, rail)
    _upsert(session, rail, "avant", "Écrit avant le point de sauvegarde.")
    session.flush()
    with session.begin_nested() as nested:
        _upsert(session, rail, "dedans", "Annulé.")
        session.flush()
        nested.rollback()
    session.commit()
    assert _n(session, rail) != start
    assert session.exec(select(CannedReply.key)).all() == ["avant"]


def test_a_statement_naming_no_brand_bumps_every_brand(session, rail):
    shop = make_brand(session, slug="demo-shop", name="Boutique")
    make_canned(session, shop)
    before = (_n(session, rail), _n(session, shop))
    session.exec(update(CannedReply).values(title="Titre"))  # type: ignore[call-overload]
    session.commit()
    after = (_n(session, rail), _n(session, shop))
    assert after[0] != before[0] and after[1] != before[1]


def test_the_guard_fails_a_raw_write_without_a_bump(
    session, rail, monkeypatch, canned_change_guard
):
    reply = make_canned(session, rail)
    monkeypatch.setattr(guard_module, "issuer", lambda: "app/services/elsewhere.py:1 in writer")
    ids = {"id": reply.id}
    session.execute(text("UPDATE canned_reply SET body = 'x' WHERE id = :id"), ids)
    session.execute(text("UPDATE canned_reply SET usage_count = 3 WHERE id = :id"), ids)
    session.commit()
    assert canned_change_guard == ["app/services/elsewhere.py:1 in writer"]  # the body only
    canned_change_guard.clear()
    session.execute(text("UPDATE canned_reply SET body = 'y' WHERE id = :id"), {"id": reply.id})
    canned_changes.note(session, rail.id)  # type: ignore[arg-type]
    session.commit()
    assert canned_change_guard == []


def test_replies_edited_elsewhere_are_never_served_stale(session, rail, migrated):
    reply = make_canned(session, rail, body="Première version.")
    kept = canned_changes.brand_replies(session, rail.id)  # type: ignore[arg-type]
    session.commit()
    assert [r.body for r in kept] == ["Première version."]
    assert canned_changes.brand_replies(session, rail.id) is kept  # type: ignore[arg-type]
    session.commit()
    # Another process: its own engine and connections, the ORM writer.
    other = create_engine(migrated)
    try:
        with Session(other) as elsewhere:
            brand = elsewhere.get(Brand, rail.id)
            assert brand is not None
            _upsert(elsewhere, brand, reply.key, "Deuxième version.", title=reply.title)
            elsewhere.commit()
        again = canned_changes.brand_replies(session, rail.id)  # type: ignore[arg-type]
        session.commit()
        assert [r.body for r in again] == ["Deuxième version."]
        # Raw SQL that bumps the counter itself is seen as well.
        with other.begin() as conn:
            conn.execute(
                text("UPDATE canned_reply SET body = 'Troisième.' WHERE id = :id"), {"id": reply.id}
            )
            conn.execute(
                text("UPDATE canned_reply_change SET n = n + 1 WHERE brand_id = :b"), {"b": rail.id}
            )
        assert [r.body for r in canned_changes.brand_replies(session, rail.id)] == ["Troisième."]  # type: ignore[arg-type]
        session.commit()
    finally:
        other.dispose()


def test_a_transaction_reads_its_own_unsaved_changes(session, rail):
    make_canned(session, rail, body="Avant.")
    canned_changes.brand_replies(session, rail.id)  # type: ignore[arg-type]
    _upsert(session, rail, "retard_excuses", "Pendant.")
    session.flush()
    bodies = {r.body for r in canned_changes.brand_replies(session, rail.id)}  # type: ignore[arg-type]
    assert bodies == {"Pendant."}
    session.rollback()
    bodies = {r.body for r in canned_changes.brand_replies(session, rail.id)}  # type: ignore[arg-type]
    assert bodies == {"Avant."}


def test_concurrent_writers_lose_no_bump(engine, session, monkeypatch):
    """Real threads, each committing canned-reply edits of one brand, the first ones racing to
    create the brand's counter row."""
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrent upserts: PostgreSQL only (SQLite serialises its writers)")
    monkeypatch.setattr(canned_changes.secrets, "randbelow", lambda _n: 999)  # first row: 1000
    brand = make_brand(session, slug="demo-rail", name="Rail Azur")
    threads_n, rounds = 6, 8
    users = [make_user(session, brand, email=f"ed{i}@example.test") for i in range(threads_n)]
    session.commit()
    assert _n(session, brand) == 0
    session.commit()
    barrier = threading.Barrier(threads_n, timeout=30)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with Session(engine, expire_on_commit=False) as own:
                own_brand, actor = own.get(Brand, brand.id), own.get(User, users[n].id)
                assert own_brand is not None
                barrier.wait()
                for r in range(rounds):
                    content.upsert_canned_reply(
                        session=own,
                        brand=own_brand,
                        key=f"cle_{n}",
                        language="fr",
                        title="Titre",
                        body=f"Version {r} du rédacteur {n}.",
                        scenarios=[],
                        channels=[],
                        status="draft",
                        actor=actor,
                    )
                    own.commit()
        except BaseException as exc:  # reported below: a thread's failure fails the test
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer is stuck"
    assert not errors, errors
    assert _n(session, brand) == 1000 + threads_n * rounds - 1
