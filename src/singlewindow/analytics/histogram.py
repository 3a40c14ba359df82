"""Log-spaced duration buckets and percentiles from summed bucket counts (pure, no I/O).

Bucket 0 holds durations under one second; bucket ``i >= 1`` holds ``[B**(i-1), B**i)``
seconds with ``B = 2 ** (1/8)``. A bucket is reported by its geometric midpoint, so a
percentile read from summed histograms is within ``2 ** (1/16) - 1`` (4.4 %) of the exact
nearest-rank percentile of the same durations, or within 0.5 s below one second. Summing
histograms is exact, which is what lets a year of days, ports or agencies be combined
without reading a single declaration.
"""

import math
from collections.abc import Iterable, Mapping

STEPS_PER_DOUBLING = 8
BASE = 2 ** (1 / STEPS_PER_DOUBLING)
RELATIVE_ERROR = math.sqrt(BASE) - 1
"""The largest relative error of a reported duration of one second or more."""
MAX_BUCKET = 32_000
"""Fits a SMALLINT; bucket 32000 starts beyond the age of the universe, so nothing is clamped in practice."""


def bucket_of(seconds: float) -> int:
    if seconds < 1:
        return 0
    return min(MAX_BUCKET, 1 + math.floor(math.log2(seconds) * STEPS_PER_DOUBLING))


def lower_bound(bucket: int) -> float:
    return 0.0 if bucket == 0 else float(BASE ** (bucket - 1))


def representative(bucket: int) -> float:
    """The duration a bucket stands for: its geometric midpoint (0.5 s for bucket 0)."""
    return 0.5 if bucket == 0 else float(BASE ** (bucket - 0.5))


def percentile(counts: Mapping[int, int], q: float) -> float | None:
    """The nearest-rank ``q``-quantile (0 < q <= 1) of the durations the buckets count; None when empty."""
    total = sum(counts.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for bucket in sorted(counts):
        seen += counts[bucket]
        if seen >= rank:
            return representative(bucket)
    raise AssertionError("unreachable: the rank is at most the total")


def merge(histograms: Iterable[Mapping[int, int]]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for histogram in histograms:
        for bucket, count in histogram.items():
            merged[bucket] = merged.get(bucket, 0) + count
    return merged
