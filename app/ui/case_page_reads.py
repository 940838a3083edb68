"""What the case page's templates read lazily, each kept for the request, and reading it ahead.

The page ends its read transaction before it renders (app/services/read_transactions.py): the
reads its templates would make on their own (the header's shift switch and crises, the scenario
labels, each mention's moderation requests) are made first, so the render reads nothing.
"""

from __future__ import annotations

from flask import g

from app.extensions import db
from app.models import Case, Mention
from app.services import moderation_actions
from app.services.case_view import CaseDetail
from app.ui import page_header
from app.ui.filters import scenario_labels


def mention_moderation(mention: Mention) -> moderation_actions.MentionModeration:
    """What the case page shows under a mention (computed once per case per request)."""
    if mention.case_id is None or mention.id is None:
        return moderation_actions.MentionModeration()
    cache = g.setdefault("_moderation", {})
    if mention.case_id not in cache:
        cache[mention.case_id] = moderation_actions.requested_by_mention(db(), mention.case_id)
    return moderation_actions.MentionModeration(
        moderation_actions.offered_on(mention), list(cache[mention.case_id].get(mention.id, []))
    )


def read_ahead(case: Case, detail: CaseDetail) -> None:
    """Make now the reads the case page's templates would make while rendering."""
    page_header.header_state()
    scenario_labels(case.brand_id)
    if detail.mentions:
        mention_moderation(detail.mentions[0].mention)
