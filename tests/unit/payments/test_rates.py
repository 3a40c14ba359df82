"""The customs rate of a month is the one published on the third Wednesday of the month before."""

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from singlewindow.payments.rates import china_day, month_of, publication_day


def test_third_wednesday_of_the_previous_month() -> None:
    assert publication_day("2024-01") == date(2023, 12, 20)
    assert publication_day("2025-03") == date(2025, 2, 19)


def test_a_holiday_moves_it_to_the_fourth_wednesday() -> None:
    """2026-02-18 is in the Spring Festival break, so March 2026 uses the rate of 2026-02-25."""
    assert publication_day("2026-03") == date(2026, 2, 25)


def test_the_day_is_the_day_in_china() -> None:
    assert china_day(datetime(2025, 1, 31, 16, 30, tzinfo=UTC)) == date(2025, 2, 1)
    assert month_of(date(2025, 2, 1)) == "2025-02"


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=12))
def test_always_a_wednesday_between_the_15th_and_the_28th_of_the_month_before(year: int, month: int) -> None:
    day = publication_day(f"{year:04d}-{month:02d}", holidays=frozenset())
    assert day.weekday() == 2
    assert 15 <= day.day <= 21
    assert (day.year, day.month) == ((year, month - 1) if month > 1 else (year - 1, 12))
