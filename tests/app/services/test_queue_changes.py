"""Each brand's change counter (app/services/queue_changes.py): one more per committed
transaction that changed what the brand's queue shows, once however many writes it made (an
ingest batch included), none for a case lock or a rollback; concurrent writers on PostgreSQL
lose no bump and never deadlock; app code that names no brand fails its test."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from app.models import Brand, Case, User
from app.services import case_locks, claims, queue_changes
from tests.factories import make_brand, make_case, make_rail_push_token, make_user
from tests.queue_change_guard import APP_DIR

pytestmark = pytest.mark.db


def _counter(session: Session, brand: Brand) -> int:
    return dict(queue_changes.counters(session, [brand.id]))[brand.id]  # type: ignore[index]


@pytest.fixture
def rail(session) -> Brand:
    return make_brand(session, slug="rail", name="Rail Azur")


def test_one_bump_per_transaction_none_for_a_lock_or_a_rollback(session, rail):
    shop = make_brand(session, slug="shop", name="Boutique")
    case, other = make_case(session, rail), make_case(session, rail)
    cm = make_user(session, rail)
    start, shop_start = _counter(session, rail), _counter(session, shop)
    session.commit()
    claims.claim(session=session, case=case, actor=cm)
    claims.claim(session=session, case=other, actor=cm)
    case.severity = "S3"
    session.add(case)
    session.commit()
    assert _counter(session, rail) == start + 1  # three writes, one transaction
    assert _counter(session, shop) == shop_start  # another brand's counter stays
    session.commit()
    case_locks.lock_case(session, case, bump=True)  # the version alone: no queue shows it
    session.commit()
    assert _counter(session, rail) == start + 1
    case.pinned = True
    session.add(case)
    session.flush()
    session.rollback()
    session.commit()
    assert _counter(session, rail) == start + 1


def test_a_statement_names_its_brands_or_bumps_them_all(session, rail):
    shop = make_brand(session, slug="shop", name="Boutique")
    case = make_case(session, rail)
    start, shop_start = _counter(session, rail), _counter(session, shop)
    session.commit()
    session.exec(update(Case).where(Case.id == case.id).values(pinned=True))  # type: ignore[call-overload]
    session.commit()
    assert (_counter(session, rail), _counter(session, shop)) == (start + 1, shop_start + 1)
    declared = update(Case).where(Case.id == case.id).values(pinned=False)
    session.exec(queue_changes.declare(declared, [rail.id]))  # type: ignore[call-overload]
    session.commit()
    assert (_counter(session, rail), _counter(session, shop)) == (start + 2, shop_start + 1)


def test_app_code_writing_without_a_brand_fails_its_test(session, rail, queue_change_guard):
    """The guard (tests/queue_change_guard.py): the statement above, from a test, is allowed; from
    app code, the test fails, naming the line."""
    case = make_case(session, rail)
    source = "def pin(session, stmt):\n    session.execute(stmt)\n"
    scope: dict = {}
    exec(compile(source, APP_DIR + "services/undeclared.py", "exec"), scope)
    scope["pin"](session, update(Case).where(Case.id == case.id).values(pinned=True))
    scope["pin"](session, queue_changes.declare(update(Case).values(pinned=False), [rail.id]))
    assert queue_change_guard == ["app/services/undeclared.py:2 in pin (update on cases)"]
    queue_change_guard.clear()


def test_an_ingest_batch_bumps_once(app, session):
    token = make_rail_push_token(session)
    rail = session.exec(select(Brand).where(Brand.slug == "rail")).one()
    start = _counter(session, rail)
    session.commit()
    items = [
        {
            "id": f"form-{n}",
            "text": f"Bonjour, le train {6500 + n} a une heure de retard, aucune annonce.",
            "author": {"id": f"c-{n}", "handle": f"voyageur{n}"},
            "created_at": "2026-11-23T10:00:00Z",
            "channel": "web_form",
            "lang": "fr",
        }
        for n in range(5)
    ]
    answer = app.test_client().post(
        "/api/v1/mentions",
        data=json.dumps(items),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 202
    session.expire_all()
    assert session.exec(select(Case).where(Case.brand_id == rail.id)).first() is not None
    assert _counter(session, rail) == start + 1


def test_concurrent_writers_lose_no_bump_and_never_deadlock(engine, session):
    """Real threads, each committing writes to cases of two brands, in both orders."""
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrent row locks: PostgreSQL only (SQLite serialises its writers)")
    brands = [make_brand(session, slug=f"marque-{i}", name=f"Marque {i}") for i in range(2)]
    threads_n, rounds = 6, 8
    cms = [make_user(session, brands[0], email=f"cm{i}@example.test") for i in range(threads_n)]
    # Each thread its own cases (no case lock shared): only the counters' rows are contended.
    cases = [[make_case(session, b).id for b in brands] for _ in range(threads_n)]
    ids = [b.id for b in brands]
    session.commit()
    barrier = threading.Barrier(threads_n, timeout=30)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with Session(engine, expire_on_commit=False) as own:
                actor = own.get(User, cms[n].id)
                barrier.wait()
                for r in range(rounds):
                    # Half the threads write brand 0's case first, half brand 1's.
                    order = cases[n] if (n + r) % 2 else list(reversed(cases[n]))
                    for case_id in order:
                        case = own.get(Case, case_id)
                        case.severity = "S3" if case.severity != "S3" else "S2"
                        own.add(case)
                        own.flush()
                    if r % 4 == 3:  # and now and then only one of them, with a claim
                        claims.claim(session=own, case=own.get(Case, order[0]), actor=actor)
                    own.commit()
        except BaseException as exc:  # reported below: a thread's failure fails the test
            errors.append(exc)

    start = [_counter(session, b) for b in brands]
    session.commit()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer is stuck (deadlock?)"
    assert not errors, errors
    session.expire_all()
    after = [dict(queue_changes.counters(session, ids))[i] for i in ids]
    assert after == [s + threads_n * rounds for s in start]


def test_a_brand_changed_then_deleted_in_one_transaction_commits(session, rail):
    rail.name = "Rail Azur Express"
    session.add(rail)
    session.flush()
    session.delete(rail)
    session.commit()  # noted, but gone: no counter row for it (its foreign key)
    assert session.exec(select(Brand)).all() == []


def test_a_rolled_back_savepoint_keeps_the_transactions_bump(session, rail):
    case = make_case(session, rail)
    session.commit()
    start = _counter(session, rail)
    session.commit()
    case.severity = "S3"
    session.add(case)
    session.flush()  # noted before the savepoint
    with session.begin_nested() as nested:
        nested.rollback()  # a duplicate mention's savepoint, say
    session.commit()
    assert _counter(session, rail) == start + 1
