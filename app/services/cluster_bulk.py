"""Bulk moderation of a wave: hide, close or mark as spam a selection of a brand's mentions.

Each mention and case goes through the same service as one by hand (``casework``), so the
claim, the lock and the audit apply to each; what could not be done is counted, not fatal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import Brand, Case, Mention, User, utcnow
from app.services import audit, casework
from app.services.claims import CaseworkError

ACTIONS = ("hide", "close", "spam")


@dataclass
class BulkResult:
    done: int = 0
    skipped: int = 0


def apply(
    *,
    session: Session,
    brand: Brand,
    actor: User,
    action: str,
    mention_ids: Sequence[int],
    cluster_id: int | None = None,
    now: datetime | None = None,
) -> BulkResult:
    """Hide the mentions, or close their cases (as spam: hidden too); no commit."""
    if action not in ACTIONS:
        raise CaseworkError("unknown bulk action")
    now = now or utcnow()
    rows = session.exec(  # type: ignore[call-overload]
        select(Mention, Case)
        .join(Case, col(Case.id) == col(Mention.case_id))
        .where(col(Mention.id).in_(list(mention_ids)), Mention.brand_id == brand.id)
        .order_by(col(Case.id), col(Mention.id))
    ).all()
    result = BulkResult()
    seen: set[int] = set()
    for mention, case in rows:
        if action != "hide" and case.id in seen:
            continue
        seen.add(case.id or 0)
        try:
            with session.begin_nested():
                if action == "hide":
                    casework.hide_mention(session=session, case=case, mention=mention, actor=actor)
                else:
                    casework.close(
                        session=session, case=case, actor=actor, spam=action == "spam", now=now
                    )
        except CaseworkError:
            result.skipped += 1
        else:
            result.done += 1
    audit.record(
        session=session,
        action=f"cluster.bulk_{action}",
        target_type="cluster" if cluster_id else "brand",
        target_id=cluster_id or brand.id,
        brand_id=brand.id,
        actor=actor,
        after={"done": result.done, "skipped": result.skipped, "mentions": len(rows)},
    )
    return result
