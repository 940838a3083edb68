"""How platforms and their moderation actions are named in the console."""

from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

#: Display names of the channels (the stored codes are kept in URLs and exports).
CHANNEL_NAMES = {
    "x": "X",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "google_business": "Avis Google",
    "webhook": "Webhook",
    "demo": "Démo",
}
#: A short mark shown before the name (text, so it needs no image and reads in any theme).
CHANNEL_ICONS = {
    "x": "𝕏",
    "mastodon": "🐘",
    "bluesky": "🦋",
    "facebook": "f",
    "instagram": "◎",
    "youtube": "▶",
    "google_business": "★",
}

MODERATION_ACTION_LABELS = {
    "hold": _l("Mettre en attente d'examen"),
    "reject": _l("Rejeter"),
    "publish": _l("Publier"),
    "ban": _l("Rejeter et bannir l'auteur"),
    "delete": _l("Supprimer le commentaire"),
}
MODERATION_STATE_LABELS = {
    "awaiting_approval": _l("attend un accord"),
    "pending": _l("en cours"),
    "done": _l("appliquée"),
    "failed": _l("échec"),
    "unsupported": _l("impossible sur cette plateforme"),
    "refused": _l("refusée"),
    "cancelled": _l("annulée"),
}


def channel_name(channel: str | None) -> str:
    """'google_business' → 'Avis Google'; unknown channels (a webhook's own) as they are."""
    return CHANNEL_NAMES.get(channel or "", channel or "—")


@lru_cache(maxsize=256)
def channel_badge(channel: str | None) -> Markup:
    """The channel as a badge with its mark, e.g. ▶ YouTube (the same for every row of a
    channel: made once per channel, the queue shows it on each of its 50 rows)."""
    name = channel_name(channel)
    icon = CHANNEL_ICONS.get(channel or "")
    return Markup('<span class="badge channel channel-{}" title="{}">{}{}</span>').format(
        channel or "unknown", name, f"{icon} " if icon else "", name
    )


def moderation_action_label(action: str) -> str:
    return str(MODERATION_ACTION_LABELS.get(action, action))


def moderation_state_label(state: str) -> str:
    return str(MODERATION_STATE_LABELS.get(state, state))


def init_platform_filters(app) -> None:  # type: ignore[no-untyped-def]
    app.jinja_env.filters["channel_name"] = channel_name
    app.jinja_env.filters["channel_badge"] = channel_badge
    app.jinja_env.filters["moderation_action_label"] = moderation_action_label
    app.jinja_env.filters["moderation_state_label"] = moderation_state_label
