"""Reading a case: its mentions with authors and triage, the decisive mention, the case page's
read model and the timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, or_
from sqlmodel import Session, col, select

from app.models import (
    AuditEvent,
    Author,
    Brand,
    Case,
    Mention,
    Person,
    Reply,
    Triage,
    User,
)
from app.services import grouping
from app.services.batch_get import get_many
from app.services.bulk import in_param
from app.services.latest_triage import ENGINE_LANGUAGE, LATEST_TRIAGE_ID


@dataclass
class MentionView:
    mention: Mention
    author: Author | None
    triage: Triage | None
    engine_language: str | None = None  # what the engine's latest triage detected (the gate's)


@dataclass
class CaseDetail:
    """Everything the case page shows, loaded in a handful of queries."""

    case: Case
    brand: Brand
    mentions: list[MentionView]
    person: Person | None
    authors: list[Author]
    triage: Triage | None  # the decisive mention's: explanation and suggested replies
    decisive: MentionView | None
    earlier_cases: list[Any]  # rows of _EARLIER_CASES' columns (id, opened_at, severity…)
    earlier_replies: list[Any]  # rows of (created_at, text)
    replies: list[Reply]
    timeline: list[AuditEvent]
    assignee: User | None
    mention_count: int = 0  # all of the case's mentions; `mentions` holds the latest page
    older_cursor: str | None = None  # set when older mentions exist ("voir plus")
    pinned_decisive: MentionView | None = None  # the decisive mention when not in the page


# A viral thread of 3,000 mentions rendered in 628 ms and 3.5 MB: the case page shows the
# latest mentions (and the decisive one) and loads older ones on demand, by keyset.
MENTIONS_PAGE = 50


@dataclass
class MentionPage:
    views: list[MentionView]  # in posting order
    older_cursor: str | None  # position of the oldest shown, when older ones exist


def encode_mention_cursor(mention: Mention) -> str:
    return f"{mention.posted_at.isoformat()}|{mention.id}"


def decode_mention_cursor(raw: str) -> tuple[datetime, int] | None:
    """The keyset position, or None when the cursor is malformed (the view answers 400)."""
    try:
        posted, mention_id = raw.split("|")
        when = datetime.fromisoformat(posted)
        return (when, int(mention_id)) if when.tzinfo is not None else None
    except ValueError:
        return None


def mention_page(
    *,
    session: Session,
    case: Case,
    before: tuple[datetime, int] | None = None,
    limit: int = MENTIONS_PAGE,
) -> MentionPage:
    """The `limit` latest mentions of the case posted before the cursor, in posting order."""
    statement = (
        _PAGE_STATEMENTS[before is not None]
        if limit == MENTIONS_PAGE
        else _page_statement(limit, older=before is not None)
    )
    params: dict[str, Any] = {"case_id": case.id, "brand_id": case.brand_id}
    if before is not None:
        params |= {"before_posted": before[0], "before_id": before[1]}
    found = list(session.exec(statement, params=params))
    has_older = len(found) > limit
    found = found[:limit][::-1]
    views = [MentionView(*row) for row in found]
    cursor = encode_mention_cursor(views[0].mention) if has_older and views else None
    return MentionPage(views, cursor)


def _page_statement(limit: int, *, older: bool) -> Any:
    """Each mention of the case with its author, its latest triage and the language its
    engine's latest triage detected, newest first, in one statement (a case page's first
    read: two before); the case, and the position older ones start before, as parameters."""
    posted, ident = col(Mention.posted_at), col(Mention.id)
    statement = (
        select(Mention, Author, Triage, ENGINE_LANGUAGE)
        .outerjoin(Author, col(Author.id) == Mention.author_id)
        .outerjoin(Triage, col(Triage.id) == LATEST_TRIAGE_ID)
        .where(Mention.case_id == bindparam("case_id"), Mention.brand_id == bindparam("brand_id"))
    )
    if older:
        when: Any = bindparam("before_posted")
        below: Any = bindparam("before_id")
        statement = statement.where(or_(posted < when, and_(posted == when, ident < below)))
    return statement.order_by(posted.desc(), ident.desc()).limit(limit + 1)


# Built once, like the subqueries: building this statement cost about a millisecond of CPU.
_PAGE_STATEMENTS = {older: _page_statement(MENTIONS_PAGE, older=older) for older in (False, True)}


def mention_count(*, session: Session, case: Case) -> int:
    return session.exec(
        select(func.count())
        .select_from(Mention)
        .where(Mention.case_id == case.id, Mention.brand_id == case.brand_id)
    ).one()


def case_mentions(*, session: Session, case: Case) -> list[MentionView]:
    """The case's mentions in posting order, each with its author and latest triage."""
    mentions = list(
        session.exec(
            select(Mention)
            .where(Mention.case_id == case.id, Mention.brand_id == case.brand_id)
            .order_by(col(Mention.posted_at), col(Mention.id))
        ).all()
    )
    return _with_authors_and_triage(session, mentions)


def _with_authors_and_triage(
    session: Session, mentions: list[Mention], authors: dict[int | None, Author] | None = None
) -> list[MentionView]:
    """The mentions with their authors (read now unless given) and latest triage."""
    ids = [m.id for m in mentions]
    if authors is None:
        author_ids = {m.author_id for m in mentions}
        authors = {
            a.id: a for a in session.exec(select(Author).where(col(Author.id).in_(author_ids)))
        }
    latest: dict[int, Triage] = {}
    engine: dict[int, str | None] = {}
    for row in session.exec(
        select(Triage)
        .where(col(Triage.mention_id).in_(ids))
        .order_by(col(Triage.created_at), col(Triage.id))
    ):
        latest[row.mention_id] = row
        if row.source == "engine":
            engine[row.mention_id] = row.language
    return [
        MentionView(m, authors.get(m.author_id), latest.get(m.id or 0), engine.get(m.id or 0))
        for m in mentions
    ]


_PERSON_AND_AUTHORS = (
    select(Person, Author)
    .outerjoin(
        Author,
        (col(Author.person_id) == Person.id) & (col(Author.brand_id) == bindparam("brand_id")),
    )
    .where(Person.id == bindparam("person_id"), Person.brand_id == bindparam("brand_id"))
    .order_by(col(Author.id))
)


def _person_and_authors(session: Session, case: Case) -> tuple[Person | None, list[Author]]:
    """The case's person (of the case's brand) and their accounts there, in one statement."""
    if not case.person_id:
        return None, []
    params = {"person_id": case.person_id, "brand_id": case.brand_id}
    rows = session.exec(_PERSON_AND_AUTHORS, params=params).all()
    if not rows:
        return None, []
    return rows[0][0], [author for _, author in rows if author is not None]


# The case page's statements, built once with their values as parameters: building one cost
# about as much CPU as running it (the mentions' statement: a millisecond).
# The person's earlier cases and replies as the person panel shows them (cases/_person.html):
# plain rows of those columns, not Cases and Replies (their ~70 columns described, decoded and
# mapped for five).
_EARLIER_CASES = (
    select(  # type: ignore[call-overload]  # five columns: past sqlmodel's overloads
        col(Case.id), col(Case.opened_at), col(Case.severity), col(Case.channel), col(Case.excerpt)
    )
    .where(
        Case.person_id == bindparam("person_id"),
        Case.brand_id == bindparam("brand_id"),
        Case.id != bindparam("case_id"),
    )
    .order_by(col(Case.opened_at).desc())
    .limit(20)
)
_EARLIER_REPLIES = (
    select(col(Reply.created_at), col(Reply.text))
    .where(in_param(col(Reply.case_id), "case_ids"))
    .order_by(col(Reply.created_at).desc())
    .limit(20)
)
_REPLIES = (
    select(Reply).where(Reply.case_id == bindparam("case_id")).order_by(col(Reply.created_at))
)
_TIMELINE = (
    select(AuditEvent)
    .where(AuditEvent.case_id == bindparam("case_id"), AuditEvent.brand_id == bindparam("brand_id"))
    .order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())
    .limit(200)
)


def case_detail(*, session: Session, case: Case) -> CaseDetail:
    """Load the case page: mentions, person and history, triage, replies, timeline."""
    brand = session.get(Brand, case.brand_id)
    assert brand is not None
    page = mention_page(session=session, case=case)
    mentions = page.views
    person, authors = _person_and_authors(session, case)
    earlier_cases: list[Any] = []
    earlier_replies: list[Any] = []
    if person is not None:
        earlier_cases = list(
            session.exec(
                _EARLIER_CASES,
                params={"person_id": person.id, "brand_id": case.brand_id, "case_id": case.id},
            )
        )
        if earlier_cases:
            ids = [c.id for c in earlier_cases]
            earlier_replies = list(session.exec(_EARLIER_REPLIES, params={"case_ids": ids}))
    decisive = _decisive(session, case, page)
    replies = list(session.exec(_REPLIES, params={"case_id": case.id}))
    events = timeline(session=session, case=case)
    # The page names one user, the holder (the timeline its actors' labels): usually the
    # signed-in CM, whom the session holds already.
    assignee = get_many(session, User, [case.assignee_id]).get(case.assignee_id or 0)
    return CaseDetail(
        case=case,
        brand=brand,
        mentions=mentions,
        person=person,
        authors=authors,
        triage=decisive.triage if decisive else None,
        decisive=decisive,
        earlier_cases=earlier_cases,
        earlier_replies=earlier_replies,
        replies=replies,
        timeline=events,
        assignee=assignee,
        # The page holds every mention unless older ones exist: then count them.
        mention_count=(
            len(mentions)
            if page.older_cursor is None
            else mention_count(session=session, case=case)
        ),
        older_cursor=page.older_cursor,
        pinned_decisive=(
            decisive
            if decisive is not None and all(v.mention.id != decisive.mention.id for v in mentions)
            else None
        ),
    )


def _decisive(session: Session, case: Case, page: MentionPage) -> MentionView | None:
    """The decisive mention, from the page when it is there, else loaded on its own."""
    if case.decision_mention_id:
        for view in page.views:
            if view.mention.id == case.decision_mention_id:
                return view
        mention = session.get(Mention, case.decision_mention_id)
        if mention is not None and mention.case_id == case.id and mention.brand_id == case.brand_id:
            return _with_authors_and_triage(session, [mention])[0]
    if page.older_cursor is None:  # the page holds every mention
        return decisive_mention(case, page.views)
    return decisive_mention(case, case_mentions(session=session, case=case))  # older cases


def _rank(triage: Triage) -> tuple[int, int]:
    return grouping.SEVERITY_RANK[triage.severity], grouping.ACTION_RANK.get(triage.action, 0)


def decisive_mention(case: Case, mentions: Sequence[MentionView]) -> MentionView | None:
    """The mention that sets the case's decision: the recorded one, else the most serious.

    Cases older than the record fall back to their most serious mention (the first of them),
    never to their newest.
    """
    for view in mentions:
        if view.mention.id == case.decision_mention_id:
            return view
    best: MentionView | None = None
    for view in mentions:
        if view.triage is not None and (best is None or _rank(view.triage) > _rank(best.triage)):  # type: ignore[arg-type]
            best = view
    return best


def decisive_mentions(*, session: Session, cases: Iterable[Case]) -> dict[int, Mention]:
    """The mention that sets each case's decision, by case id (approval and escalation cards)."""
    cases = [c for c in cases if c.id is not None]
    ids = [c.decision_mention_id for c in cases if c.decision_mention_id]
    found = {m.id: m for m in session.exec(select(Mention).where(col(Mention.id).in_(ids)))}
    result: dict[int, Mention] = {}
    for case in cases:
        mention = found.get(case.decision_mention_id)
        if mention is not None and mention.case_id == case.id:
            result[case.id] = mention  # type: ignore[index]
            continue
        view = decisive_mention(case, case_mentions(session=session, case=case))
        if view is not None:
            result[case.id] = view.mention  # type: ignore[index]
    return result


def timeline(*, session: Session, case: Case) -> list[AuditEvent]:
    """The case's audit events, newest first."""
    return list(session.exec(_TIMELINE, params={"case_id": case.id, "brand_id": case.brand_id}))


def evidence_spans(triage: Triage | None) -> list[list[int]]:
    """Character spans of the words the playbook matched, for highlighting."""
    if triage is None:
        return []
    spans: list[list[int]] = []
    for item in triage.evidence or []:
        for span in item.get("spans") or []:
            if isinstance(span, list | tuple) and len(span) == 2:
                spans.append([int(span[0]), int(span[1])])
    return spans
