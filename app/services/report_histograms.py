"""Duration histograms the report rollups keep: mergeable across days, brands and slices.

A median cannot be added up day by day; a histogram can. Durations are counted in fixed
buckets (1 min wide under 1 h, 5 min to 4 h, 30 min to 24 h, 6 h to 7 days, then one last
bucket), stored as {bucket index: count}; a percentile reads to the upper bound of the bucket
holding the nearest-rank value, so it is exact to within that bucket's width.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

Histogram = dict[str, int]


def _bounds() -> list[int]:
    """Upper bounds in seconds of every bucket but the last (open-ended) one."""
    bounds = [60 * m for m in range(1, 61)]
    bounds += [60 * m for m in range(65, 241, 5)]
    bounds += [60 * m for m in range(270, 1441, 30)]
    bounds += [3600 * h for h in range(30, 169, 6)]
    return bounds


BOUNDS = _bounds()
LAST = len(BOUNDS)  # the bucket past 7 days


def bucket(seconds: float) -> int:
    """The index of the bucket a duration falls in (its upper bound included)."""
    low, high = 0, LAST
    seconds = max(seconds, 0.0)
    while low < high:  # the first bound >= seconds
        mid = (low + high) // 2
        if BOUNDS[mid] >= seconds:
            high = mid
        else:
            low = mid + 1
    return low


def upper_bound(index: int) -> float:
    """The upper bound in seconds of a bucket (the last one reads as its lower bound)."""
    return float(BOUNDS[min(index, LAST - 1)])


def build(seconds: Iterable[float]) -> Histogram:
    counts: Histogram = {}
    for value in seconds:
        key = str(bucket(value))
        counts[key] = counts.get(key, 0) + 1
    return counts


def merge(into: Histogram, other: Mapping[str, int] | None) -> Histogram:
    """Add `other`'s counts into `into` (in place) and return it."""
    for key, count in (other or {}).items():
        into[key] = into.get(key, 0) + int(count)
    return into


def total(histogram: Mapping[str, int]) -> int:
    return sum(histogram.values())


def percentile(histogram: Mapping[str, int], fraction: float) -> float | None:
    """The nearest-rank percentile in seconds (the bucket's upper bound); None when empty."""
    count = total(histogram)
    if not count:
        return None
    rank = max(1, math.ceil(fraction * count))
    seen = 0
    for index in sorted(int(k) for k in histogram):
        seen += histogram[str(index)]
        if seen >= rank:
            return upper_bound(index)
    return upper_bound(LAST)


def share_within(histogram: Mapping[str, int], seconds: float) -> float | None:
    """The share of durations at or under `seconds` (exact when `seconds` is a bucket bound)."""
    count = total(histogram)
    if not count:
        return None
    limit = bucket(seconds)
    return sum(c for k, c in histogram.items() if int(k) <= limit) / count
