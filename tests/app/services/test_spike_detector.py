"""The storm detector on synthetic series: the daily rush hour is no storm, a real jump is, and
the cooldown holds (issue 16)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from app.services import spike_detector as d

NORMAL = d.SENSITIVITIES["normal"]
# A Monday, 00:00 UTC, four weeks after the history starts.
START = datetime(2026, 11, 2, tzinfo=UTC).timestamp()


def _rate_per_hour(hour: int) -> float:
    """A rail brand's day: 5 an hour, 60 an hour in the 8 am rush, 40 at 6 pm."""
    return {8: 60.0, 18: 40.0}.get(hour, 5.0)


class Stream(dict):
    """Bucket counts of a synthetic stream; the bucket being filled holds only what has
    arrived by `now` (each mention's second within its bucket is kept)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[int, list[int]] = {}
        self.now = 0.0

    def get(self, bucket, default=None):
        if bucket == d.bucket_of(self.now):
            offset = self.now - bucket * d.BUCKET_SECONDS
            n = sum(1 for s in self.arrivals.get(bucket, []) if s <= offset)
            return d.Counts(n, n // 10, n // 3)
        return super().get(bucket, default)


def _history(days: int, seed: int = 1) -> Stream:
    rng = random.Random(seed)
    series = Stream()
    first = d.bucket_of(START)
    for bucket in range(first, first + days * d.BUCKETS_PER_DAY):
        hour = (bucket % d.BUCKETS_PER_DAY) // d.BUCKETS_PER_HOUR
        mean = _rate_per_hour(hour) / d.BUCKETS_PER_HOUR
        # Poisson-like arrivals: each second of the bucket has the same small chance.
        seconds = sorted(
            s for s in range(d.BUCKET_SECONDS) if rng.random() < mean / d.BUCKET_SECONDS
        )
        series.arrivals[bucket] = seconds
        total = len(seconds)
        series[bucket] = d.Counts(total, severe=total // 10, negative=total // 3)
    return series


def _scan(series, first_bucket, last_bucket, history_start):
    """Run the detector every two minutes over a span; the times (epoch) it fired."""
    fired = []
    now = first_bucket * d.BUCKET_SECONDS
    while now < (last_bucket + 1) * d.BUCKET_SECONDS:
        series.now = now
        if d.detect(series, now_epoch=now, history_start=history_start, sensitivity=NORMAL):
            fired.append(now)
        now += 120
    return fired


def test_no_alert_on_the_daily_rush_hour():
    series = _history(days=35)
    history_start = d.bucket_of(START)
    last_week = d.bucket_of(START) + 28 * d.BUCKETS_PER_DAY
    # Every rush hour of an ordinary week, from an hour before to an hour after: no storm,
    # although the morning brings twelve times the night's volume.
    for day in range(7):
        for start_hour, end_hour in ((7, 10), (17, 20)):
            first = last_week + day * d.BUCKETS_PER_DAY + start_hour * d.BUCKETS_PER_HOUR
            last = last_week + day * d.BUCKETS_PER_DAY + end_hour * d.BUCKETS_PER_HOUR - 1
            assert _scan(series, first, last, history_start) == [], (day, start_hour)


def test_no_alert_on_the_rush_hour_with_only_a_few_days_of_history():
    series = _history(days=4, seed=7)
    history_start = d.bucket_of(START)
    day4 = history_start + 3 * d.BUCKETS_PER_DAY
    assert _scan(series, day4, day4 + d.BUCKETS_PER_DAY - 1, history_start) == []


def test_a_real_jump_alerts_within_two_minutes():
    series = _history(days=28)
    history_start = d.bucket_of(START)
    # Monday of week 5, 3 pm: 5 an hour usually; a storm of 50 mentions in 5 minutes starts.
    storm_start = START + 28 * 86400 + 15 * 3600
    for i in range(50):
        at = storm_start + i * 6  # one every 6 seconds
        b = d.bucket_of(at)
        c = series.get(b, d.ZERO)
        series[b] = d.Counts(c.total + 1, c.severe, c.negative + 1)
        triggers = d.detect(series, now_epoch=at, history_start=history_start, sensitivity=NORMAL)
        if triggers:
            break
    assert triggers and triggers[0].kind in ("volume", "negative")
    assert at - storm_start <= 120
    volume = [t for t in triggers if t.kind == "volume"]
    assert volume and volume[0].observed >= 12 > volume[0].expected


def test_a_rise_of_severe_mentions_alerts_without_more_volume():
    series = _history(days=28)
    history_start = d.bucket_of(START)
    now = START + 28 * 86400 + 8 * 3600 + 25 * 60  # the rush hour: usual volume
    current = d.bucket_of(now)
    for b in d.window_buckets(current):
        series[b] = d.Counts(10, severe=8, negative=3)
    triggers = d.detect(series, now_epoch=now, history_start=history_start, sensitivity=NORMAL)
    assert [t.kind for t in triggers] == ["severe"]


def test_sensitivity_changes_what_counts():
    series = _history(days=28)
    history_start = d.bucket_of(START)
    now = START + 28 * 86400 + 15 * 3600 + 9 * 60
    current = d.bucket_of(now)
    series[current] = d.Counts(10, 0, 0)  # 10 in 9 minutes, 5 an hour usually
    high = d.detect(
        series, now_epoch=now, history_start=history_start, sensitivity=d.SENSITIVITIES["high"]
    )
    normal = d.detect(series, now_epoch=now, history_start=history_start, sensitivity=NORMAL)
    assert high and not normal


def test_cooldown():
    assert d.in_cooldown(1000.0, 1000.0 + 59 * 60, 60)
    assert not d.in_cooldown(1000.0, 1000.0 + 60 * 60, 60)
    assert not d.in_cooldown(None, 1000.0, 60)


def test_a_brand_without_history_needs_the_minimum_count():
    series = {d.bucket_of(START): d.Counts(11, 0, 0)}
    assert d.detect(series, now_epoch=START + 300, history_start=None, sensitivity=NORMAL) == []
    series = {d.bucket_of(START): d.Counts(13, 0, 0)}
    assert d.detect(series, now_epoch=START + 300, history_start=None, sensitivity=NORMAL)


def test_last_weeks_storm_does_not_blunt_the_watch():
    series = _history(days=28)
    history_start = d.bucket_of(START)
    # A storm a week ago at 3 pm: 300 mentions in that hour.
    storm_hour = d.bucket_of(START + 21 * 86400 + 15 * 3600)
    for b in range(storm_hour, storm_hour + d.BUCKETS_PER_HOUR):
        series[b] = d.Counts(50, 0, 0)
    now = START + 28 * 86400 + 15 * 3600 + 9 * 60
    series.now = now
    series.arrivals[d.bucket_of(now)] = list(range(0, 540, 30))  # 18 in 9 minutes
    triggers = d.detect(series, now_epoch=now, history_start=history_start, sensitivity=NORMAL)
    assert "volume" in [t.kind for t in triggers]
