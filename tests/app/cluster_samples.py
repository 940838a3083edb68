"""Mentions stored and triaged the way the app does (ingest, then the triage pass)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlmodel import Session

from app.models import Brand, utcnow
from app.services import content, ingest, triage
from connectors import AuthorInfo, FetchedMention
from tests.factories import account_for

PLAYBOOK = """
format: 1
brand: rail
lexicons:
  menaces: {terms: ["je vais (te|vous) {tuer|buter}"]}
scenarios:
  - {id: menace, label: Menace, when: {lexicon: menaces}, severity: S4, categories: [menace]}
  - {id: insulte, label: Insulte, when: {keywords: [escrocs]}, severity: S3}
  - {id: suppression, label: Train supprimé, when: {keywords: [supprime, supprimé]}, severity: S2}
"""
WAVE = "Le TER de 8h12 Lyon-Grenoble est encore supprimé, c'est inadmissible, remboursez-nous"
_ids = itertools.count(1)


def publish_playbook(session: Session, brand: Brand) -> None:
    content.save_playbook(session=session, brand=brand, source=PLAYBOOK, actor=None, publish=True)
    session.commit()


def fetched(text: str, *, author: str | None = None, minutes_ago: int = 1) -> FetchedMention:
    n = next(_ids)
    author = author or f"a{n}"
    return FetchedMention(
        external_id=f"x-{n}",
        text=text,
        author=AuthorInfo(external_id=author, handle=f"user_{author}", name=f"Nom {author}"),
        posted_at=utcnow() - timedelta(minutes=minutes_ago),
        url=f"https://social.example/{n}",
        lang="fr",
        channel="mastodon",
        thread_id=f"t-{n}",
    )


def ingest_texts(session: Session, brand: Brand, texts: list[str], **kwargs) -> None:
    """Store the texts as mentions of distinct authors and triage them; committed."""
    account = account_for(session, brand.id, "mastodon")  # type: ignore[arg-type]
    ingest.store_mentions(
        session=session, account=account, items=[fetched(t, **kwargs) for t in texts]
    )
    session.commit()
    triage.triage_pending(session=session, account_id=account.id)
    session.commit()
