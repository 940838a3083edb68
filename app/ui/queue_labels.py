"""The queue row's fixed words, translated once a request instead of on each row.

A queue page or its 10 s poll renders up to 100 rows (a page of cases and the watched
escalations), each saying a dozen labels: through Jinja's `_()` they were a third of the
rendering. The row template reads them from this dict (same strings, same catalogue), and the
request's CSRF token for its claim button from it too (one `csrf_token()` a request).
"""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.ui.i18n import translations

ROW_LABELS = {
    "brand": _l("Marque"),
    "channel": _l("Canal"),
    "author": _l("Auteur"),
    "message": _l("Message"),
    "severity": _l("Gravité"),
    "scenario": _l("Scénario"),
    "due": _l("Délai"),
    "held_by": _l("Pris par"),
    "urgent_escalated": _l("Urgent · escaladé, la marque s'en occupe"),
    "escalated": _l("Escaladé, la marque s'en occupe"),
    "pinned": _l("Épinglé"),
    "holding_due": _l("relance due"),
    "no_text": _l("(sans texte)"),
    "influence": _l("influence"),
    "claim": _l("Prendre"),
    "nobody": _l("personne"),
}


def queue_row_labels() -> dict[str, str]:
    """The row labels in the request's language (as Jinja's `_()` gives them: markup-safe),
    and "csrf": the request's CSRF token."""
    current = translations()
    held = g.get("_queue_row_labels")
    if held is None or held[0] is not current:
        labels: dict[str, str] = {key: Markup(str(text)) for key, text in ROW_LABELS.items()}
        labels["csrf"] = generate_csrf()  # the same token all through the request
        held = g._queue_row_labels = (current, labels)
    return held[1]
