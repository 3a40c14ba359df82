"""Retry timing: exponential backoff, capped, with equal jitter."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from singlewindow.exchange.backoff import retry_delay


@pytest.mark.parametrize(
    ("attempt", "ceiling"),
    [(1, 1.0), (2, 2.0), (3, 4.0), (6, 32.0), (9, 256.0), (10, 300.0), (50, 300.0), (5000, 300.0)],
)
@pytest.mark.parametrize("end", ["low", "high"])
def test_the_delay_is_between_half_the_ceiling_and_the_ceiling(
    attempt: int, ceiling: float, end: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jitter pinned to either end shows the exact bounds: base 1 s doubling, capped at 300 s."""
    monkeypatch.setattr(random, "uniform", lambda low, high: low if end == "low" else high)
    assert retry_delay(attempt, base=1.0, cap=300.0) == (ceiling / 2 if end == "low" else ceiling)


def test_the_delay_is_jittered() -> None:
    assert len({retry_delay(8, base=1.0, cap=300.0) for _ in range(20)}) > 1


@given(
    attempt=st.integers(min_value=1, max_value=100_000),
    base=st.floats(min_value=0.001, max_value=10.0),
    cap=st.floats(min_value=0.01, max_value=3600.0),
)
def test_the_delay_stays_within_half_the_ceiling_and_the_cap(attempt: int, base: float, cap: float) -> None:
    ceiling = min(cap, base * 2.0 ** min(attempt - 1, 64))
    delay = retry_delay(attempt, base, cap)
    assert ceiling / 2 <= delay <= ceiling <= cap
