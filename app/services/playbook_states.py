"""The playbook version lifecycle: draft → proposed → published → archived.

The only writer of `Playbook.status`. A web user never publishes directly: a draft is
proposed and someone else approves it (`app.services.playbook_reviews`). Only installs by
the system (shipped content, demo seeding, the CLI) publish a draft straight away.
"""

from __future__ import annotations

from app.models import Playbook

PLAYBOOK_MOVES: dict[str, frozenset[str]] = {
    "draft": frozenset({"proposed", "published"}),  # published: system installs only
    "proposed": frozenset({"published", "draft"}),  # approved, or rejected back to a draft
    "published": frozenset({"archived"}),
    "archived": frozenset(),  # a rollback re-publishes its text as a new version
}


class PlaybookStateError(ValueError):
    """A move the lifecycle does not allow (the caller checked too late: a bug or a race)."""


def move(playbook: Playbook, target: str) -> None:
    if target == playbook.status:
        return
    if target not in PLAYBOOK_MOVES.get(playbook.status, frozenset()):
        raise PlaybookStateError(f"playbook {playbook.id}: {playbook.status} → {target}")
    playbook.status = target
