"""A small known history for the report tests: five cases of one brand on one day.

Day D (yesterday, UTC) on brand A — what the figures must say is spelled out in the tests:
1. S2 mastodon "retard": opened 10:00, answered 10:30 by cm1 (due 11:00), closed 12:00.
2. S2 bluesky "retard": opened 11:00, answered 13:00 by cm2 (due 12:00: missed), closed 14:00;
   the person wrote again at 13:30 (not resolved at first contact).
3. S3 mastodon "insulte": opened 09:00, a reply approved by the brand 09:05 → 09:35, sent
   09:45 by cm1 (due 10:00); waiting for the person.
4. S4 mastodon "menace": opened 08:00, escalated 08:00, the brand answered 08:20, answered
   08:10 (due 08:30), closed 08:40 (no CM: the brand's on-call took it).
5. S1 mastodon, no scenario: opened 07:00, due 07:50, never answered.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from app.models import Brand, Case, Escalation, Mention, Reply, User, utcnow
from tests.factories import add_mention, make_case

_keys = itertools.count(1)


@dataclass
class History:
    day: datetime  # midnight UTC of day D
    cases: list[Case]


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day + timedelta(hours=hour, minutes=minute)


def _reply(session: Session, case: Case, author: User | None, sent: datetime, **extra) -> None:
    session.add(
        Reply(
            brand_id=case.brand_id,
            case_id=case.id,  # type: ignore[arg-type]
            text="Bonjour, nous regardons.",
            author_user_id=author.id if author else None,
            outbox_state="sent",
            sent_at=sent,
            idempotency_key=f"hist-{next(_keys)}-{case.id}",
            created_at=extra.pop("created_at", sent),
            **extra,
        )
    )


def seed(session: Session, brand: Brand, cm1: User, cm2: User) -> History:
    """The five cases above, committed."""
    day = datetime.combine(utcnow().date() - timedelta(days=1), datetime.min.time(), UTC)
    specs = [
        ("S2", "mastodon", "retard", 10, 0, (10, 30), (11, 0), (12, 0), "closed", False),
        ("S2", "bluesky", "retard", 11, 0, (13, 0), (12, 0), (14, 0), "closed", False),
        ("S3", "mastodon", "insulte", 9, 0, (9, 45), (10, 0), None, "waiting", True),
        ("S4", "mastodon", "menace", 8, 0, (8, 10), (8, 30), (8, 40), "closed", True),
        ("S1", "mastodon", None, 7, 0, None, (7, 50), None, "open", False),
    ]
    cases = []
    for (
        severity,
        channel,
        scenario,
        hour,
        minute,
        answered,
        due,
        closed,
        status,
        brand_asked,
    ) in specs:
        case = make_case(
            session, brand, severity=severity, scenario=scenario, channel=channel, status=status
        )
        case.opened_at = _at(day, hour, minute)
        case.first_response_at = _at(day, *answered) if answered else None
        case.due_at = _at(day, *due)
        case.resolved_at = _at(day, *closed) if closed else None
        case.involved_brand = brand_asked
        session.add(case)
        mention = session.get(Mention, case.decision_mention_id)
        assert mention is not None
        mention.posted_at = case.opened_at
        session.add(mention)
        cases.append(case)
    one, two, three, four, _five = cases
    _reply(session, one, cm1, _at(day, 10, 30))
    _reply(session, two, cm2, _at(day, 13, 0))
    later = add_mention(session, two, "Toujours rien ?")
    later.posted_at = _at(day, 13, 30)
    session.add(later)
    _reply(
        session,
        three,
        cm1,
        _at(day, 9, 45),
        created_at=_at(day, 9, 5),
        approver_role="brand",
        approval_state="approved",
        approved_at=_at(day, 9, 35),
    )
    session.add(
        Escalation(
            brand_id=four.brand_id,
            case_id=four.id,  # type: ignore[arg-type]
            reason="Menace",
            urgency="urgent",
            state="answered",
            created_at=_at(day, 8, 0),
            answered_at=_at(day, 8, 20),
        )
    )
    session.commit()
    return History(day=day, cases=cases)
