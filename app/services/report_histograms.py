"""Duration histograms the report rollups keep: mergeable across days, brands and slices.

A median cannot be added up day by day; a histogram can. Durations are counted in fixed
buckets (1 min wide under 1 h, 5 min to 4 h, 30 min to 24 h, 6 h to 7 days, then one last
bucket), stored as a list of counts (index = bucket, trailing empty buckets left out: adding
two is one pass in C, and a report adds thousands); a percentile reads to the upper bound of
the bucket holding the nearest-rank value, so it is exact to within that bucket's width.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from operator import add

Histogram = list[int]


def _bounds() -> list[int]:
    """Upper bounds in seconds of every bucket but the last (open-ended) one."""
    bounds = [60 * m for m in range(1, 61)]
    bounds += [60 * m for m in range(65, 241, 5)]
    bounds += [60 * m for m in range(270, 1441, 30)]
    bounds += [3600 * h for h in range(30, 169, 6)]
    return bounds


BOUNDS = _bounds()
LAST = len(BOUNDS)  # the bucket past 7 days
SIZE = LAST + 1


def empty() -> Histogram:
    return []


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
    counts = [0] * SIZE
    for value in seconds:
        counts[bucket(value)] += 1
    while counts and not counts[-1]:
        counts.pop()
    return counts


def merge(into: Histogram, other: Sequence[int] | None) -> Histogram:
    """Add `other`'s counts into `into` (in place) and return it."""
    if other:
        if len(other) > len(into):
            into.extend([0] * (len(other) - len(into)))
        into[: len(other)] = map(add, into, other)  # stops with the shorter: other
    return into


def total(histogram: Sequence[int]) -> int:
    return sum(histogram)


def percentile(histogram: Sequence[int], fraction: float) -> float | None:
    """The nearest-rank percentile in seconds (the bucket's upper bound); None when empty."""
    count = total(histogram)
    if not count:
        return None
    rank = max(1, math.ceil(fraction * count))
    seen = 0
    for index, in_bucket in enumerate(histogram):
        seen += in_bucket
        if seen >= rank:
            return upper_bound(index)
    return upper_bound(LAST)


def share_within(histogram: Sequence[int], seconds: float) -> float | None:
    """The share of durations at or under `seconds` (exact when `seconds` is a bucket bound)."""
    count = total(histogram)
    if not count:
        return None
    return sum(histogram[: bucket(seconds) + 1]) / count
