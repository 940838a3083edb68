"""Ninety days of handled history for the demo brands, so every figure and chart shows something
on a first `vigie demo` (issue 17, part 7).

Cases are drawn from the brands' demo streams (texts, authors, severities, topics) over the past
days at a realistic daily rhythm: the rail operator busier on weekdays' rush hours, the shop on
evenings, closed on Sundays. Each case was answered by the demo CM (the first response mostly
well within its deadline, some late), S3 replies were approved by the brand, S4 cases escalated
and answered, a share of customers wrote again within 72 hours, about a third answered the
satisfaction survey. Five weeks ago the rail operator went through a strike day: four times the
volume, crisis mode on for the afternoon (in the audit, as the crisis feature records it).

Everything is closed and dated before today, so the live queue stays the demo stream's; the
authors are the history's own (``hist-`` identities). Deterministic: the same seed gives the
same history. Rows go in with plain ORM batches (a few thousand cases, a few seconds).
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, select

from app.models import (
    AuditEvent,
    Author,
    Brand,
    Case,
    ConnectorAccount,
    Escalation,
    Mention,
    Person,
    Reply,
    SurveyAnswer,
    User,
    utcnow,
)
from connectors.demo import load_stream

HISTORY_DAYS = 90
CRISIS_DAYS_AGO = 35
# Cases per day (before the weekday rhythm) and the days each brand is open.
DAILY = {"demo-rail": 30, "demo-shop": 14}
WEEKDAY_FACTOR = {
    "demo-rail": (1.3, 1.1, 1.0, 1.0, 1.2, 0.7, 0.6),
    "demo-shop": (1.0, 1.0, 1.0, 1.1, 1.2, 1.3, 0.0),
}
# Hours of the day customers write, with their weights (rush hours for the train).
HOURS = {
    "demo-rail": {6: 2, 7: 5, 8: 6, 9: 4, 12: 2, 13: 2, 17: 5, 18: 6, 19: 4, 20: 2, 21: 1},
    "demo-shop": {9: 2, 10: 3, 12: 3, 13: 2, 17: 3, 18: 4, 19: 3},
}
PEOPLE_PER_AUTHOR = 12  # each stream author stands for this many history customers
DUE = {"S0": None, "S1": 240, "S2": 60, "S3": 60, "S4": 15}  # minutes to answer
REPLY_TEXTS = {
    "fr": "Bonjour, merci pour votre message : nous regardons cela et revenons vers vous.",
    "en": "Hello, thank you for your message: we are looking into it.",
}


@dataclass
class _Pools:
    lines: list[dict]
    scenarios: set[str]
    account_id: int
    cm: User


def _pools(session: Session, brand: Brand) -> _Pools | None:
    account = session.exec(
        select(ConnectorAccount).where(
            ConnectorAccount.brand_id == brand.id, ConnectorAccount.platform == "demo"
        )
    ).first()
    cm = session.exec(select(User).where(User.email == "cm@vigie.demo")).first()
    if account is None or account.id is None or cm is None:
        return None
    from app.services import content

    published = content.published_playbook(session=session, brand_id=brand.id or 0)
    scenarios = {s.id for s in published[1].spec.scenarios} if published else set()
    return _Pools(list(load_stream(brand.slug)), scenarios, account.id, cm)


def _moment(rng: random.Random, day: datetime, hours: dict[int, int]) -> datetime:
    hour = rng.choices(list(hours), weights=list(hours.values()))[0]
    return day + timedelta(hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))


def _response_minutes(rng: random.Random, severity: str) -> float:
    """Minutes to the first answer: mostly well within the deadline, a tail of late ones."""
    median = {"S4": 6, "S3": 25, "S2": 28, "S1": 45, "S0": 90}.get(severity, 40)
    return max(1.0, rng.lognormvariate(math.log(median), 0.7))


def seed_history(session: Session, brands: list[Brand], *, days: int = HISTORY_DAYS) -> int:
    """Add `days` days of closed cases to each demo brand; returns how many cases."""
    total = 0
    today = datetime.combine(utcnow().date(), time.min, UTC)
    for brand in brands:
        pools = _pools(session, brand)
        if pools is None or brand.slug not in DAILY:
            continue
        rng = random.Random(f"vigie-demo-history-{brand.slug}")
        people = _people(session, brand, pools, rng)
        strike = [ln for ln in pools.lines if ln["label"]["category"] == "greve"] or pools.lines
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            count = DAILY[brand.slug] * WEEKDAY_FACTOR[brand.slug][day.weekday()]
            crisis_day = brand.slug == "demo-rail" and back == CRISIS_DAYS_AGO
            if crisis_day:
                count *= 4
            n = max(0, round(rng.gauss(count, math.sqrt(count)))) if count else 0
            lines = [
                rng.choice(strike if crisis_day and rng.random() < 0.7 else pools.lines)
                for _ in range(n)
            ]
            _one_day(session, brand, pools, rng, day, lines, people)
            total += n
            if crisis_day:
                _crisis_episode(session, brand, pools.cm, day)
    session.flush()
    from app.services import report_rollups

    report_rollups.refresh(session, brand_ids=[b.id for b in brands if b.id is not None])
    return total


def _people(
    session: Session, brand: Brand, pools: _Pools, rng: random.Random
) -> list[tuple[Person, Author]]:
    """The history's customers: each stream author seen as several people (few write twice)."""
    persons: list[Person] = []
    authors: list[Author] = []
    for line in pools.lines:
        info = line["author"]
        for copy in range(PEOPLE_PER_AUTHOR):
            persons.append(
                Person(brand_id=brand.id or 0, display_name=info.get("name") or info["handle"])
            )
            authors.append(
                Author(
                    brand_id=brand.id or 0,
                    person_id=0,
                    platform="demo",
                    external_id=f"hist-{line['id']}-{copy}",
                    handle=f"{info['handle']}{copy or ''}",
                    name=info.get("name") or "",
                    followers=int(info.get("followers") or 0) + rng.randrange(50),
                )
            )
    session.add_all(persons)
    session.flush()
    for person, author in zip(persons, authors, strict=True):
        author.person_id = person.id or 0
    session.add_all(authors)
    session.flush()
    return list(zip(persons, authors, strict=True))


def _one_day(
    session: Session,
    brand: Brand,
    pools: _Pools,
    rng: random.Random,
    day: datetime,
    lines: list[dict],
    people: list[tuple[Person, Author]],
) -> None:
    """One day's cases, in three batches: cases, their mentions, then replies and the rest."""
    drafts = []
    for line in lines:
        person, author = rng.choice(people)
        severity = str(line["label"].get("severity") or "S1")
        category = str(line["label"].get("category") or "")
        opened = _moment(rng, day, HOURS[brand.slug])
        answered = opened + timedelta(minutes=_response_minutes(rng, severity))
        resolved = answered + timedelta(minutes=rng.uniform(5, 360))
        spam = category == "spam"
        asks_brand = not spam and (severity == "S4" or (severity == "S3" and rng.random() < 0.6))
        follow_up = not spam and rng.random() < 0.12
        due = DUE.get(severity)
        case = Case(
            brand_id=brand.id or 0,
            person_id=person.id,
            status="closed",
            closed_reason="spam" if spam else "resolved",
            severity=severity,
            scenario=category if category in pools.scenarios else None,
            action="escalate" if severity == "S4" else ("approve" if asks_brand else "reply"),
            due_at=opened + timedelta(minutes=due) if due else None,
            channel=str(line.get("channel") or "x"),
            language=str(line.get("lang") or "fr"),
            excerpt=str(line["text"])[:300],
            assignee_id=pools.cm.id,
            mention_count=2 if follow_up else 1,
            opened_at=opened,
            first_response_at=None if spam else answered,
            resolved_at=resolved,
            last_activity_at=resolved,
            involved_brand=asks_brand,
        )
        drafts.append((case, author, line, answered, resolved, spam, asks_brand, follow_up))
    session.add_all([d[0] for d in drafts])
    session.flush()
    firsts = []
    for case, author, line, answered, _resolved, _spam, _asks, follow_up in drafts:
        first = _mention(brand, pools, case, author, str(line["text"]), case.opened_at)
        firsts.append(first)
        session.add(first)
        if follow_up:
            later = answered + timedelta(hours=rng.uniform(1, 48))
            session.add(_mention(brand, pools, case, author, "Toujours rien de neuf ?", later))
    session.flush()
    for (case, _a, _l, answered, resolved, spam, asks, _f), first in zip(
        drafts, firsts, strict=True
    ):
        case.decision_mention_id = first.id
        if not spam:
            _answers(session, brand, pools, rng, case, first, answered, resolved, asks)
    session.flush()


def _answers(
    session: Session,
    brand: Brand,
    pools: _Pools,
    rng: random.Random,
    case: Case,
    first: Mention,
    answered: datetime,
    resolved: datetime,
    asks_brand: bool,
) -> None:
    """The case's reply (approved by the brand for an S3 that needed it), its escalation (S4)
    and, a third of the time, the customer's satisfaction answer."""
    approved = asks_brand and case.severity == "S3"
    if case.severity == "S4":
        session.add(
            Escalation(
                brand_id=brand.id or 0,
                case_id=case.id or 0,
                reason="Détresse ou menace : la marque prend la main",
                urgency="urgent",
                state="handled",
                requested_by_id=pools.cm.id,
                answer_kind="instructions",
                answer_text="Nous appelons la personne.",
                answered_at=case.opened_at + timedelta(minutes=rng.uniform(4, 40)),
                created_at=case.opened_at + timedelta(minutes=1),
            )
        )
    session.add(
        Reply(
            brand_id=brand.id or 0,
            case_id=case.id or 0,
            mention_id=first.id,
            author_user_id=pools.cm.id,
            text=REPLY_TEXTS.get(case.language or "fr", REPLY_TEXTS["fr"]),
            approval_state="approved" if approved else "not_required",
            approver_role="brand" if approved else None,
            approved_at=answered - timedelta(minutes=1) if approved else None,
            outbox_state="sent",
            idempotency_key=uuid.UUID(int=rng.getrandbits(128)).hex,
            external_id=f"hist-reply-{case.id}",
            sent_at=answered,
            created_at=answered - timedelta(minutes=rng.uniform(20, 90) if approved else 1),
        )
    )
    if rng.random() < 0.3:
        score = rng.choices((5, 4, 3, 2, 1), weights=(45, 30, 12, 8, 5))[0]
        session.add(
            SurveyAnswer(
                brand_id=brand.id or 0,
                case_id=case.id or 0,
                channel=case.channel,
                handled_by_id=pools.cm.id,
                language=case.language or "fr",
                csat=score,
                nps=min(10, max(0, score * 2 + rng.choice((-1, 0, 0, 1)))),
                comment=rng.choice(("", "", "Réponse rapide, merci.", "Enfin une vraie réponse !")),
                answered_at=resolved + timedelta(hours=rng.uniform(1, 30)),
            )
        )


def _mention(
    brand: Brand, pools: _Pools, case: Case, author: Author, text: str, posted: datetime
) -> Mention:
    return Mention(
        brand_id=brand.id or 0,
        account_id=pools.account_id,
        platform="demo",
        channel=case.channel or "x",
        external_id=f"hist-{brand.slug}-{uuid.uuid4().hex[:16]}",
        author_id=author.id or 0,
        case_id=case.id,
        text=text,
        lang=case.language,
        posted_at=posted,
        ingested_at=posted,
        state="triaged",
    )


def _crisis_episode(session: Session, brand: Brand, lead_or_cm: User, day: datetime) -> None:
    """The strike afternoon, in the audit as crisis mode records it."""
    lead = session.exec(select(User).where(User.email == "lead@vigie.demo")).first() or lead_or_cm
    for action, hour, note in (
        ("crisis.started", 13, "Grève régionale : vague de messages sur les trains supprimés"),
        ("crisis.ended", 21, "Trafic rétabli"),
    ):
        session.add(
            AuditEvent(
                brand_id=brand.id,
                actor_id=lead.id,
                actor_label=lead.email,
                action=action,
                target_type="brand",
                target_id=brand.id,
                note=note,
                created_at=day + timedelta(hours=hour),
            )
        )
