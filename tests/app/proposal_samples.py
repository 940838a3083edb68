"""A brand whose reviewers corrected the same things several times (issue 18 proposals tests)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.models import Author, Brand, Mention, Person, Triage, utcnow
from app.services import content
from tests.factories import account_for

PLAYBOOK = """format: 1
name: Test
# Ce commentaire doit survivre aux propositions.
lexicons:
  retard:
    description: Retards
    terms:
      - retard
scenarios:
  - id: retard
    label: Retard
    severity: S2
    when: {lexicon: retard}
  - id: insulte
    label: Insulte
    severity: S3
    when: {keywords: [connard]}
"""

# Missed: the engine saw no delay in "panne", reviewers named the delay scenario every time.
MISSED = [
    "Encore une panne de signalisation ce matin",
    "Panne à Juvisy, on attend sur le quai",
    "Trois jours de suite une panne, sérieusement",
    "La panne du RER B continue",
]
# False alarm: "connard" inside a film title is no insult; reviewers removed the scenario.
FALSE = [
    "Vu le film Le Dîner de cons connard en gare, très drôle",
    "Le Dîner de cons connard, un classique pour le trajet",
    "On regarde le Dîner de cons connard dans le train",
]
OTHER = [
    "Merci pour le voyage",
    "Le train est en retard",
    "Bonjour, à quelle heure part le premier train ?",
    "Super contrôleur très sympa",
    "Le wifi fonctionne enfin",
    "Quel connard ce voisin de siège",
]


def add(
    session: Session, brand: Brand, text: str, engine: list[str], severity: str, i: int
) -> Mention:
    account = account_for(session, brand.id)  # type: ignore[arg-type]
    person = Person(brand_id=brand.id, display_name="Test")  # type: ignore[arg-type]
    session.add(person)
    session.flush()
    author = Author(
        brand_id=brand.id,  # type: ignore[arg-type]
        person_id=person.id,
        platform="mastodon",
        external_id=f"p-{person.id}",
        handle="t",
    )
    session.add(author)
    session.flush()
    mention = Mention(
        brand_id=brand.id,  # type: ignore[arg-type]
        account_id=account.id,  # type: ignore[arg-type]
        platform="mastodon",
        channel="mastodon",
        external_id=f"m-{brand.id}-{i}",
        author_id=author.id,  # type: ignore[arg-type]
        text=text,
        lang="fr",
        posted_at=utcnow() - timedelta(hours=1, seconds=i),
        state="triaged",
    )
    session.add(mention)
    session.flush()
    session.add(
        Triage(
            brand_id=brand.id,  # type: ignore[arg-type]
            mention_id=mention.id,  # type: ignore[arg-type]
            severity=severity,
            scenarios=engine,
            action="reply",
            source="engine",
            created_at=utcnow() - timedelta(minutes=30),
        )
    )
    return mention


def correct(session: Session, mention: Mention, severity: str, scenarios: list[str]) -> None:
    session.add(
        Triage(
            brand_id=mention.brand_id,
            mention_id=mention.id,  # type: ignore[arg-type]
            severity=severity,
            scenarios=scenarios,
            action="reply",
            source="override",
            reason="correction",
        )
    )


def corrected_brand(session: Session, brand: Brand) -> None:
    """Publish PLAYBOOK and store the history with its corrections; committed."""
    content.save_playbook(session=session, brand=brand, source=PLAYBOOK, actor=None, publish=True)
    n = 0
    for text in MISSED:
        n += 1
        correct(session, add(session, brand, text, [], "S1", n), "S2", ["retard"])
    for text in FALSE:
        n += 1
        correct(session, add(session, brand, text, ["insulte"], "S3", n), "S1", [])
    for text in OTHER * 3:
        n += 1
        add(session, brand, text, [], "S1", n)
    session.commit()
