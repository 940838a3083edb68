"""Jinja filters for dates and durations in the user's language."""

from __future__ import annotations

import threading
from datetime import date, datetime
from urllib.parse import urlsplit

from babel.dates import TIMEDELTA_UNITS
from flask import Flask, g
from flask_babel import format_date, format_datetime, format_timedelta, get_locale, get_timezone
from markupsafe import Markup

from app.models import utcnow
from app.security.outbound import redact
from app.ui import playbook_issues
from app.ui.labels import audit_label, decision_label, field_label

SHORT_PATTERNS = {"en": "MMM d, y, h:mm a"}  # French (the default): "d MMM y, HH:mm"


# Texts of `datetime_short` by (moment, language, timezone): a case page shows a dozen dates
# (mentions, replies, the history), the same ones to every CM who opens the case, and Babel's
# formatting was a twentieth of the page's CPU.
_SHORT_TEXTS: dict[tuple[datetime, str, str], str] = {}
SHORT_MAX_ENTRIES = 8192
_SHORT_LOCK = threading.Lock()


def datetime_short(value: datetime | None) -> str:
    """'23 nov. 2026, 14:05' (or 'Nov 23, 2026, 2:05 PM') in the UI's language and timezone."""
    if value is None:
        return ""
    locale = str(get_locale())
    key = (value, locale, str(get_timezone()))
    text = _SHORT_TEXTS.get(key)
    if text is None:
        text = format_datetime(value, SHORT_PATTERNS.get(locale, "d MMM y, HH:mm"))
        with _SHORT_LOCK:
            if len(_SHORT_TEXTS) >= SHORT_MAX_ENTRIES:
                _SHORT_TEXTS.clear()
            _SHORT_TEXTS[key] = text
    return text


def format_month(value: date) -> str:
    """'novembre 2026' / 'November 2026' in the UI's language."""
    return format_date(value, "LLLL y")


def at_handle(handle: str | None) -> str:
    """'alice', '@alice' and 'alice@m.social' shown as '@alice', '@alice', '@alice@m.social'.

    A Facebook author has a name, not a handle ('Marie Dupont'): shown as it is."""
    if handle and " " in handle.strip():
        return handle.strip()
    return "@" + (handle or "").lstrip("@")


# Texts of `relative` by (language, unit, count, future): a queue page shows ~100 countdowns
# and Babel's formatting was a third of what deciding whether a kept row was current cost.
_RELATIVE_TEXTS: dict[tuple[str, str, int, bool], str] = {}
_RELATIVE_LOCK = threading.Lock()
RELATIVE_MAX_ENTRIES = 4096


def relative(
    value: datetime | None, *, now: datetime | None = None, locale: str | None = None
) -> str:
    """'il y a 5 minutes' / 'dans 2 heures' (`now` and `locale`: given by a caller that has
    them already, the queue's rows)."""
    if value is None:
        return ""
    delta = value - (now or utcnow())
    seconds = delta.total_seconds()
    key = (locale or str(get_locale()), *_unit_and_count(seconds), seconds >= 0)
    text = _RELATIVE_TEXTS.get(key)
    if text is None:
        text = format_timedelta(delta, add_direction=True, threshold=1.0)
        with _RELATIVE_LOCK:
            if len(_RELATIVE_TEXTS) >= RELATIVE_MAX_ENTRIES:
                _RELATIVE_TEXTS.clear()
            _RELATIVE_TEXTS[key] = text
    return text


def _unit_and_count(seconds: float) -> tuple[str, int]:
    """What Babel's format_timedelta(threshold=1.0) writes depends on only: the largest unit
    that holds the delta at least once and the rounded count of it (besides the language and
    the direction)."""
    for unit, per_unit in TIMEDELTA_UNITS:
        value = abs(seconds) / per_unit
        if value >= 1.0:
            return unit, round(value)
    return "second", 1 if seconds else 0  # under a second: "1 second" (Babel's floor)


def scenario_labels(brand_id: int) -> dict[str, str]:
    """Scenario id → label from the brand's published playbook (cached for the request)."""
    labels = g.get("_scenario_labels")  # read on each row of the queue: one lookup of g
    if labels is None:
        from app.extensions import db
        from app.services import content

        # One query for every brand the user may see: a queue page spans many brands.
        brand_ids = sorted(g.scope.roles_by_brand) if g.get("scope") else []
        labels = g._scenario_labels = content.scenario_labels(session=db(), brand_ids=brand_ids)
    return labels.get(brand_id, {})


def scenario_label(brand_id: int, scenario_id: str | None) -> str:
    """'retard' → 'Retard de train' (the id itself when the playbook does not name it)."""
    if not scenario_id:
        return "—"
    return scenario_labels(brand_id).get(scenario_id, scenario_id)


def is_web_url(url: str | None) -> bool:
    """Whether a URL from a platform is an http(s) page (not javascript:, data:, file:…)."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def safe_link(url: str | None, label: str) -> Markup:
    """A new-tab link to a platform's page for http(s) URLs only; any other URL is text.

    Platforms (and webhook senders) choose these URLs: a `javascript:` one must not run.
    """
    if not url:
        return Markup("")
    text = str(url).strip()
    if is_web_url(text):
        return Markup('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>').format(
            text, label
        )
    return Markup('<span class="hint" title="{}">{}</span>').format(label, text[:200])


def init_filters(app: Flask) -> None:
    from app.services import worker_errors
    from app.services.notifications import text_of as notification_text
    from app.ui.platforms import init_platform_filters
    from app.ui.proofreading import finding_label, finding_severity

    init_platform_filters(app)

    app.jinja_env.globals["finding_label"] = finding_label
    app.jinja_env.globals["finding_severity"] = finding_severity
    app.jinja_env.filters["safe_link"] = safe_link
    app.jinja_env.filters["notification_text"] = notification_text  # in the reader's language
    app.jinja_env.filters["issue_text"] = playbook_issues.issue_text  # a code, translated
    app.jinja_env.globals["worker_error"] = worker_errors.message  # a code, translated
    app.jinja_env.globals["worker_error_detail"] = worker_errors.detail  # the platform's words
    app.jinja_env.globals["scenario_label"] = scenario_label
    app.jinja_env.globals["scenario_labels"] = scenario_labels
    app.jinja_env.filters["datetime_short"] = datetime_short
    app.jinja_env.filters["format_month"] = format_month
    app.jinja_env.filters["relative"] = relative
    app.jinja_env.filters["at_handle"] = at_handle
    app.jinja_env.filters["audit_label"] = audit_label
    app.jinja_env.filters["redact_url"] = redact
    app.jinja_env.filters["decision_label"] = decision_label
    app.jinja_env.filters["field_label"] = field_label
