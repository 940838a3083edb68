"""Sample playbooks and history rows shared by the playbook editor tests (no tests here)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.models import Author, Brand, Mention, Person, Triage, utcnow
from tests.factories import account_for

SMALL_PLAYBOOK = """format: 1
name: Test
scenarios:
  - id: retard
    label: Retard
    severity: S2
    when: {keywords: [retard]}
    replies: [rail.retard.excuses]
  - id: insulte
    label: Insulte
    severity: S3
    when: {keywords: [connard, nullissime]}
"""

# The same playbook, stricter: delays become S3.
STRICTER_PLAYBOOK = SMALL_PLAYBOOK.replace("severity: S2", "severity: S3")

# A playbook with a wrong severity on line 11.
BROKEN_PLAYBOOK = SMALL_PLAYBOOK.replace("severity: S3", "severity: S9")


def add_history(
    session: Session,
    brand: Brand,
    texts: list[tuple[str, str, str]],
    *,
    days_ago: float = 1,
) -> list[Mention]:
    """Stored mentions with an engine triage each: (text, severity, action); committed."""
    account = account_for(session, brand.id)  # type: ignore[arg-type]
    person = Person(brand_id=brand.id, display_name="Jeanne Test")  # type: ignore[arg-type]
    session.add(person)
    session.flush()
    author = Author(
        brand_id=brand.id,  # type: ignore[arg-type]
        person_id=person.id,  # type: ignore[arg-type]
        platform="mastodon",
        external_id=f"hist-{person.id}",
        handle="jeanne",
    )
    session.add(author)
    session.flush()
    posted = utcnow() - timedelta(days=days_ago)
    mentions = []
    for i, (text, _severity, _action) in enumerate(texts):
        mention = Mention(
            brand_id=brand.id,  # type: ignore[arg-type]
            account_id=account.id,  # type: ignore[arg-type]
            platform="mastodon",
            channel="mastodon",
            external_id=f"hist-{person.id}-{i}",
            author_id=author.id,  # type: ignore[arg-type]
            text=text,
            lang="fr",
            posted_at=posted - timedelta(seconds=i),
            state="triaged",
        )
        mentions.append(mention)
    session.add_all(mentions)
    session.flush()
    session.add_all(
        Triage(
            brand_id=brand.id,  # type: ignore[arg-type]
            mention_id=m.id,  # type: ignore[arg-type]
            severity=severity,
            action=action,
            source="engine",
        )
        for m, (_, severity, action) in zip(mentions, texts, strict=True)
    )
    session.commit()
    return mentions


def add_override(
    session: Session, mention: Mention, severity: str, reason: str, user_id: int | None = None
) -> Triage:
    """A reviewer's correction of a mention's triage; committed."""
    row = Triage(
        brand_id=mention.brand_id,
        mention_id=mention.id,  # type: ignore[arg-type]
        severity=severity,
        action="reply",
        source="override",
        reason=reason,
        created_by_id=user_id,
        created_at=utcnow() + timedelta(seconds=1),
    )
    session.add(row)
    session.commit()
    return row
