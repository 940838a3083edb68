"""Queue rows (and the waves' rows above them) rendered once per state and reused, across
requests and users.

A queue page and its 10 s poll render up to 100 rows, and 50 CMs on one brand poll the same
rows again and again: rendering them was half of each request's CPU. A row's HTML is kept
under a key holding everything `queue/_row.html` reads (ROW_READS: a test checks that the
template reads nothing else), the values that move with the clock (SLA colour, "dans 5
minutes", the customer's wait) computed now, and the language. The request's CSRF token is
put back into the kept HTML on each use; the cache lives on the app, bounded.
"""

from __future__ import annotations

import threading
from operator import attrgetter
from typing import Any

from flask import Flask, current_app, g, request
from flask_babel import get_locale
from jinja2 import Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from app.models import utcnow
from app.services.cluster_view import ClusterRow
from app.services.queue import QueueRow, sla_state
from app.ui.filters import relative, scenario_label
from app.ui.queue_labels import queue_row_labels

ROW_TEMPLATE = "queue/_row.html"
CLUSTER_ROW_TEMPLATE = "clusters/_queue_row.html"
MAX_ROWS = 4096
# What the row template reads of `row.case` (c) and of `row`, besides the context's
# `watched_row` and `can_work`: the key holds each value (test_queue_rows checks the list).
CASE_READS = (
    "id",
    "due_at",
    "pinned",
    "channel",
    "language",
    "brand_id",
    "excerpt",
    "status",
    "mention_count",
    "severity",
    "scenario",
)
ROW_READS = (
    "case",
    "brand_name",
    "handle",
    "person",
    "influencer",
    "influence",
    "urgent",
    "waiting",
    "claimed",
    "assignee_label",
)
PERSON_READS = ("display_name", "tier", "vip")
WAITING_READS = ("due", "minutes")
# What the wave row template reads of `crow.cluster` (cl) and of `crow` (its brand's name).
CLUSTER_READS = ("id", "brand_id", "sample_text", "scenario")
CLUSTER_ROW_READS = ("size", "open_cases", "growth")
# Each list read as one tuple by attrgetter (C): a page's 100 rows made 1,200 generator steps.
_case_reads = attrgetter(*CASE_READS)
_person_reads = attrgetter(*PERSON_READS)
_waiting_reads = attrgetter(*WAITING_READS)
_cluster_reads = attrgetter(*CLUSTER_READS)
_cluster_row_reads = attrgetter(*CLUSTER_ROW_READS)


class RowCache:
    """Rendered rows by key, split around the CSRF token; forgets everything when full."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[tuple[Any, ...], tuple[str, ...]] = {}

    def get(self, key: tuple[Any, ...]) -> tuple[str, ...] | None:
        return self._rows.get(key)

    def put(self, key: tuple[Any, ...], parts: tuple[str, ...]) -> None:
        with self._lock:
            if len(self._rows) >= MAX_ROWS:
                self._rows.clear()
            self._rows[key] = parts


def _cache() -> RowCache:
    found = current_app.extensions.get("vigie_queue_rows")
    if found is None:
        found = current_app.extensions.setdefault("vigie_queue_rows", RowCache())
    return found  # type: ignore[no-any-return]


def row_key(row: QueueRow, watched: bool, can_work: bool) -> tuple[Any, ...]:
    """Everything the row's HTML depends on (the request's part comes from `_request_key`)."""
    c = row.case
    person, waiting = row.person, row.waiting
    now, locale = utcnow(), _request_key()[0]  # one clock reading for the row's two values
    return (
        _case_reads(c),
        row.brand_name,
        row.handle,
        _person_reads(person) if person else None,
        row.influence,
        row.urgent,
        _waiting_reads(waiting) if waiting else None,
        row.claimed,
        row.assignee_label,
        watched,
        can_work,
        sla_state(c.due_at, now),
        relative(c.due_at, now=now, locale=locale),
        scenario_label(c.brand_id, c.scenario),
    )


def _request_key() -> tuple[Any, ...]:
    held = g.get("_queue_row_request_key")
    if held is None:
        held = g._queue_row_request_key = (str(get_locale()), request.script_root)
    return held  # type: ignore[no-any-return]


@pass_context
def queue_row_html(context: Context, row: QueueRow, watched: bool = False) -> Markup:
    """`queue/_row.html` for this row, from the cache when a row in the same state was made."""
    env = context.environment
    template: Template = env.get_template(ROW_TEMPLATE)
    can_work = bool(context.get("can_work", {}).get(row.case.brand_id))
    # The template object in the key: a template reloaded (development) renders anew.
    key = (template, _request_key(), row_key(row, watched, can_work))
    cache = _cache()
    token = queue_row_labels()["csrf"]
    parts = cache.get(key)
    if parts is None:
        html = template.render({**context.get_all(), "row": row, "watched_row": watched})
        parts = tuple(html.split(token))
        cache.put(key, parts)
    return Markup(token.join(parts))


def cluster_row_key(crow: ClusterRow) -> tuple[Any, ...]:
    """Everything a wave's row shows (no CSRF token, no clock: the growth is counted)."""
    cl = crow.cluster
    return (
        _cluster_reads(cl),
        _cluster_row_reads(crow),
        crow.brand.name,
        scenario_label(cl.brand_id, cl.scenario) if cl.scenario else None,
    )


@pass_context
def cluster_row_html(context: Context, crow: ClusterRow) -> Markup:
    """`clusters/_queue_row.html` for this wave, from the cache when made in the same state
    (up to 20 of them top every queue page and poll: a third of the rows' rendering)."""
    template: Template = context.environment.get_template(CLUSTER_ROW_TEMPLATE)
    key = (template, _request_key(), cluster_row_key(crow))
    cache = _cache()
    parts = cache.get(key)
    if parts is None:
        parts = (template.render({**context.get_all(), "crow": crow}),)
        cache.put(key, parts)
    return Markup(parts[0])


def init_queue_rows(app: Flask) -> None:
    """The row template's helpers: its labels and the kept rows."""
    app.jinja_env.globals["queue_row_labels"] = queue_row_labels
    app.jinja_env.globals["queue_row_html"] = queue_row_html
    app.jinja_env.globals["cluster_row_html"] = cluster_row_html
