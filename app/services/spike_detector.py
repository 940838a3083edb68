"""The storm detector's arithmetic: plain Python on counts, no database (unit-tested on series).

Mentions are counted per 10-minute bucket (``bucket`` = epoch seconds // 600). A storm is a
sliding 30-minute window holding far more mentions than the baseline expects *for that hour of
the week*: a Monday 8 am rush is compared with earlier Mondays at 8 am, not with Sunday 3 am.
The baseline of each window bucket is the median of the same hour in the previous weeks (when
the brand has a week of history), else the same hour on the previous days, else the last few
hours. A rise of the share of S3+ or of negative mentions in the window, against the baseline's
share, is a storm too (a sentiment dip). Sensitivity sets how far above the baseline counts.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

BUCKET_SECONDS = 600
BUCKETS_PER_HOUR = 3600 // BUCKET_SECONDS
BUCKETS_PER_DAY = 24 * BUCKETS_PER_HOUR
BUCKETS_PER_WEEK = 7 * BUCKETS_PER_DAY
WINDOW_BUCKETS = 3  # the sliding window: the current bucket and the two before it
WINDOW_MINUTES = WINDOW_BUCKETS * BUCKET_SECONDS // 60
REFERENCE_WEEKS = 4
REFERENCE_DAYS = 7
RECENT_HOURS = 6
# A quiet brand still expects a little: one mention an hour or so, never zero.
FLOOR_PER_BUCKET = 0.2
# The share of S3+ / negative mentions assumed until the baseline has enough mentions to say.
PRIOR_SHARE = {"severe": 0.1, "negative": 0.3}
MIN_SHARE_SAMPLE = 20


@dataclass(frozen=True)
class Sensitivity:
    """How far above the baseline a window must be: ratio, Poisson z-score, minimum count,
    and for shares the rise in points (0.25 = +25 points)."""

    factor: float
    z: float
    min_count: int
    share_rise: float


SENSITIVITIES: dict[str, Sensitivity] = {
    "low": Sensitivity(factor=4.0, z=5.0, min_count=25, share_rise=0.35),
    "normal": Sensitivity(factor=3.0, z=4.0, min_count=12, share_rise=0.25),
    "high": Sensitivity(factor=2.0, z=3.0, min_count=8, share_rise=0.15),
}
DEFAULT_SENSITIVITY = "normal"


@dataclass(frozen=True)
class Counts:
    """Mentions of one bucket: all of them, the S3+ ones, the negative ones."""

    total: int = 0
    severe: int = 0
    negative: int = 0


ZERO = Counts()


@dataclass(frozen=True)
class Baseline:
    """What the window's buckets should hold, oldest first, and the usual shares."""

    expected: tuple[float, ...]
    shares: Mapping[str, float]
    source: str  # weeks | days | recent | none


@dataclass(frozen=True)
class Trigger:
    """One rise found in a window: kind volume, severe or negative; observed against expected
    (counts for volume, shares for the others) and a score to rank triggers."""

    kind: str
    observed: float
    expected: float
    score: float


def bucket_of(epoch_seconds: float) -> int:
    return int(epoch_seconds // BUCKET_SECONDS)


def window_buckets(current: int) -> list[int]:
    return list(range(current - WINDOW_BUCKETS + 1, current + 1))


def _hour_buckets(bucket: int) -> list[int]:
    start = bucket - bucket % BUCKETS_PER_HOUR
    return list(range(start, start + BUCKETS_PER_HOUR))


def _references(bucket: int, history_start: int | None) -> tuple[str, list[list[int]]]:
    """The reference hours of a window bucket (each a list of buckets) and which kind."""
    if history_start is None:
        return "none", []
    window_start = bucket - WINDOW_BUCKETS + 1
    weeks = [
        _hour_buckets(bucket - k * BUCKETS_PER_WEEK)
        for k in range(1, REFERENCE_WEEKS + 1)
        if bucket - k * BUCKETS_PER_WEEK - bucket % BUCKETS_PER_HOUR >= history_start
    ]
    if weeks:
        return "weeks", weeks
    days = [
        _hour_buckets(bucket - k * BUCKETS_PER_DAY)
        for k in range(1, REFERENCE_DAYS + 1)
        if bucket - k * BUCKETS_PER_DAY - bucket % BUCKETS_PER_HOUR >= history_start
    ]
    if days:
        return "days", days
    # Less than a day of history: the level of the hours just before the window.
    recent = [
        b
        for b in range(window_start - RECENT_HOURS * BUCKETS_PER_HOUR, window_start)
        if b >= history_start
    ]
    return ("recent", [recent]) if recent else ("none", [])


def needed_buckets(current: int, history_start: int | None) -> set[int]:
    """Every bucket the baseline of the window ending at `current` reads."""
    wanted: set[int] = set()
    for bucket in window_buckets(current):
        for hour in _references(bucket, history_start)[1]:
            wanted.update(hour)
    return wanted


def baseline(series: Mapping[int, Counts], current: int, history_start: int | None) -> Baseline:
    """The expected count of each window bucket and the usual shares, from `series` (buckets
    missing from it held no mention)."""
    expected: list[float] = []
    sums = {"total": 0, "severe": 0, "negative": 0}
    source = "none"
    for bucket in window_buckets(current):
        source, hours = _references(bucket, history_start)
        if not hours:
            expected.append(FLOOR_PER_BUCKET)
            continue
        per_hour = []
        for hour in hours:
            counts = [series.get(b, ZERO) for b in hour]
            per_hour.append(sum(c.total for c in counts) / len(hour))
            for c in counts:
                sums["total"] += c.total
                sums["severe"] += c.severe
                sums["negative"] += c.negative
        # The median, not the mean: last week's storm must not blunt this week's watch.
        expected.append(max(FLOOR_PER_BUCKET, statistics.median(per_hour)))
    shares = {
        kind: (sums[kind] / sums["total"]) if sums["total"] >= MIN_SHARE_SAMPLE else prior
        for kind, prior in PRIOR_SHARE.items()
    }
    return Baseline(expected=tuple(expected), shares=shares, source=source)


def evaluate(
    window: Iterable[Counts],
    base: Baseline,
    *,
    elapsed_fraction: float,
    sensitivity: Sensitivity,
) -> list[Trigger]:
    """The rises in a window (oldest bucket first, the last one still filling for
    `elapsed_fraction` of its 10 minutes), strongest first; empty when all is usual."""
    counts = list(window)
    # The bucket still filling expects at least half its baseline: mentions come in bursts,
    # and the first minutes of a rush hour must not look like a storm.
    fraction = min(1.0, max(0.5, elapsed_fraction))
    expected = sum(base.expected[:-1]) + base.expected[-1] * fraction
    total = sum(c.total for c in counts)
    triggers: list[Trigger] = []
    if total < sensitivity.min_count:
        return triggers
    # Mentions come in bursts (replies, threads): the variance is taken a little above Poisson.
    z = (total - expected) / math.sqrt(expected + 1)
    if total >= sensitivity.factor * expected and z >= sensitivity.z:
        triggers.append(Trigger("volume", float(total), round(expected, 2), z))
    for kind in ("severe", "negative"):
        usual = min(0.95, max(0.02, base.shares[kind]))
        share = sum(getattr(c, kind) for c in counts) / total
        spread = math.sqrt(usual * (1 - usual) / total)
        share_z = (share - usual) / spread
        if share >= usual + sensitivity.share_rise and share_z >= sensitivity.z:
            triggers.append(Trigger(kind, round(share, 3), round(usual, 3), share_z))
    return sorted(triggers, key=lambda t: -t.score)


def detect(
    series: Mapping[int, Counts],
    *,
    now_epoch: float,
    history_start: int | None,
    sensitivity: Sensitivity,
) -> list[Trigger]:
    """The rises of the window ending now, from a series of bucket counts (tests, backfills)."""
    current = bucket_of(now_epoch)
    base = baseline(series, current, history_start)
    elapsed = (now_epoch - current * BUCKET_SECONDS) / BUCKET_SECONDS
    window = [series.get(b, ZERO) for b in window_buckets(current)]
    return evaluate(window, base, elapsed_fraction=elapsed, sensitivity=sensitivity)


def in_cooldown(last_alert_epoch: float | None, now_epoch: float, cooldown_minutes: int) -> bool:
    """Whether an alert now would come too soon after the last one."""
    return last_alert_epoch is not None and now_epoch - last_alert_epoch < cooldown_minutes * 60
