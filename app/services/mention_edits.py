"""Edited posts: a platform that gives an edit a new id (X) updates the stored mention.

X answers an edit with a new post id whose `edit_history_tweet_ids` lists the earlier ones;
the connector reports them in `FetchedMention.previous_ids`. The stored mention carrying an
earlier id takes the new id, text and JSON (replies then answer the latest version), and no
second mention (nor a second case) is stored.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.models import ConnectorAccount, Mention
from app.services import audit
from connectors import FetchedMention


def apply(
    session: Session, account: ConnectorAccount, items: Iterable[FetchedMention]
) -> list[FetchedMention]:
    """Update the mentions these items edit (no commit); return the items left to store."""
    items = list(items)
    edits = {pid: m for m in items if m.previous_ids for pid in m.previous_ids}
    if not edits:
        return items
    wanted = [*edits, *(m.external_id for m in edits.values())]
    stored = {
        m.external_id: m
        for m in session.exec(
            select(Mention).where(
                Mention.account_id == account.id, col(Mention.external_id).in_(wanted)
            )
        ).all()
    }
    applied: set[str] = set()
    for old_id, item in edits.items():
        mention = stored.get(old_id)
        if mention is None or item.external_id in applied:
            continue
        if item.external_id in stored:  # the new version is stored already: nothing to add
            applied.add(item.external_id)
            continue
        before = {"external_id": mention.external_id, "text": mention.text}
        mention.external_id = item.external_id
        mention.text = item.text
        mention.raw = item.raw
        mention.url = item.url
        session.add(mention)
        audit.case_event(
            session=session,
            case=audit.case_of(mention),
            action="mention.edited",
            target_type="mention",
            target_id=mention.id,
            actor_label="worker",
            before=before,
            after={"external_id": item.external_id, "text": item.text},
        )
        applied.add(item.external_id)
    return [m for m in items if m.external_id not in applied]
