"""The database finds each series' count and percentiles where ``histogram.percentile`` does, on both backends."""

import random
from datetime import date

from sqlalchemy import insert, literal_column, select

from singlewindow.analytics import histogram, repository
from singlewindow.analytics.models import Duration
from singlewindow.app import Platform

EDGES = {
    "rank 9 of 10 at the last of a bucket": {0: 9, 5: 1},
    "rank 99 of 100 at the last of a bucket": {0: 99, 7: 1},
    "one duration": {12: 1},
    "two halves": {0: 1, 1: 1},
}


def random_series(rng: random.Random) -> dict[int, int]:
    buckets: dict[int, int] = {}
    for _ in range(rng.randint(1, 40)):
        bucket = rng.randint(0, 160)
        buckets[bucket] = buckets.get(bucket, 0) + rng.choice([1, 1, 2, 3, 10, 97, 1_000])
    return buckets


async def test_the_databases_percentiles_are_the_histograms(platform: Platform) -> None:
    """Each series' buckets are stored on two days, as a window's days and months add up, and read in two parts."""
    rng = random.Random(11)
    series = {**EDGES, **{f"series {k}": random_series(rng) for k in range(300)}}
    days = (date(2026, 3, 1), date(2026, 3, 2))
    rows = []
    for name, buckets in series.items():
        for bucket, n in buckets.items():
            first = rng.randint(0, n)
            for day, count in zip(days, (first, n - first), strict=True):
                key = {"port": name, "agency": "*", "grain": "d", "day": day, "interval": "x", "bucket": bucket}
                rows.append({**key, "count": count})
    D = Duration
    parts: list[repository.HistogramRows] = [
        select(
            literal_column("'2026'").label("period"), D.interval, D.agency, D.port, D.bucket, D.count.label("n")
        ).where(D.day == day)
        for day in days
    ]
    async with platform.sessions() as session:
        await session.execute(insert(Duration), rows)
        found = await repository.percentiles(session, parts)
    assert set(found) == {("2026", "x", "*", name) for name in series}
    for (*_, name), (count, *ranked) in found.items():
        assert count == sum(series[name].values()), name
        reported = [histogram.representative(b) for b in ranked]
        assert reported == [histogram.percentile(series[name], q) for q in repository.QUANTILES], name
