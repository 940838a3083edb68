"""The brand owner's part in four-eyes publishing: proposed playbook versions in the portal.

A template global of the ``portal`` blueprint; ``app/views/__init__.py`` imports this module so
that it is registered. Versions that change the delegation come first: only the brand decides
them. The owner opens the review page (``playbook_reviews.show``) to read the diff and decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g

from app.extensions import db
from app.models import Brand, Playbook, PlaybookReview
from app.services import playbook_reviews
from app.views.portal import bp


@dataclass
class PortalProposal:
    review: PlaybookReview
    playbook: Playbook | None


def brand_playbook_reviews(brand: Brand) -> list[PortalProposal]:
    """Proposals of this brand's playbook the owner may decide, delegation changes first."""
    if brand.id is None or not g.scope.can(playbook_reviews.APPROVE_BRAND, brand.id):
        return []
    rows = playbook_reviews.pending(db(), [brand.id])
    rows.sort(key=lambda r: (not r.needs_brand, r.proposed_at))
    return [PortalProposal(r, db().get(Playbook, r.playbook_id)) for r in rows]


bp.add_app_template_global(brand_playbook_reviews, "brand_playbook_reviews")
