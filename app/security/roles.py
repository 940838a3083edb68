"""What each role may do. Roles are held per brand through memberships."""

from __future__ import annotations

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {
            "admin.manage",
            "queue.view",
            "case.work",
            "case.lead",
            "approve.lead",
            "moderate.delete",
            "playbook.edit",
            "reports.view",
            "audit.view",
        }
    ),
    "lead": frozenset(
        {
            "queue.view",
            "case.work",
            "case.lead",
            "approve.lead",
            "moderate.delete",
            "reports.view",
            "audit.view",
        }
    ),
    "community_manager": frozenset({"queue.view", "case.work"}),
    "playbook_editor": frozenset({"playbook.edit", "queue.view"}),
    "brand_owner": frozenset({"portal.view", "approve.brand", "reports.view", "audit.view"}),
}

ROLE_LABELS = {
    "admin": "Administrateur",
    "lead": "Superviseur",
    "community_manager": "Community manager",
    "playbook_editor": "Éditeur de playbooks",
    "brand_owner": "Responsable marque",
}


def roles_with(permission: str) -> frozenset[str]:
    """The roles that grant a permission."""
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if permission in perms)
