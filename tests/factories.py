"""Test data, one module: brands and users through the services the app uses; cases with
their mentions, authors, people and triage written straight to the database (the shapes the
console tests need, without running the playbook engine)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from app.models import (
    PLATFORMS,
    Author,
    Brand,
    CannedReply,
    Case,
    ConnectorAccount,
    Mention,
    Person,
    Triage,
    User,
    utcnow,
)
from app.services import brands, users

_counter = itertools.count(1)
_ids = itertools.count(1)
PASSWORD = "pw-test"


def make_brand(session: Session, slug: str | None = None, name: str | None = None) -> Brand:
    n = next(_counter)
    brand = brands.create_brand(
        session=session, slug=slug or f"brand-{n}", name=name or f"Marque {n}"
    )
    session.commit()
    return brand


def make_user(
    session: Session,
    brand: Brand | None = None,
    role: str = "community_manager",
    email: str | None = None,
) -> User:
    n = next(_counter)
    user = users.create_user(
        session=session, email=email or f"user{n}@example.test", password=PASSWORD
    )
    if brand is not None:
        users.grant(session=session, user=user, brand=brand, role=role)
    session.commit()
    return user


def account_for(session: Session, brand_id: int, platform: str = "webhook") -> ConnectorAccount:
    account = session.exec(
        select(ConnectorAccount).where(
            ConnectorAccount.brand_id == brand_id, ConnectorAccount.platform == platform
        )
    ).first()
    if account is None:
        account = ConnectorAccount(brand_id=brand_id, platform=platform, label="Compte test")  # type: ignore[arg-type]
        session.add(account)
        session.flush()
    return account


def make_case(
    session: Session,
    brand: Brand,
    text: str = "Mon train est encore en retard",
    *,
    severity: str = "S2",
    scenario: str | None = "retard",
    action: str = "reply",
    approver: str | None = None,
    priority: int = 10,
    due_in: timedelta | None = timedelta(minutes=50),
    channel: str = "mastodon",
    language: str = "fr",
    person_name: str = "Jeanne Martin",
    handle: str | None = None,
    tier: str | None = None,
    vip: bool = False,
    followers: int = 100,
    suggested: list[str] | None = None,
    evidence: list[dict[str, Any]] | None = None,
    person: Person | None = None,
    status: str = "open",
    pinned: bool = False,
) -> Case:
    """One open case holding one mention, triaged as given; committed."""
    n = next(_ids)
    now = utcnow()
    if person is None:
        person = Person(brand_id=brand.id, display_name=person_name, tier=tier, vip=vip)  # type: ignore[arg-type]
        session.add(person)
        session.flush()
    author = Author(
        brand_id=brand.id,
        person_id=person.id,
        platform=channel,  # type: ignore[arg-type]
        external_id=f"author-{n}",
        handle=handle or f"user{n}",
        name=person.display_name,
        followers=followers,
    )
    session.add(author)
    session.flush()
    case = Case(
        brand_id=brand.id,
        person_id=person.id,
        status=status,
        severity=severity,  # type: ignore[arg-type]
        scenario=scenario,
        action=action,
        approver=approver,
        priority=priority,
        due_at=now + due_in if due_in is not None else None,
        channel=channel,
        language=language,
        excerpt=text[:300],
        mention_count=1,
        pinned=pinned,
    )
    session.add(case)
    session.flush()
    first = add_mention(session, case, text, author=author, evidence=evidence, suggested=suggested)
    case.decision_mention_id = first.id
    session.add(case)
    session.commit()
    return case


def add_mention(
    session: Session,
    case: Case,
    text: str,
    *,
    author: Author | None = None,
    evidence: list[dict[str, Any]] | None = None,
    suggested: list[str] | None = None,
) -> Mention:
    """Add a mention (and its engine triage) to a case; flushed, not committed."""
    n = next(_ids)
    if author is None:
        author = session.exec(select(Author).where(Author.person_id == case.person_id)).first()
    assert author is not None
    # The mention comes through an account of its platform (a webhook one posts by hand).
    account = account_for(
        session, case.brand_id, author.platform if author.platform in PLATFORMS else "webhook"
    )
    mention = Mention(
        brand_id=case.brand_id,
        account_id=account.id,
        platform=author.platform,  # type: ignore[arg-type]
        channel=case.channel or author.platform,
        external_id=f"m-{n}",
        author_id=author.id,
        case_id=case.id,
        text=text,
        lang=case.language,  # type: ignore[arg-type]
        url=f"https://social.example/@{author.handle}/{n}",
        posted_at=utcnow() - timedelta(minutes=5),
        state="triaged",
    )
    session.add(mention)
    session.flush()
    session.add(
        Triage(
            brand_id=case.brand_id,
            mention_id=mention.id,
            severity=case.severity,  # type: ignore[arg-type]
            scenarios=[case.scenario] if case.scenario else [],
            action=case.action,
            approver=case.approver,
            priority=case.priority,
            due_at=case.due_at,
            suggested_replies=suggested or [],
            language=case.language,
            evidence=evidence or [],
        )
    )
    session.flush()
    return mention


def make_canned(
    session: Session,
    brand: Brand,
    key: str = "retard_excuses",
    body: str = "Bonjour {{ prenom }}, nous sommes désolés pour ce retard.",
    *,
    title: str = "Excuses pour un retard",
    status: str = "approved",
    language: str = "fr",
    scenarios: list[str] | None = None,
) -> CannedReply:
    reply = CannedReply(
        brand_id=brand.id,
        key=key,
        language=language,
        title=title,
        body=body,  # type: ignore[arg-type]
        scenarios=scenarios or ["retard"],
        status=status,
    )
    session.add(reply)
    session.commit()
    return reply


def make_webhook_account(
    session: Session, brand: Brand, options: dict[str, Any] | None = None
) -> tuple[ConnectorAccount, str]:
    """A webhook account of the brand, created as onboarding does, and its push token."""
    from app.security.secrets_box import SecretsBox
    from app.services.accounts import create_account
    from tests.conftest import TEST_ENCRYPTION_KEY

    account, token = create_account(
        session=session,
        brand=brand,
        platform="webhook",
        credentials={},
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        label="Formulaire",
        options=options,
    )
    session.commit()
    return account, token


def make_rail_push_token(session: Session) -> str:
    """The push token of a "rail" brand with demo-rail's playbook published and no practical
    rate limit: the ingest path as production runs it."""
    from app.services import content
    from playbooks import shipped_playbook_path

    brand = make_brand(session, slug="rail", name="Rail")
    source = shipped_playbook_path("demo-rail").read_text(encoding="utf-8")
    content.save_playbook(session=session, brand=brand, source=source, actor=None, publish=True)
    return make_webhook_account(session, brand, options={"rate_per_minute": 100_000})[1]
