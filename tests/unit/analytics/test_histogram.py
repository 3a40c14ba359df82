"""Percentiles from summed log-spaced histograms stay within the stated error of the exact ones."""

import math

from hypothesis import given
from hypothesis import strategies as st

from singlewindow.analytics.histogram import (
    RELATIVE_ERROR,
    bucket_of,
    lower_bound,
    merge,
    percentile,
    representative,
)

durations = st.floats(min_value=0, max_value=400 * 86_400, allow_nan=False, allow_infinity=False)
quantiles = st.sampled_from([0.01, 0.25, 0.5, 0.9, 0.99, 1.0])


def exact(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def histogram_of(values: list[float]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for v in values:
        counts[bucket_of(v)] = counts.get(bucket_of(v), 0) + 1
    return counts


def close(reported: float, true: float) -> bool:
    return abs(reported - true) <= max(0.5, true * RELATIVE_ERROR * (1 + 1e-9))


@given(durations)
def test_a_bucket_holds_its_duration_and_stands_for_it_within_the_bound(seconds: float) -> None:
    bucket = bucket_of(seconds)
    assert lower_bound(bucket) <= seconds * (1 + 1e-12)
    assert seconds < lower_bound(bucket + 1) * (1 + 1e-12)
    assert close(representative(bucket), seconds)


@given(st.lists(durations, min_size=1, max_size=300), quantiles)
def test_percentile_of_the_histogram_is_within_the_bound_of_the_exact_percentile(values: list[float], q: float) -> None:
    reported = percentile(histogram_of(values), q)
    assert reported is not None
    assert close(reported, exact(values, q))


@given(st.lists(st.lists(durations, max_size=50), min_size=1, max_size=6), quantiles)
def test_summing_histograms_is_the_histogram_of_all_the_durations(parts: list[list[float]], q: float) -> None:
    merged = merge(histogram_of(p) for p in parts)
    everything = [v for p in parts for v in p]
    assert merged == histogram_of(everything)
    assert percentile(merged, q) == (percentile(histogram_of(everything), q) if everything else None)


def test_bucket_width_bounds_the_error_at_four_and_a_half_percent() -> None:
    assert RELATIVE_ERROR < 0.045
    assert bucket_of(0) == bucket_of(0.999) == 0
    assert bucket_of(1) == 1
    assert percentile({}, 0.5) is None
