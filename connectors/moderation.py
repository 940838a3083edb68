"""Moderation actions on a platform beyond hide: the vocabulary and what a connector offers.

A connector that can moderate declares `moderation_actions` (a subset of ACTIONS) and
implements `moderate(mention_raw, action)` and `moderation_status(mention_raw)`. The app's
worker carries actions out and, when an answer was lost, asks `moderation_status` before
sending again (`app/worker/moderation.py`). Actions here are idempotent on the platforms that
offer them (setting a status twice, banning twice), so a re-send after a check is harmless.

- hold: put the comment back in the held-for-review queue (invisible to the public);
- reject: remove it from public view for good;
- publish: make a held comment public;
- ban: reject it and refuse the author's future comments on the channel;
- delete: remove the comment from the platform for good (Meta). Reconciled by asking whether
  the comment still exists (`moderation_status` None: gone).

A connector may offer actions for some mentions only (a Meta message cannot be deleted):
it then defines `moderation_actions_for(mention_raw)`.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

ACTIONS = ("hold", "reject", "publish", "ban", "delete")
#: Actions that cannot be undone: a lead's or the brand's approval before the worker acts.
SENSITIVE = frozenset({"ban", "delete"})
#: The platform status each action leaves the comment in (for reconciliation).
RESULTING_STATUS: dict[str, str | None] = {
    "hold": "heldForReview",
    "reject": "rejected",
    "publish": "published",
    "ban": "rejected",
    "delete": None,  # gone from the platform
}


@runtime_checkable
class Moderates(Protocol):
    """A connector that carries out moderation actions."""

    moderation_actions: tuple[str, ...]

    def moderate(self, mention_raw: dict[str, Any], action: str) -> None:
        """Carry out `action` on the mention; ConnectorError subclasses on failure."""
        ...

    def moderation_status(self, mention_raw: dict[str, Any]) -> str | None:
        """The comment's status on the platform now (None: gone or not visible to us)."""
        ...


def actions_of(connector_class: type, mention_raw: dict[str, Any] | None = None) -> tuple[str, ...]:
    """The moderation actions a connector class offers (none for most platforms); given a
    mention's raw payload, those it offers on that mention."""
    per_mention = getattr(connector_class, "moderation_actions_for", None)
    if mention_raw is not None and per_mention is not None:
        return tuple(per_mention(mention_raw) or ())
    return tuple(getattr(connector_class, "moderation_actions", ()) or ())
