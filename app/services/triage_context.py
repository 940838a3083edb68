"""Thread context for triage: the message a mention answers, and its author's recent history.

A reply is judged with its parent ("oui" under a threat is a threat) and an author's repeated
hostility may raise a severity (playbook conditions `context` and `author_history`). Ingest
triages in batches, so everything is gathered once per batch, in a fixed number of queries
whatever its size:
1. the batch's own reply references (`in_reply_to`);
2. the parents stored as mentions of the same account, with their latest triage;
3. the brand's own replies sent through Vigie (`Reply.external_id`), for the references still
   unresolved;
4. the last `HISTORY_DAYS` of triaged mentions of the batch's persons (every channel).
Decisions taken earlier in the same batch count too (`record`): a parent triaged a moment ago,
an author's third insult of the batch.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

import playbooks
from app.models import Author, Mention, Reply, Triage
from app.services import bulk

HISTORY_DAYS = 30  # the longest window a playbook's `author_history` may look at is shorter


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


@dataclass
class BatchContext:
    """Parents and histories of one batch; `for_mention` before deciding, `record` after."""

    person_of_author: dict[int, int]
    # mention id → (account id, parent external id)
    parent_ref: dict[int, tuple[int, str]] = field(default_factory=dict)
    # (account id, external id) → the parent as known now
    parents: dict[tuple[int, str], playbooks.ParentMention] = field(default_factory=dict)
    # mention id → its own (account id, external id): a later reply of the batch may answer it
    own_key: dict[int, tuple[int, str]] = field(default_factory=dict)
    history: dict[int, list[playbooks.PastMention]] = field(default_factory=dict)

    def for_mention(
        self, mention: Any
    ) -> tuple[playbooks.ParentMention | None, tuple[playbooks.PastMention, ...]]:
        """The parent (if known) and the history of the mention's person, for MentionInput."""
        ref = self.parent_ref.get(mention.id)
        parent = self.parents.get(ref) if ref is not None else None
        person = self.person_of_author.get(mention.author_id)
        past = self.history.get(person, []) if person is not None else []
        return parent, tuple(past)

    def record(self, mention: Any, decision: Any) -> Any:
        """A decision of this batch: later replies to it and later mentions of its author see
        it. Returns `decision` unchanged (to be used inline)."""
        categories = tuple(decision.categories or ())
        key = self.own_key.get(mention.id)
        if key is not None:
            self.parents[key] = playbooks.ParentMention(
                text=mention.text, severity=decision.severity, categories=categories
            )
        person = self.person_of_author.get(mention.author_id)
        if person is not None and mention.posted_at is not None:
            self.history.setdefault(person, []).append(
                playbooks.PastMention(_aware(mention.posted_at), decision.severity, categories)
            )
        return decision


def gather(
    session: Session,
    brand_id: int,
    mentions: Sequence[Any],
    authors: dict[int, Author],
    now: datetime,
    new_persons: Collection[int] = (),
) -> BatchContext:
    """Everything the batch's decisions may read about threads and authors (at most four
    queries; one fewer when the mentions come from triage's claim). `new_persons`: persons
    created by this transaction, who have no history (none read for them: a single push by a
    new author costs one statement less)."""
    person_of_author = {a_id: a.person_id for a_id, a in authors.items()}
    ctx = BatchContext(person_of_author)
    ids = [m.id for m in mentions]
    if not ids:
        return ctx
    refs: Sequence[Any]
    if all(hasattr(m, "in_reply_to") for m in mentions):  # triage's claim read them already
        refs = [(m.id, m.account_id, m.external_id, m.in_reply_to) for m in mentions]
    else:
        refs = session.exec(
            select(Mention.id, Mention.account_id, Mention.external_id, Mention.in_reply_to).where(
                bulk.one_of(session, Mention.id, ids)
            )
        ).all()
    by_account: dict[int, set[str]] = {}
    for mention_id, account_id, external_id, in_reply_to in refs:
        ctx.own_key[int(mention_id)] = (account_id, external_id)  # type: ignore[arg-type]
        if in_reply_to:
            ctx.parent_ref[int(mention_id)] = (account_id, in_reply_to)  # type: ignore[arg-type]
            by_account.setdefault(account_id, set()).add(in_reply_to)
    if by_account:
        # A parent in the batch itself counts (untriaged so far), even before its row is
        # inserted (a push inserts its mentions once triaged); its decision, once taken, too.
        texts = {ctx.own_key[m.id]: m.text for m in mentions}
        for ref in ctx.parent_ref.values():
            if ref in texts:
                ctx.parents[ref] = playbooks.ParentMention(text=texts[ref])
        _load_parents(session, brand_id, by_account, ctx)
    _load_history(session, brand_id, set(person_of_author.values()) - set(new_persons), now, ctx)
    return ctx


def _latest_triages(rows: Iterable[Any]) -> dict[int, Any]:
    """The latest triage per mention (a reviewer's correction wins over the engine's)."""
    latest: dict[int, Any] = {}
    for row in rows:
        known = latest.get(row.mention_id)
        if known is None or (row.created_at, row.id) > (known.created_at, known.id):
            latest[row.mention_id] = row
    return latest


def _load_parents(
    session: Session, brand_id: int, by_account: dict[int, set[str]], ctx: BatchContext
) -> None:
    wanted = {ext for exts in by_account.values() for ext in exts}
    found = session.exec(
        select(Mention.id, Mention.account_id, Mention.external_id, Mention.text).where(
            Mention.brand_id == brand_id,
            bulk.one_of(session, Mention.account_id, by_account),
            bulk.one_of(session, Mention.external_id, wanted),
        )
    ).all()
    parent_ids: dict[int, tuple[int, str, str]] = {
        int(mid): (acc, ext, text)  # type: ignore[arg-type]
        for mid, acc, ext, text in found
    }
    triages = _latest_triages(
        session.exec(
            select(*_TRIAGE_COLUMNS).where(  # type: ignore[call-overload]
                bulk.one_of(session, Triage.mention_id, parent_ids)
            )
        ).all()
        if parent_ids
        else ()
    )
    for mention_id, (account_id, external_id, text) in parent_ids.items():
        triage = triages.get(mention_id)
        ctx.parents[(account_id, external_id)] = playbooks.ParentMention(
            text=text,
            severity=triage.severity if triage is not None else None,
            categories=tuple(triage.categories or ()) if triage is not None else (),
        )
    # References left: the brand's own replies, posted through Vigie.
    missing = {
        (account_id, ext)
        for account_id, exts in by_account.items()
        for ext in exts
        if (account_id, ext) not in ctx.parents
    }
    if not missing:
        return
    replies = session.exec(
        select(Reply.external_id, Reply.text).where(
            Reply.brand_id == brand_id,
            bulk.one_of(session, Reply.external_id, {ext for _, ext in missing}),
        )
    ).all()
    texts = {ext: text for ext, text in replies}
    for account_id, ext in missing:
        if ext in texts:
            ctx.parents[(account_id, ext)] = playbooks.ParentMention(
                text=texts[ext], from_brand=True
            )


def _load_history(
    session: Session, brand_id: int, persons: set[int], now: datetime, ctx: BatchContext
) -> None:
    if not persons:
        return
    since = now - timedelta(days=HISTORY_DAYS)
    params = {"brand": brand_id, "persons": sorted(persons), "since": since}
    rows = session.connection().execute(_HISTORY, params).all()
    for row in sorted(_latest_triages(rows).values(), key=lambda r: r.posted_at):
        ctx.history.setdefault(row.person_id, []).append(
            playbooks.PastMention(_aware(row.posted_at), row.severity, tuple(row.categories or ()))
        )


# What `_latest_triages` reads of a triage.
_TRIAGE_COLUMNS = (
    Triage.id,
    Triage.mention_id,
    Triage.created_at,
    Triage.severity,
    Triage.categories,
)
# The triages of the given persons' mentions since a date; built once, read as rows.
_HISTORY = (
    select(*_TRIAGE_COLUMNS, Mention.posted_at, Author.person_id)  # type: ignore[call-overload]
    .join(Mention, col(Mention.id) == Triage.mention_id)
    .join(Author, col(Author.id) == Mention.author_id)
    .where(
        col(Mention.brand_id) == bindparam("brand"),
        bulk.in_param(col(Author.person_id), "persons"),
        col(Mention.posted_at) >= bindparam("since"),
    )
)
