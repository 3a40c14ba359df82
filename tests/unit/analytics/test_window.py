"""A window is read from monthly rows where whole months fit and daily rows elsewhere, covering each day once."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from singlewindow.analytics.repository import window_parts

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def covered(since: date, until: date, period: str | None) -> list[date]:
    parts = window_parts(since, until, period)
    found = []
    for start, end in parts.days:
        found += [start + timedelta(days=i) for i in range((end - start).days + 1)]
    if parts.months:
        assert parts.months[0].day == 1
        assert parts.months[1].day == 1
        found += [parts.months[0] + timedelta(days=i) for i in range((parts.months[1] - parts.months[0]).days)]
    return sorted(found)


@given(days, st.integers(min_value=0, max_value=800), st.sampled_from([None, "month", "year", "day"]))
def test_every_day_of_the_window_is_read_exactly_once(since: date, length: int, period: str | None) -> None:
    until = since + timedelta(days=length)
    assert covered(since, until, period) == [since + timedelta(days=i) for i in range(length + 1)]


def test_a_year_is_twelve_months_and_the_ends_are_days() -> None:
    parts = window_parts(date(2025, 12, 3), date(2026, 12, 2), "month")
    assert parts.months == (date(2026, 1, 1), date(2026, 12, 1))
    assert parts.days == ((date(2025, 12, 3), date(2025, 12, 31)), (date(2026, 12, 1), date(2026, 12, 2)))
    assert window_parts(date(2026, 3, 1), date(2026, 3, 31), None).months == (date(2026, 3, 1), date(2026, 4, 1))
    assert window_parts(date(2026, 3, 1), date(2026, 3, 31), "day").months is None
