"""Loading a brand's corrections and history for the proposals (issue 18, parts 1 and 3)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

import playbooks
from app.models import Author, Mention, Person, Triage
from app.services.proposal_terms import Correction, terms_of

MAX_CORRECTIONS = 2000
# The contrast set: the newest mentions, a sample big enough for shares of a few percent
# (normalising costs ~0.1 ms a text, so all of a 100,000-mention history would not fit the goal).
MAX_HISTORY = 20_000
_IN_CHUNK = 900


@dataclass
class Reviewed:
    """A correction with what the engine needs to judge the mention again."""

    correction: Correction
    item: playbooks.MentionInput


def _input(mention: Mention, author: Author, person: Person | None) -> playbooks.MentionInput:
    return playbooks.MentionInput(
        text=mention.text,
        lang=mention.lang,
        channel=mention.channel,
        author=playbooks.AuthorProfile(
            tier=person.tier if person else None,
            vip=bool(person and person.vip),
            followers=author.followers or 0,
            verified=author.verified,
        ),
        posted_at=mention.posted_at,
        rating=mention.rating,
    )


def load_corrections(
    session: Session, brand_id: int, limit: int = MAX_CORRECTIONS
) -> list[Reviewed]:
    """The brand's latest corrections (one per mention, newest first) next to the engine's
    decision the reviewer corrected (the latest engine triage before the override)."""
    overrides = session.exec(
        select(Triage)
        .where(Triage.brand_id == brand_id, Triage.source == "override")
        .order_by(col(Triage.created_at).desc(), col(Triage.id).desc())
        .limit(limit * 2)
    ).all()
    latest: dict[int, Triage] = {}
    for row in overrides:
        latest.setdefault(row.mention_id, row)
        if len(latest) >= limit:
            break
    ids = list(latest)
    engine: dict[int, Triage] = {}
    rows: dict[int, tuple[Mention, Author, Person | None]] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        for t in session.exec(
            select(Triage)
            .where(col(Triage.mention_id).in_(chunk), Triage.source == "engine")
            .order_by(col(Triage.created_at), col(Triage.id))
        ):
            if t.created_at <= latest[t.mention_id].created_at or t.mention_id not in engine:
                engine[t.mention_id] = t
        stmt: Any = (
            select(Mention, Author, Person)
            .join(Author, col(Author.id) == col(Mention.author_id))
            .join(Person, col(Person.id) == col(Author.person_id), isouter=True)
            .where(col(Mention.id).in_(chunk), Mention.brand_id == brand_id)
        )
        for m, a, p in session.exec(stmt):
            rows[m.id] = (m, a, p)  # type: ignore[index]
    out: list[Reviewed] = []
    for mention_id in ids:
        if mention_id not in rows:
            continue
        o, e = latest[mention_id], engine.get(mention_id)
        m, a, p = rows[mention_id]
        out.append(
            Reviewed(
                Correction(
                    mention_id=mention_id,
                    text=m.text,
                    engine_severity=e.severity if e else None,
                    engine_scenarios=tuple(e.scenarios or ()) if e else (),
                    severity=o.severity,
                    scenarios=tuple(o.scenarios or ()),
                    reason=o.reason,
                ),
                _input(m, a, p),
            )
        )
    return out


def history_terms(
    session: Session,
    brand_id: int,
    skip: set[int],
    wanted: set[str],
    progress: Callable[[int, int], None] | None = None,
    limit: int = MAX_HISTORY,
) -> tuple[Counter[str], int]:
    """How many of the brand's other mentions (newest `limit`) hold each wanted term: the
    contrast set of the term extraction. Only candidate terms are counted, to stay small."""
    counts: Counter[str] = Counter()
    seen = 0
    stmt: Any = (
        select(Mention.id, Mention.text)
        .where(Mention.brand_id == brand_id)
        .order_by(col(Mention.id).desc())
        .limit(limit)
    )
    result = session.exec(stmt)
    for mention_id, text in result:
        if mention_id in skip:
            continue
        seen += 1
        counts.update(terms_of(text or "") & wanted)
        if progress and seen % 5000 == 0:
            progress(seen, limit)
    return counts, seen
