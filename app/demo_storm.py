"""`vigie demo --storm`: a wave of near-identical complaints, with one threat hidden in it.

Mentions go through the ordinary path (store, triage — spike detection included) on the
brand's demo or webhook account, so a newcomer sees the alert, the crisis switch and the wave
exactly as a real storm would bring them.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.models import Brand, ConnectorAccount, User, utcnow
from app.services import audit, ingest, triage
from connectors import AuthorInfo, FetchedMention

STORM_SIZE = 60
CHANNELS = ("x", "mastodon", "bluesky")
COMPLAINTS = {
    "demo-rail": (
        "Grève surprise ce matin, train supprimé sans aucune info, c'est inadmissible",
        "Encore un train supprimé à cause de la grève, aucune info en gare, inadmissible",
        "Grève : mon train supprimé ce matin et zéro information, c'est inadmissible",
    ),
    "demo-shop": (
        "Site en panne depuis ce matin, impossible de payer ma commande, c'est inadmissible",
        "Encore le site en panne, paiement impossible, commande bloquée, inadmissible",
        "Panne du site : impossible de valider ma commande depuis ce matin, inadmissible",
    ),
}
ENDINGS = ("", " !", " !!", " 😡", " #greve", " Merci de répondre.", " Vous abusez.", " Honteux.")
THREATS = {
    "demo-rail": "Train supprimé encore, la prochaine fois je viens à la gare avec un couteau",
    "demo-shop": "Commande bloquée encore, je viens à l'entrepôt avec un couteau demain",
}


class StormError(ValueError):
    """A storm that cannot start (no brand, no account to inject through)."""


@dataclass
class StormResult:
    brand: str
    stored: int
    triaged: int


def storm_account(session: Session, brand: Brand) -> ConnectorAccount:
    """The brand's demo stream, else its webhook account: where a storm comes in."""
    for platform in ("demo", "webhook"):
        account = session.exec(
            select(ConnectorAccount)
            .where(ConnectorAccount.brand_id == brand.id, ConnectorAccount.platform == platform)
            .order_by(col(ConnectorAccount.id))
        ).first()
        if account is not None:
            return account
    raise StormError(
        f"La marque {brand.slug} n'a ni flux de démonstration ni compte webhook : "
        "ajoutez-en un (vigie connectors add --platform webhook)."
    )


def storm_mentions(
    brand: Brand, count: int, *, start: datetime, spread: timedelta, seed: int | None = None
) -> list[FetchedMention]:
    """`count` similar complaints from as many authors, the threat about a third of the way."""
    rng = random.Random(seed)
    texts = COMPLAINTS.get(brand.slug, COMPLAINTS["demo-rail"])
    threat = THREATS.get(brand.slug, THREATS["demo-rail"])
    token = uuid.uuid4().hex[:8]
    step = spread / max(1, count - 1)
    out = []
    for i in range(count):
        text = threat if i == count // 3 else rng.choice(texts) + rng.choice(ENDINGS)
        handle = f"voyageur_{token}_{i}"
        out.append(
            FetchedMention(
                external_id=f"storm-{token}-{i}",
                text=text,
                author=AuthorInfo(external_id=f"storm-{token}-{i}", handle=f"@{handle}"),
                posted_at=start + step * i,
                url=None,
                lang="fr",
                channel=CHANNELS[i % len(CHANNELS)],
            )
        )
    return out


def inject(
    *,
    session: Session,
    brand: Brand,
    items: list[FetchedMention],
    actor: User | None = None,
    audit_it: bool = True,
) -> StormResult:
    """Store and triage a storm's mentions like any ingest (no commit)."""
    account = storm_account(session, brand)
    result = ingest.store_mentions(session=session, account=account, items=items)
    triaged = triage.triage_pending(
        session=session, account_id=account.id, external_ids=result.new, now=utcnow()
    )
    if audit_it:
        audit.record(
            session=session,
            action="demo.storm_started",
            target_type="brand",
            target_id=brand.id,
            brand_id=brand.id,
            actor=actor,
            actor_label=None if actor else "demo",
            after={"mentions": len(result.new)},
        )
    return StormResult(brand=brand.slug, stored=len(result.new), triaged=triaged)


def storm_now(
    *, session: Session, brand: Brand, actor: User | None = None, count: int = STORM_SIZE
) -> StormResult:
    """The console's button: a whole storm that came in over the last three minutes."""
    now = utcnow()
    items = storm_mentions(
        brand, count, start=now - timedelta(minutes=3), spread=timedelta(minutes=3)
    )
    return inject(session=session, brand=brand, items=items, actor=actor)


def replace_time(item: FetchedMention, posted_at: datetime) -> FetchedMention:
    """The same mention arriving at another time."""
    from dataclasses import replace

    return replace(item, posted_at=posted_at)
