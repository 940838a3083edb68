"""What the case page shows of the customer's references, tone and wait (issue 20, parts 3, 4, 6).

References and sentiment are stored per mention at triage (``mention_extras.extras_of``); the
agency's replies are read here on the fly (built-in kinds only: they are the agency's words).
The customer's wait is computed on read: a case waiting on the brand (escalated) or on an
approval has had no news since the customer's last message or the last reply sent; after the
brand's delay (``answer_settings.ClockSettings.holding_update_minutes``, 4 h by default, set on
the brand's portal settings page) a holding update is due.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    cast,
    exists,
    false,
    func,
    or_,
    union_all,
)
from sqlmodel import Session, col, select

from app.models import Brand, Case, Mention, Reply
from app.services import answer_settings, canned_changes, case_states, crm_lookup
from app.services.bulk import in_param
from app.services.canned_changes import CannedSnapshot
from playbooks import references as refs_module

HOLDING_DEFAULT_MINUTES = 240
# The proofread canned reply the case page proposes for a holding update.
HOLDING_REPLY_KEY = "attente_retour_marque"
WAITING_STATUSES = frozenset({case_states.ESCALATED.value, case_states.PENDING_APPROVAL.value})
# Replies that reached (or are on their way to) the customer.
_SENT = ("sent", "sending", "queued")


def case_references(mentions: Sequence[Any], replies: Sequence[Reply] = ()) -> list[dict[str, str]]:
    """Every reference of a case, once each: the mentions' (stored) then the replies'."""
    seen: set[str] = set()
    found: list[dict[str, str]] = []

    def add(kind: str, value: str) -> None:
        key = value.replace(" ", "").replace("-", "").upper()
        if key and key not in seen:
            seen.add(key)
            label = refs_module.KIND_LABELS.get(kind, kind)
            found.append({"kind": kind, "value": value, "label": label})

    for view in mentions:
        for ref in getattr(view, "mention", view).customer_refs or []:
            add(str(ref.get("kind", "")), str(ref.get("value", "")))
    for reply in replies:
        for r in refs_module.extract(reply.text or ""):
            add(r.kind, r.value)
    return found


def reference_variables(references: Iterable[dict[str, str]]) -> dict[str, str]:
    """Canned-reply variables: {{ reference_commande }}, {{ reference_reservation }},
    {{ numero_train }}… the first reference of each kind, and {{ reference }} the first of all."""
    values: dict[str, str] = {}
    for ref in references:
        kind, value = ref["kind"], ref["value"]
        values.setdefault("reference", value)
        for name in refs_module.KIND_VARIABLES.get(kind, (f"reference_{kind}",)):
            values.setdefault(name, value)
    return values


def case_sentiment(mentions: Sequence[Any]) -> str | None:
    """The tone of the customer's latest message that has one."""
    for view in reversed(mentions):
        sentiment = getattr(view, "mention", view).sentiment
        if sentiment:
            return str(sentiment)
    return None


@dataclass(frozen=True)
class Waiting:
    """How long the customer has had no news, and whether a holding update is due."""

    since: datetime
    minutes: int
    due: bool


def holding_delay(brand: Brand | None) -> int:
    """The brand's delay before a holding update, in minutes (its portal settings; 4 h)."""
    if brand is None:
        return HOLDING_DEFAULT_MINUTES
    try:
        return answer_settings.clock_settings(brand).holding_update_minutes
    except (TypeError, ValueError):  # a malformed stored value: the default
        return HOLDING_DEFAULT_MINUTES


# The customer's last message and the last reply sent, per case, in one statement built once
# (every queue page and poll makes it; building it cost about as much CPU as running it).
_LATEST: Any = union_all(
    select(col(Mention.case_id).label("case_id"), func.max(Mention.posted_at).label("at"))
    .where(in_param(col(Mention.case_id), "ids"))
    .group_by(col(Mention.case_id)),
    select(col(Reply.case_id).label("case_id"), func.max(Reply.created_at).label("at"))
    .where(in_param(col(Reply.case_id), "ids"), col(Reply.outbox_state).in_(_SENT))
    .group_by(col(Reply.case_id)),
)


def waiting_for(
    session: Session, cases: Sequence[Case], brands: dict[int, Brand], now: datetime
) -> dict[int, Waiting]:
    """For the cases waiting on the brand or an approval: the customer's wait (one query)."""
    ids = [c.id for c in cases if c.status in WAITING_STATUSES and c.id is not None]
    if not ids:
        return {}
    latest: dict[int, list[datetime]] = {}
    for case_id, at in session.exec(_LATEST, params={"ids": ids}):  # type: ignore[call-overload]
        if at is not None:
            latest.setdefault(case_id, []).append(at)
    result: dict[int, Waiting] = {}
    delays: dict[int, int] = {}
    for case in cases:
        if case.id not in ids:
            continue
        moments = latest.get(case.id, [])
        since = _aware(max(moments, key=_aware)) if moments else _aware(case.opened_at)
        minutes = max(0, int((_aware(now) - since) / timedelta(minutes=1)))
        delay = delays.get(case.brand_id)
        if delay is None:  # read from the brand's settings once per brand, not per case
            delay = delays[case.brand_id] = holding_delay(brands.get(case.brand_id))
        result[case.id] = Waiting(since, minutes, minutes >= delay)  # type: ignore[index]
    return result


def holding_due_condition(session: Session, now: datetime) -> ColumnElement[bool]:
    """A queue condition: the case waits on the brand or an approval and the customer has had
    no news (no message of theirs, no reply sent) for longer than their brand's delay.

    The same rule as ``waiting_for``, in SQL: one branch per brand, since each brand sets its
    own delay (brands are few; cases are many).
    """
    brands = session.exec(select(Brand)).all()
    branches = []
    for brand in brands:
        threshold = now - timedelta(minutes=holding_delay(brand))
        newer_message = exists().where(
            col(Mention.case_id) == Case.id, col(Mention.posted_at) > threshold
        )
        any_message = exists().where(col(Mention.case_id) == Case.id)
        newer_reply = exists().where(
            col(Reply.case_id) == Case.id,
            col(Reply.outbox_state).in_(_SENT),
            col(Reply.created_at) > threshold,
        )
        branches.append(
            and_(
                col(Case.brand_id) == brand.id,
                or_(any_message, col(Case.opened_at) <= threshold),
                ~newer_message,
                ~newer_reply,
            )
        )
    return and_(col(Case.status).in_(WAITING_STATUSES), or_(false(), *branches))


def reference_search(q: str) -> Any | None:
    """A queue condition: a mention of the case carries a reference containing `q` (None when
    `q` cannot be a reference: under 4 characters or without a digit)."""
    q = q.strip()
    if len(q) < 4 or not any(ch.isdigit() for ch in q):
        return None
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return exists().where(
        col(Mention.case_id) == Case.id,
        col(Mention.brand_id) == Case.brand_id,
        cast(col(Mention.customer_refs), String).ilike(pattern, escape="\\"),
    )


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass
class CasePanel:
    """What the case page adds: references (case and person), tone, wait, holding reply."""

    references: list[dict[str, str]]
    person_references: list[dict[str, str]]
    sentiment: str | None
    waiting: Waiting | None
    holding_reply: CannedSnapshot | None
    crm: bool = False  # the brand has a CRM endpoint: the person panel asks it (case_crm)


def case_panel(session: Session, detail: Any, now: datetime) -> CasePanel:
    """The case page's references, tone and wait, from the loaded `case_view.CaseDetail`."""
    case: Case = detail.case
    references = case_references(detail.mentions, detail.replies)
    waiting = waiting_for(session, [case], {case.brand_id: detail.brand}, now).get(case.id or 0)
    holding = None
    if waiting is not None and waiting.due:
        # The brand's approved (proofread) holding update, in the case's language if it has one.
        candidates = [
            c
            for c in canned_changes.brand_replies(session, case.brand_id)
            if c.key.endswith(HOLDING_REPLY_KEY) and c.status == "approved"
        ]
        holding = next(
            (c for c in candidates if c.language == (case.language or "fr")),
            candidates[0] if candidates else None,
        )
    return CasePanel(
        references=references,
        person_references=_person_references(session, detail, {r["value"] for r in references}),
        sentiment=case_sentiment(detail.mentions),
        waiting=waiting,
        holding_reply=holding,
        crm=crm_lookup.crm_settings(detail.brand) is not None,
    )


# The references only (plain rows: the mentions' other columns, their raw payload above all,
# were read and decoded for nothing), in a statement built once.
_OTHER_REFERENCES: Any = (
    select(col(Mention.id), col(Mention.customer_refs))
    .where(
        in_param(col(Mention.author_id), "author_ids"),
        Mention.brand_id == bindparam("brand_id"),
        col(Mention.case_id) != bindparam("case_id"),
        col(Mention.customer_refs).is_not(None),
    )
    .order_by(col(Mention.posted_at).desc())
    .limit(50)
)


def _person_references(session: Session, detail: Any, known: set[str]) -> list[dict[str, str]]:
    """References the same person gave in their other cases with this brand (latest first)."""
    author_ids = [a.id for a in detail.authors if a.id is not None]
    if not author_ids:
        return []
    params = {"author_ids": author_ids, "brand_id": detail.case.brand_id, "case_id": detail.case.id}
    rows = session.exec(_OTHER_REFERENCES, params=params).all()  # type: ignore[call-overload]
    found = [r for r in case_references(rows) if r["value"] not in known]
    return found[:10]
