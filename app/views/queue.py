"""The queue: open cases across the user's brands, filtered, paged and refreshed live."""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Blueprint, Response, current_app, g, render_template, request, url_for
from flask import session as flask_session

from app.extensions import db, htmx
from app.models import SEVERITIES, Brand, Case, utcnow
from app.security.auth import permission_required
from app.services import cluster_view, queue, queue_changes
from app.services.batch_get import get_many
from app.services.queue import QueueFilters
from app.services.queue_counts import (
    DEFAULT_TTL_SECONDS,
    Changes,
    QueueCountCache,
    cached_queue_count,
)
from app.services.queue_screen import queue_screen
from app.services.read_transactions import end_reads
from app.ui import page_header
from app.ui.filters import scenario_labels
from app.ui.queue_poll import ShownRows, rows_key, shown_rows, unchanged

bp = Blueprint("queue", __name__)
VIEW = "queue.view"
CHOICES_TTL_SECONDS = 30.0
CHOICES_MAX_ENTRIES = 1024


def _context(filters: QueueFilters, after: str | None, changes: Changes) -> dict[str, Any]:
    session = db()
    # Held until the rows are made: the cases' and the waves' rows find their brands in the
    # session (whose identity map holds rows weakly) instead of reading them twice.
    _held_brands = get_many(session, Brand, g.scope.brand_ids(VIEW))
    base = g.scope.select(Case, VIEW)
    screen = queue_screen(
        session=session, base=base, filters=filters, user_id=g.user.id, after=after
    )
    page, watched = screen.page, screen.watched
    args: dict[str, Any] = filters.to_args()  # url_for's flags are typed: keep these plain
    context = {
        # A wave of near-identical mentions: one row on top of the first page (cluster_view).
        "clusters": []
        if after or filters.status != "open"
        else cluster_view.queue_rows(
            session=session,
            brand_ids=g.scope.brand_ids(VIEW),
            now=utcnow(),
            brand_id=filters.brand_id,
        ),
        "filters": filters,
        "page": page,
        "watched": watched,
        "count": cached_queue_count(
            _count_cache(),
            session=session,
            base=base,
            brand_ids=g.scope.brand_ids(VIEW),
            filters=filters,
            user_id=g.user.id,
            changes=changes,
        ),
        "more_url": (
            url_for("queue.index", after=page.next_cursor, **args) if page.next_cursor else None
        ),
        "can_work": {b: g.scope.can("case.work", b) for b in g.scope.brand_ids(VIEW)},
        "sla_state": queue.sla_state,
    }
    # The rows' scenario labels read now (kept for the request): the rows render without a
    # transaction open.
    scenario_labels(0)
    end_reads(session)
    return context


def _count_cache() -> QueueCountCache:
    """This app's queue-count cache (VIGIE_QUEUE_COUNT_TTL seconds, 0 = off)."""
    cache = current_app.extensions.get("vigie_queue_counts")
    if cache is None:
        raw = current_app.config.get(
            "VIGIE_QUEUE_COUNT_TTL", os.environ.get("VIGIE_QUEUE_COUNT_TTL", DEFAULT_TTL_SECONDS)
        )
        try:
            ttl = float(raw)
        except ValueError:
            ttl = DEFAULT_TTL_SECONDS  # a typo in the environment must not break the queue
        cache = current_app.extensions.setdefault("vigie_queue_counts", QueueCountCache(ttl))
    return cache


def _choices() -> dict[str, list[str]]:
    """The filters' scenario, channel and language lists, kept CHOICES_TTL_SECONDS per brand
    set: the same for every CM of those brands (a sample of the newest active cases already),
    and the costliest statement of the queue page, read on each load."""
    cache = current_app.extensions.setdefault("vigie_queue_choices", {})
    key = tuple(g.scope.brand_ids(VIEW))
    now = time.monotonic()
    found = cache.get(key)
    if found is not None and found[0] > now:
        return found[1]  # type: ignore[no-any-return]
    choices = queue.queue_choices(session=db(), base=g.scope.select(Case, VIEW))
    if len(cache) >= CHOICES_MAX_ENTRIES:
        cache.clear()
    cache[key] = (now + CHOICES_TTL_SECONDS, choices)
    return choices


@bp.get("/queue")
@permission_required(VIEW)
def index() -> Any:
    """The queue page; htmx gets only the rows (plus the count out of band) or the next page,
    and its poll a 204 when the rows it shows are still the ones to show."""
    filters = QueueFilters.from_args(request.args)
    after = request.args.get("after")
    # A case closed or answered sends the user back to the queue as they had filtered it.
    # Written only when it changes: each write re-signs the session cookie (every 10 s poll).
    if flask_session.get("queue_args") != (args := filters.to_args()):
        flask_session["queue_args"] = args
    session = db()
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        if after:
            return render_template("queue/_more.html", **_context(filters, after, _changes()))
        key, changes = _key(filters), _changes()
        # Nothing the rows depend on moved since the poll's rows were read: the counters alone.
        if unchanged(key, changes, request.args.get("v")):
            end_reads(session)
            return Response(status=204)
        shown = shown_rows(key, changes, lambda: _context(filters, None, changes))
        end_reads(session)
        if request.args.get("seen") == shown.stamp:
            return Response(status=204)  # htmx swaps nothing: the rows shown are current
        args = _shown_args(filters, key, shown)
        return render_template("queue/_rows.html", oob_count=True, **args)
    # Read first: the rows below find their brands in the session instead of reading them again.
    brands = session.exec(g.scope.select(Brand, VIEW).order_by(Brand.name)).all()
    key, changes = _key(filters), _changes()
    shown = shown_rows(key, changes, lambda: _context(filters, None, changes))
    choices = _choices()
    page_header.header_state()  # the header's read, made before the page renders
    end_reads(session)
    return render_template(
        "queue/index.html",
        brands=brands,
        choices=choices,
        severities=SEVERITIES,
        statuses=queue.QUEUE_STATUSES,
        **_shown_args(filters, key, shown),
    )


def _key(filters: QueueFilters) -> tuple[Any, ...]:
    """What this user's first page of rows depends on besides the data (queue_poll.rows_key)."""
    brand_ids = g.scope.brand_ids(VIEW)
    workable = [b for b in brand_ids if g.scope.can("case.work", b)]
    return rows_key(brand_ids, workable, filters, g.user.id)


def _changes() -> Changes:
    """The change counters of the user's brands, read before any row (queue_changes)."""
    return queue_changes.counters(db(), g.scope.brand_ids(VIEW))


def _shown_args(filters: QueueFilters, key: tuple[Any, ...], shown: ShownRows) -> dict[str, Any]:
    # What the rows shown are (seen) and what they were read from (v): the poll sends both back.
    args: dict[str, Any] = {**filters.to_args(), "seen": shown.stamp, "v": shown.version(key)}
    return {
        "filters": filters,
        "shown": shown,
        "count": shown.count,
        "watched_count": shown.watched_count,
        "poll_url": url_for("queue.index", **args),
    }


def queue_row(case: Case) -> str:
    """One queue row rendered on its own (after a claim from the queue)."""
    rows = queue.decorate_rows(db(), [case], utcnow())
    return render_template(
        "queue/_row.html",
        row=rows[0],
        sla_state=queue.sla_state,
        can_work={case.brand_id: g.scope.can("case.work", case.brand_id)},
    )
