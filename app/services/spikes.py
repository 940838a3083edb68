"""Storm watch at ingest: volume rollups per 10 minutes, spike detection, one alert per cooldown.

``observe_batch`` runs inside each triage batch (one call from ``triage``): it adds the batch's
mentions to the rollup (one upsert statement for the whole batch: per brand, scenario and
channel and bucket, never per mention), then compares the sliding window of the buckets it
touched with their hour-of-week baseline (``spike_detector``). A storm claims the brand's
``SpikeState`` row with a conditional UPDATE, so that two ingest processes seeing the same
storm raise one alert per cooldown; the alert goes at once to the bells of the brand's leads and
owners (kind ``spike``) and, through the worker (``spike_delivery``), by e-mail and the brand's
chat and webhook channels, like urgent alerts. A failure here never fails the triage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.models import Brand, Mention, SpikeAlert, SpikeRollup, SpikeState, Triage
from app.services import audit, bulk, notifications, savepoints
from app.services import spike_detector as detector

log = logging.getLogger("vigie.spikes")

DEFAULT_COOLDOWN_MINUTES = 60
SEVERE = ("S3", "S4")
# Baselines read past buckets only: reused for a few minutes per brand, scope and window.
BASELINE_TTL_SECONDS = 300
_BASELINES: dict[tuple[int, str, str, int], tuple[float, detector.Baseline]] = {}
_HISTORY_START: dict[int, tuple[float, int | None]] = {}
ALERTED_ROLES = ("lead", "brand_owner")


@dataclass(frozen=True)
class WatchSettings:
    """A brand's storm watch: on or off, sensitivity and cooldown between two alerts."""

    enabled: bool
    sensitivity: str
    cooldown_minutes: int

    @property
    def thresholds(self) -> detector.Sensitivity:
        return detector.SENSITIVITIES[self.sensitivity]


def watch_settings(brand: Brand) -> WatchSettings:
    """The brand's storm-watch settings (brand.settings), with safe defaults."""
    raw = brand.settings or {}
    sensitivity = raw.get("spike_sensitivity")
    if sensitivity not in detector.SENSITIVITIES:
        sensitivity = detector.DEFAULT_SENSITIVITY
    try:
        cooldown = int(raw.get("spike_cooldown_minutes") or DEFAULT_COOLDOWN_MINUTES)
    except (TypeError, ValueError):
        cooldown = DEFAULT_COOLDOWN_MINUTES
    return WatchSettings(
        enabled=raw.get("spike_watch", True) is not False,
        sensitivity=sensitivity,
        cooldown_minutes=max(10, min(cooldown, 24 * 60)),
    )


def _epoch(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def observe_batch(
    *,
    session: Session,
    brand: Brand,
    mentions: Sequence[Any],
    now: datetime,
    facts: Mapping[int, tuple[str, list[str], str | None]] | None = None,
) -> SpikeAlert | None:
    """Count a triaged batch into the rollup and raise a spike alert if a storm shows; never
    raises (a storm watch failure must not cost a mention its triage). `facts`: severity,
    scenarios and sentiment per mention id when the caller holds them (else read back)."""
    if not mentions:
        return None
    try:
        with savepoints.isolated(session):
            return _observe(session, brand, mentions, now, facts)
    except Exception:
        if not savepoints.absorbs(session):
            raise  # a one-shot push: tried again with the savepoint
        log.exception("storm watch of brand %s failed", brand.id)
        return None


def _observe(
    session: Session,
    brand: Brand,
    mentions: Sequence[Any],
    now: datetime,
    facts: Mapping[int, tuple[str, list[str], str | None]] | None,
) -> SpikeAlert | None:
    assert brand.id is not None
    if facts is None:
        # Severity and scenario from the decisions just stored, sentiment from the mentions.
        ids = [m.id for m in mentions]
        facts = {
            mention_id: (severity, scenarios, sentiment)
            for mention_id, severity, scenarios, sentiment in session.execute(
                select(Triage.mention_id, Triage.severity, Triage.scenarios, Mention.sentiment)
                .join(Mention, col(Mention.id) == col(Triage.mention_id))
                .where(bulk.one_of(session, Triage.mention_id, ids), Triage.source == "engine")
            )
        }
    now_epoch = _epoch(now)
    counts: dict[tuple[str, str, int], list[int]] = {}
    for mention in mentions:
        severity, scenarios, sentiment = facts.get(mention.id, ("S2", [], None))
        posted = min(_epoch(mention.posted_at), now_epoch) if mention.posted_at else now_epoch
        bucket = detector.bucket_of(posted)
        scopes = [("all", ""), ("channel", (mention.channel or "")[:80])]
        scopes += [("scenario", str(s)[:80]) for s in (scenarios or [])[:1]]
        for dim, key in scopes:
            row = counts.setdefault((dim, key, bucket), [0, 0, 0])
            row[0] += 1
            row[1] += severity in SEVERE
            row[2] += sentiment == "negative"
    add_counts(session, brand.id, counts)
    settings = watch_settings(brand)
    current = detector.bucket_of(now_epoch)
    window = set(detector.window_buckets(current))
    touched = sorted({(d, k) for d, k, b in counts if b in window})
    if not settings.enabled or not touched:
        return None  # a backlog of old mentions fills the history but raises nothing
    triggers = _evaluate(session, brand.id, touched, now_epoch, settings)
    if not triggers:
        return None
    return _raise(session, brand, triggers, now, settings)


def add_counts(
    session: Session, brand_id: int, counts: dict[tuple[str, str, int], list[int]]
) -> None:
    """One upsert adding the batch's counts to their buckets (rows in one order everywhere,
    so two processes adding at once never deadlock)."""
    if not counts:
        return
    rows = [
        {
            "brand_id": brand_id,
            "dim": d,
            "key": k,
            "bucket": b,
            "total": t,
            "severe": s,
            "negative": n,
        }
        for (d, k, b), (t, s, n) in sorted(counts.items())
    ]
    table = SpikeRollup.__table__  # type: ignore[attr-defined]
    bulk.insert_adding(session, table, rows, key=("brand_id", "dim", "key", "bucket"))


def _history_start(session: Session, brand_id: int) -> int | None:
    cached = _HISTORY_START.get(brand_id)
    if cached and time.monotonic() - cached[0] < BASELINE_TTL_SECONDS and cached[1] is not None:
        return cached[1]
    first = session.exec(
        select(func.min(SpikeRollup.bucket)).where(
            SpikeRollup.brand_id == brand_id, SpikeRollup.dim == "all"
        )
    ).one()
    _HISTORY_START[brand_id] = (time.monotonic(), first)
    return first


def _series(
    session: Session, brand_id: int, scopes: Sequence[tuple[str, str]], buckets: set[int]
) -> dict[tuple[str, str], dict[int, detector.Counts]]:
    out: dict[tuple[str, str], dict[int, detector.Counts]] = {s: {} for s in scopes}
    if not buckets or not scopes:
        return out
    rows = session.exec(  # type: ignore[call-overload]
        select(  # type: ignore[call-overload]
            SpikeRollup.dim,
            SpikeRollup.key,
            SpikeRollup.bucket,
            SpikeRollup.total,
            SpikeRollup.severe,
            SpikeRollup.negative,
        ).where(
            SpikeRollup.brand_id == brand_id,
            tuple_(SpikeRollup.dim, SpikeRollup.key).in_(list(scopes)),
            col(SpikeRollup.bucket).in_(sorted(buckets)),
        )
    )
    for dim, key, bucket, total, severe, negative in rows:
        out[(dim, key)][bucket] = detector.Counts(total, severe, negative)
    return out


def _evaluate(
    session: Session,
    brand_id: int,
    scopes: Sequence[tuple[str, str]],
    now_epoch: float,
    settings: WatchSettings,
) -> list[tuple[str, str, detector.Trigger]]:
    current = detector.bucket_of(now_epoch)
    history_start = _history_start(session, brand_id)
    clock = time.monotonic()
    baselines: dict[tuple[str, str], detector.Baseline] = {}
    missing = []
    for dim, key in scopes:
        hit = _BASELINES.get((brand_id, dim, key, current))
        if hit and clock - hit[0] < BASELINE_TTL_SECONDS:
            baselines[(dim, key)] = hit[1]
        else:
            missing.append((dim, key))
    if missing:
        needed = detector.needed_buckets(current, history_start)
        for scope, series in _series(session, brand_id, missing, needed).items():
            base = detector.baseline(series, current, history_start)
            baselines[scope] = base
            _BASELINES[(brand_id, *scope, current)] = (clock, base)
        if len(_BASELINES) > 20_000:
            _BASELINES.clear()
    window = _series(session, brand_id, scopes, set(detector.window_buckets(current)))
    elapsed = (now_epoch - current * detector.BUCKET_SECONDS) / detector.BUCKET_SECONDS
    found = []
    for scope in scopes:
        counts = [window[scope].get(b, detector.ZERO) for b in detector.window_buckets(current)]
        for trigger in detector.evaluate(
            counts, baselines[scope], elapsed_fraction=elapsed, sensitivity=settings.thresholds
        ):
            found.append((scope[0], scope[1], trigger))
    # The brand as a whole first, then the strongest.
    return sorted(found, key=lambda f: (f[0] != "all", -f[2].score))


def _claim_cooldown(session: Session, brand_id: int, now: datetime, minutes: int) -> bool:
    """Take the brand's alert slot if its cooldown is over: one conditional UPDATE, so two
    processes seeing the same storm at once raise one alert."""
    postgres = session.connection().dialect.name == "postgresql"
    table = SpikeState.__table__  # type: ignore[attr-defined]
    session.execute(
        (pg_insert if postgres else sqlite_insert)(table)
        .values(brand_id=brand_id, last_alert_at=None)
        .on_conflict_do_nothing(index_elements=["brand_id"])
    )
    result = session.execute(
        update(SpikeState)
        .where(
            col(SpikeState.brand_id) == brand_id,
            or_(
                col(SpikeState.last_alert_at).is_(None),
                col(SpikeState.last_alert_at) <= now - timedelta(minutes=minutes),
            ),
        )
        .values(last_alert_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


KIND_LABELS = {
    "volume": _l("pic de mentions"),
    "severe": _l("hausse des mentions graves (S3+)"),
    "negative": _l("hausse des mentions négatives"),
}
DIM_LABELS = {"all": _l("toute la marque"), "scenario": _l("scénario"), "channel": _l("canal")}


def describe(alert: SpikeAlert, brand_name: str) -> str:
    """One line for the bell, the e-mail subject and the chart's marker."""
    where = "" if alert.dim == "all" else f" ({DIM_LABELS.get(alert.dim, alert.dim)} {alert.key})"
    kind = str(KIND_LABELS.get(alert.kind, alert.kind))
    if alert.kind == "volume":
        figures = str(
            _l(
                "%(n)s mentions en %(m)s min, %(e)s attendues",
                n=int(alert.observed),
                m=alert.window_minutes,
                e=f"{alert.expected:.1f}",
            )
        )
    else:
        figures = str(
            _l(
                "%(share)s %% des mentions sur %(m)s min, %(usual)s %% d'habitude",
                share=round(alert.observed * 100),
                m=alert.window_minutes,
                usual=round(alert.expected * 100),
            )
        )
    return f"{brand_name} — {kind}{where} : {figures}"


def alert_params(alert: SpikeAlert, brand_name: str) -> dict[str, Any]:
    """The alert as notification params (``notification_messages``: read in each reader's
    language): its signal, where, and figures."""
    share = alert.kind != "volume"
    params: dict[str, Any] = {
        "variant": ("share" if share else "volume") + ("" if alert.dim == "all" else "_in"),
        "brand": brand_name,
        "signal": alert.kind,
        "dim": alert.dim,
        "key": alert.key,
        "m": alert.window_minutes,
    }
    if share:
        params |= {"share": round(alert.observed * 100), "usual": round(alert.expected * 100)}
    else:
        params |= {"n": int(alert.observed), "e": f"{alert.expected:.1f}"}
    return params


def describe_trigger(trigger: dict[str, Any]) -> str:
    """One secondary trigger of an alert, readable: "pic de mentions (canal x) : 20 / 0.5"."""
    kind = str(KIND_LABELS.get(trigger.get("kind", ""), trigger.get("kind", "")))
    dim = trigger.get("dim", "all")
    where = str(DIM_LABELS.get(dim, dim)) + ("" if dim == "all" else f" {trigger.get('key', '')}")
    observed, expected = trigger.get("observed", 0), trigger.get("expected", 0)
    if trigger.get("kind") == "volume":
        figures = f"{observed:g} / {expected:g}"
    else:
        figures = f"{round(observed * 100)} % / {round(expected * 100)} %"
    return f"{kind} ({where}) : {figures}"


def _raise(
    session: Session,
    brand: Brand,
    triggers: list[tuple[str, str, detector.Trigger]],
    now: datetime,
    settings: WatchSettings,
) -> SpikeAlert | None:
    assert brand.id is not None
    if not _claim_cooldown(session, brand.id, now, settings.cooldown_minutes):
        return None
    dim, key, main = triggers[0]
    alert = SpikeAlert(
        brand_id=brand.id,
        kind=main.kind,
        dim=dim,
        key=key,
        observed=main.observed,
        expected=main.expected,
        window_minutes=detector.WINDOW_MINUTES,
        detected_at=now,
        details=[
            {"dim": d, "key": k, "kind": t.kind, "observed": t.observed, "expected": t.expected}
            for d, k, t in triggers[:12]
        ],
    )
    session.add(alert)
    session.flush()
    users: set[int] = set()
    for role in ALERTED_ROLES:
        users |= set(notifications.users_with_role(session=session, brand_id=brand.id, role=role))
    notifications.notify(
        session=session,
        user_ids=users,
        brand_id=brand.id,
        kind="spike",
        params=alert_params(alert, brand.name),
        link=f"/crisis?brand={brand.slug}&alert={alert.id}",
    )
    audit.record(
        session=session,
        action="spike.detected",
        target_type="spike_alert",
        target_id=alert.id,
        brand_id=brand.id,
        actor_label="storm_watch",
        after={
            "kind": alert.kind,
            "dim": alert.dim,
            "key": alert.key,
            "observed": alert.observed,
            "expected": alert.expected,
            "sensitivity": settings.sensitivity,
            "told": len(users),
        },
        note=describe(alert, brand.name),
    )
    return alert


def series_for_chart(
    *, session: Session, brand_id: int, now: datetime, hours: int = 12
) -> list[tuple[int, int, float]]:
    """Per 10-minute bucket of the last `hours`: (bucket, mentions, expected) for the chart."""
    current = detector.bucket_of(_epoch(now))
    first = current - hours * detector.BUCKETS_PER_HOUR + 1
    history_start = _history_start(session, brand_id)
    counts = dict(
        session.exec(
            select(SpikeRollup.bucket, SpikeRollup.total).where(
                SpikeRollup.brand_id == brand_id,
                SpikeRollup.dim == "all",
                col(SpikeRollup.bucket) >= first,
            )
        ).all()
    )
    # Each bucket's expected count: the last bucket of a window ending there (same rule).
    needed: set[int] = set()
    for bucket in range(first, current + 1):
        needed |= detector.needed_buckets(bucket, history_start)
    history = _series(session, brand_id, [("all", "")], needed)[("all", "")]
    out = []
    for bucket in range(first, current + 1):
        base = detector.baseline(history, bucket, history_start)
        out.append((bucket, int(counts.get(bucket, 0)), base.expected[-1]))
    return out


KEEP_DAYS = 90  # five weeks feed the baseline; the rest keeps old crisis reports' charts


def purge_old(*, session: Session, now: datetime, keep_days: int = KEEP_DAYS) -> int:
    """Drop rollup buckets older than `keep_days` (worker, hourly); returns how many rows."""
    cut = detector.bucket_of((now - timedelta(days=keep_days)).timestamp())
    result = session.execute(delete(SpikeRollup).where(col(SpikeRollup.bucket) < cut))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def recent_alerts(*, session: Session, brand_id: int, since: datetime) -> list[SpikeAlert]:
    """The brand's spike alerts since a moment, oldest first."""
    return list(
        session.exec(
            select(SpikeAlert)
            .where(SpikeAlert.brand_id == brand_id, col(SpikeAlert.detected_at) >= since)
            .order_by(col(SpikeAlert.detected_at))
        )
    )
