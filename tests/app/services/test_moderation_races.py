"""Two processes at once on YouTube's quota ledger and on moderation requests (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app.models import Case, ConnectorAccount, Mention, ModerationAction, User
from app.security.secrets_box import SecretsBox
from app.services import moderation_actions
from app.services.platform_quota import DatabaseLedger
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.factories import make_brand, make_user
from tests.races import race

pytestmark = pytest.mark.db


def _account(session) -> ConnectorAccount:
    brand = make_brand(session)
    account = ConnectorAccount(
        brand_id=brand.id,
        platform="youtube",
        credentials_encrypted=SecretsBox(TEST_ENCRYPTION_KEY).seal({"access_token": "t"}),
    )
    session.add(account)
    session.commit()
    return account


def test_four_processes_spending_units_add_up_exactly(engine, session):
    account = _account(session)
    day = datetime.now(UTC).date()
    barrier = threading.Barrier(4, timeout=30)
    errors: list[BaseException] = []

    def spend() -> None:
        ledger = DatabaseLedger(engine, account.id)
        barrier.wait()
        try:
            for _ in range(25):
                ledger.spend(day, 50)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=spend) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert DatabaseLedger(engine, account.id).spent(day) == 4 * 25 * 50


def test_two_cms_asking_the_same_ban_at_once_make_one_request(engine, session):
    account = _account(session)
    brand_id = account.brand_id
    from app.models import Author, Brand

    brand = session.get(Brand, brand_id)
    cms = [make_user(session, brand), make_user(session, brand)]
    author = Author(
        brand_id=brand_id, person_id=0, platform="youtube", external_id="UCx", handle="x"
    )
    from app.models import Person

    person = Person(brand_id=brand_id, display_name="x")
    session.add(person)
    session.flush()
    author.person_id = person.id
    session.add(author)
    session.flush()
    case = Case(brand_id=brand_id, channel="youtube")
    session.add(case)
    session.flush()
    mention = Mention(
        brand_id=brand_id, account_id=account.id, platform="youtube", channel="youtube",
        external_id="Ugz1", author_id=author.id, case_id=case.id, text="arnaque",
        posted_at=datetime.now(UTC), raw={"id": "Ugz1"},
    )  # fmt: skip
    session.add(mention)
    session.commit()

    def asker(user_id: int):
        def ask(s: Session, go):
            go()
            return moderation_actions.request(
                session=s,
                case=s.get(Case, case.id),
                mention=s.get(Mention, mention.id),
                action="ban",
                actor=s.get(User, user_id),
                may_decide=False,
            ).id

        return ask

    outcomes = race(engine, *[asker(u.id) for u in cms])
    assert all(isinstance(o, int) for o in outcomes), outcomes
    session.expire_all()
    rows = session.exec(select(ModerationAction)).all()
    assert len(rows) == 1 and outcomes[0] == outcomes[1] == rows[0].id
