"""Finding references and tone in mentions stored before triage extracted them (issue 20).

Triage stores each new mention's references and sentiment (``mention_extras.extras_of``).
Mentions from before that, or from before the brand added reference patterns to its playbook,
are read again here in batches by id, with the brand's published patterns. Re-running is
harmless: the values depend only on the text and the patterns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import String, cast, or_, update
from sqlmodel import Session, col, select

from app.models import Brand, Mention
from app.services import content, queue_changes
from app.services.mention_extras import extras_of

BATCH = 500


@dataclass(frozen=True)
class BackfillResult:
    examined: int
    with_references: int


def backfill_references(
    session: Session,
    brand: Brand,
    *,
    everything: bool = False,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> BackfillResult:
    """Extract references (and tone) for the brand's mentions that never had them read
    (`everything`: all of its mentions, after the playbook's patterns changed). One commit per
    batch, so a long run can stop and resume where it was."""
    published = content.published_playbook(session=session, brand_id=brand.id or 0)
    patterns = published[1].spec.references if published is not None else ()
    examined = found = 0
    after = 0
    while True:
        query = select(Mention).where(Mention.brand_id == brand.id, col(Mention.id) > after)
        if not everything:
            # Never read: SQL NULL (rows older than the column) or JSON null (the ORM default).
            refs = col(Mention.customer_refs)
            query = query.where(or_(refs.is_(None), cast(refs, String) == "null"))
        rows = session.exec(query.order_by(col(Mention.id)).limit(batch)).all()
        if not rows:
            break
        extras = extras_of(rows, patterns)
        changes = queue_changes.declare(update(Mention), [brand.id])  # type: ignore[list-item]
        session.execute(changes, extras)
        session.commit()
        examined += len(rows)
        found += sum(1 for e in extras if e["customer_refs"])
        after = rows[-1].id or after
        if progress is not None:
            progress(examined)
    return BackfillResult(examined=examined, with_references=found)
