"""The navigation bar: one entry per built area, shown to the roles that may use it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.security.access import BrandScope


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    permission: str | None


# Areas register here when they are built; nothing unbuilt is ever linked.
NAV_ITEMS: list[NavItem] = [
    NavItem("home.index", _l("Tableau de bord"), None),
    NavItem("queue.index", _l("File d'attente"), "queue.view"),
    NavItem("playbooks.index", _l("Playbooks"), "playbook.edit"),
    NavItem("canned_replies.index", _l("Réponses types"), "playbook.edit"),
    NavItem("portal.index", _l("Portail marque"), "portal.view"),
    NavItem("reports.index", _l("Rapports"), "reports.view"),
    NavItem("audit.index", _l("Journal d'audit"), "audit.view"),
    NavItem("admin.brands_list", _l("Marques"), "admin.manage"),
    NavItem("admin.users_list", _l("Utilisateurs"), "admin.manage"),
    NavItem("admin.accounts_list", _l("Comptes connectés"), "admin.manage"),
]


def register(item: NavItem, before: str | None = None) -> None:
    """Add an area to the navigation (optionally before another endpoint)."""
    if any(existing.endpoint == item.endpoint for existing in NAV_ITEMS):
        return
    index = next((i for i, it in enumerate(NAV_ITEMS) if it.endpoint == before), len(NAV_ITEMS))
    NAV_ITEMS.insert(index, item)


def navigation_for(scope: BrandScope | None) -> list[NavItem]:
    if scope is None or scope.user_id is None:
        return []
    return [item for item in NAV_ITEMS if item.permission is None or scope.can(item.permission)]
