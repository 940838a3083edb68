"""People across channels: "same person?" suggestions, and what a CM's confirmation joins.

Ingest already joins identities whose handles are the same (``ingest``); this module finds
the likely ones it cannot be sure of, computed when the person panel is read: similar names
or handles, the same text within minutes (a small cluster, not a storm), the same link. A
CM confirms (the other person's identities, cases and history join this one) or dismisses;
both are recorded and audited, and a decided pair is never suggested again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from app.models import (
    Author,
    Case,
    ClusterBand,
    Mention,
    MentionCluster,
    Person,
    PersonLink,
    User,
    utcnow,
)
from app.services import audit, queue_changes, signatures
from app.services.claims import CaseworkError

SAME_TEXT_MINUTES = 10
# A cluster bigger than this is a wave of many people, not one person on two channels.
SMALL_CLUSTER = 5
HISTORY_DAYS = 14
LIMIT = 5
REASON_LABELS = {
    "name": _l("nom ou pseudo semblable"),
    "text": _l("même texte à quelques minutes"),
    "link": _l("même lien partagé"),
}


@dataclass
class Suggestion:
    person: Person
    authors: list[Author]
    reasons: list[str] = field(default_factory=list)


def _similar_handles(a: str, b: str) -> bool:
    if not a or not b or a == b:
        return False
    grams = lambda s: {s[i : i + 3] for i in range(max(len(s) - 2, 1))}  # noqa: E731
    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb) >= 0.5


def _decided(session: Session, person_id: int) -> set[int]:
    rows = session.exec(
        select(PersonLink.person_id, PersonLink.other_id).where(
            or_(col(PersonLink.person_id) == person_id, col(PersonLink.other_id) == person_id),
            PersonLink.state != "suggested",
        )
    ).all()
    return {a if b == person_id else b for a, b in rows}


def suggestions(
    *, session: Session, person: Person, now: datetime | None = None
) -> list[Suggestion]:
    """Other people of the brand who may be this one, with why (read only)."""
    now = now or utcnow()
    mine = session.exec(select(Author).where(Author.person_id == person.id)).all()
    reasons: dict[int, set[str]] = {}
    for author in mine:
        key = signatures.normalise(author.handle_key or "").replace(" ", "")
        if len(key) >= 4:
            for other_key, other_person in session.exec(  # type: ignore[call-overload]
                select(Author.handle_key, Author.person_id)
                .where(
                    Author.brand_id == person.brand_id,
                    col(Author.handle_key).like(key[:3] + "%"),
                    Author.person_id != person.id,
                )
                .limit(200)
            ):
                if _similar_handles(key, signatures.normalise(other_key).replace(" ", "")):
                    reasons.setdefault(other_person, set()).add("name")
    name = (person.display_name or "").strip()
    if len(name) >= 5 and " " in name:
        for other_id in session.exec(
            select(Person.id)
            .where(
                Person.brand_id == person.brand_id,
                func.lower(Person.display_name) == name.lower(),
                Person.id != person.id,
            )
            .limit(20)
        ):
            reasons.setdefault(other_id, set()).add("name")  # type: ignore[arg-type]
    recent: Sequence[Any] = session.exec(  # type: ignore[call-overload]
        select(Mention.id, Mention.cluster_id, Mention.posted_at, Mention.platform)
        .join(Author, col(Author.id) == col(Mention.author_id))
        .where(
            Author.person_id == person.id,
            col(Mention.posted_at) >= now - timedelta(days=HISTORY_DAYS),
        )
        .order_by(col(Mention.posted_at).desc())
        .limit(50)
    ).all()
    _same_text(session, person, recent, reasons)
    _same_link(session, person, [r.id for r in recent], reasons)
    for other in _decided(session, person.id):  # type: ignore[arg-type]
        reasons.pop(other, None)
    reasons.pop(person.id, None)  # type: ignore[arg-type]
    if not reasons:
        return []
    ids = sorted(reasons, key=lambda i: (-len(reasons[i]), i))[:LIMIT]
    people = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(ids)))}
    authors: dict[int, list[Author]] = {}
    for author in session.exec(select(Author).where(col(Author.person_id).in_(ids))):
        authors.setdefault(author.person_id, []).append(author)
    return [
        Suggestion(people[i], authors.get(i, []), sorted(reasons[i]))
        for i in ids
        if i in people and people[i].brand_id == person.brand_id
    ]


def _same_text(
    session: Session, person: Person, recent: Sequence[Any], reasons: dict[int, set[str]]
) -> None:
    window = timedelta(minutes=SAME_TEXT_MINUTES)
    for _mention_id, cluster_id, posted_at, _platform in recent:
        if cluster_id is None:
            continue
        cluster = session.get(MentionCluster, cluster_id)
        if cluster is None or cluster.size > SMALL_CLUSTER:
            continue
        for other_person in session.exec(
            select(Author.person_id)
            .join(Mention, col(Mention.author_id) == col(Author.id))
            .where(
                Mention.cluster_id == cluster_id,
                Author.person_id != person.id,
                col(Mention.posted_at).between(posted_at - window, posted_at + window),
            )
        ):
            reasons.setdefault(other_person, set()).add("text")


def _same_link(
    session: Session, person: Person, mention_ids: list[int], reasons: dict[int, set[str]]
) -> None:
    """People who shared one of this person's links: found through the stored link keys, and
    the clusters of those mentions (a near-copy stores no key of its own)."""
    if not mention_ids:
        return
    texts = session.exec(select(Mention.text).where(col(Mention.id).in_(mention_ids))).all()
    links = {link for text in texts for link in signatures.links(text)}
    if not links:
        return
    bands = select(ClusterBand.band).where(
        col(ClusterBand.mention_id).in_(mention_ids), ClusterBand.is_link
    )
    sharing = select(ClusterBand.mention_id).where(
        ClusterBand.brand_id == person.brand_id, col(ClusterBand.band).in_(bands)
    )
    clusters = select(Mention.cluster_id).where(
        col(Mention.id).in_(sharing), col(Mention.cluster_id).is_not(None)
    )
    for other_person, text in session.exec(  # type: ignore[call-overload]
        select(Author.person_id, Mention.text)
        .join(Mention, col(Mention.author_id) == col(Author.id))
        .where(
            Mention.brand_id == person.brand_id,
            or_(col(Mention.id).in_(sharing), col(Mention.cluster_id).in_(clusters)),
            Author.person_id != person.id,
        )
        .limit(200)
    ):
        if links & set(signatures.links(text)):
            reasons.setdefault(other_person, set()).add("link")


def _pair(session: Session, person: Person, other: Person) -> PersonLink:
    low, high = sorted((person.id, other.id))  # type: ignore[type-var]
    link = session.exec(
        select(PersonLink).where(PersonLink.person_id == low, PersonLink.other_id == high)
    ).first()
    if link is None:
        link = PersonLink(brand_id=person.brand_id, person_id=low, other_id=high)  # type: ignore[arg-type]
    elif link.state != "suggested":
        raise CaseworkError(_l("Ce rapprochement a déjà été décidé."))
    return link


def decide(
    *,
    session: Session,
    person: Person,
    other: Person,
    actor: User,
    confirm: bool,
    reasons: list[str] | None = None,
    now: datetime | None = None,
) -> PersonLink:
    """Confirm (the other person's identities and cases join this one) or dismiss a link."""
    now = now or utcnow()
    if other.brand_id != person.brand_id or other.id == person.id:
        raise CaseworkError(_l("Ces deux personnes ne peuvent pas être rapprochées."))
    # Both rows locked, lower id first: two CMs deciding the same pair wait for each other.
    for row in sorted((person, other), key=lambda p: p.id or 0):
        session.refresh(row, with_for_update=True)
    link = _pair(session, person, other)
    link.state = "confirmed" if confirm else "dismissed"
    link.reasons = ",".join(reasons or [])[:300]
    link.decided_by_id, link.decided_at = actor.id, now
    session.add(link)
    moved = {"authors": 0, "cases": 0}
    if confirm:
        brand = [person.brand_id]  # both people's: checked above
        authors = update(Author).where(col(Author.person_id) == other.id)
        moved["authors"] = session.execute(  # type: ignore[attr-defined]
            queue_changes.declare(authors.values(person_id=person.id), brand)
        ).rowcount
        cases = update(Case).where(col(Case.person_id) == other.id)
        moved["cases"] = session.execute(  # type: ignore[attr-defined]
            queue_changes.declare(cases.values(person_id=person.id), brand)
        ).rowcount
        person.vip = person.vip or other.vip
        person.tier = person.tier or other.tier
        if other.notes and other.notes not in person.notes:
            person.notes = "\n".join(n for n in (person.notes, other.notes) if n)
        session.add(person)
    session.flush()
    audit.record(
        session=session,
        action="person.linked" if confirm else "person.link_dismissed",
        target_type="person",
        target_id=person.id,
        brand_id=person.brand_id,
        actor=actor,
        after={"other_person": other.id, "reasons": reasons or [], **moved},
    )
    return link


@dataclass
class Joined:
    """What a confirmed link brings to a person: the other's identities and cases."""

    person: Person
    authors: list[Author]
    cases: list[Case]


def joined(*, session: Session, other: Person, case_id: int | None = None) -> Joined:
    """The other person's identities and cases (newest first), read before they join: the
    panel shows them at once, beside the case being worked on."""
    authors = list(session.exec(select(Author).where(Author.person_id == other.id)))
    cases = list(
        session.exec(
            select(Case)
            .where(Case.person_id == other.id, Case.id != (case_id or 0))
            .order_by(col(Case.opened_at).desc())
            .limit(20)
        )
    )
    return Joined(person=other, authors=authors, cases=cases)
