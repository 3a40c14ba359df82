"""Which days of a window an enterprise's milestones rows must answer for, around its rolled-up months."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from singlewindow.analytics.own import uncovered, whole_months
from singlewindow.analytics.repository import next_month


def every_day(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=800),
    st.data(),
)
def test_rolled_up_months_and_the_uncovered_days_read_every_day_once(
    since: date, length: int, data: st.DataObject
) -> None:
    until = since + timedelta(days=length)
    months = whole_months(since, until)
    assert all(since <= month and next_month(month) - timedelta(days=1) <= until for month in months)
    rolled = data.draw(st.sets(st.sampled_from(months)) if months else st.just(set()))
    read = [day for start, end in uncovered(since, until, rolled) for day in every_day(start, end)]
    read += [day for month in rolled for day in every_day(month, next_month(month) - timedelta(days=1))]
    assert sorted(read) == every_day(since, until)


def test_a_rolled_up_month_splits_the_window_around_it() -> None:
    assert uncovered(date(2026, 1, 15), date(2026, 4, 10), {date(2026, 2, 1)}) == [
        (date(2026, 1, 15), date(2026, 1, 31)),
        (date(2026, 3, 1), date(2026, 4, 10)),
    ]
    assert uncovered(date(2026, 2, 1), date(2026, 2, 28), {date(2026, 2, 1)}) == []
    assert whole_months(date(2026, 1, 15), date(2026, 4, 10)) == [date(2026, 2, 1), date(2026, 3, 1)]
    assert whole_months(date(2026, 1, 1), date(2026, 4, 10), "day") == []
