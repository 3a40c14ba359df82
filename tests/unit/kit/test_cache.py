"""The lookup cache: kept for its TTL and no longer, bounded, and never keeping what a change made stale."""

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from support.clock import ManualClock

from singlewindow.kit.cache import TtlCache, configure, lookup_cache


class Source:
    """A row that changes under the cache, counting how often it is read."""

    def __init__(self, value: str | None = "v1") -> None:
        self.value, self.reads = value, 0

    async def load(self) -> str | None:
        self.reads += 1
        return self.value


def cache(
    ttl: float = 3.0, entries: int = 100, *, remember_missing: bool = True
) -> tuple[TtlCache[str, str | None], ManualClock]:
    clock = ManualClock()
    made: TtlCache[str, str | None] = TtlCache("test", remember_missing=remember_missing)
    made.ttl_seconds, made.max_entries, made.clock = ttl, entries, clock
    return made, clock


async def test_a_value_is_served_from_the_cache_for_its_ttl_and_read_again_after() -> None:
    cached, clock = cache(ttl=3.0)
    row = Source()
    assert await cached.get("k", row.load) == "v1"
    row.value = "v2"
    clock.advance(2.999)
    assert await cached.get("k", row.load) == "v1"
    clock.advance(0.001)
    assert await cached.get("k", row.load) == "v2"
    assert row.reads == 2


async def test_forgetting_a_key_makes_the_next_lookup_read_the_row() -> None:
    cached, _ = cache()
    row = Source()
    await cached.get("k", row.load)
    row.value = "v2"
    cached.forget("k")
    assert await cached.get("k", row.load) == "v2"


async def test_a_load_that_overlapped_a_change_is_not_kept() -> None:
    """A lookup that read the row before a change committed must not cache what it read."""
    cached, _ = cache()
    row = Source()
    reading = asyncio.Event()
    release = asyncio.Event()

    async def slow_load() -> str | None:
        reading.set()
        await release.wait()
        return await row.load()

    lookup = asyncio.create_task(cached.get("k", slow_load))
    await reading.wait()
    cached.forget("k")
    release.set()
    assert await lookup == "v1"
    row.value = "v2"
    assert await cached.get("k", row.load) == "v2"


async def test_the_oldest_entries_go_first_past_the_bound() -> None:
    cached, _ = cache(entries=2)
    rows = {key: Source(key) for key in "abc"}
    for key in "abc":
        await cached.get(key, rows[key].load)
    assert len(cached) == 2
    for key in "abc":
        await cached.get(key, rows[key].load)
    assert [rows[key].reads for key in "abc"] == [2, 2, 2]


@pytest.mark.parametrize("remember_missing", [True, False])
async def test_a_miss_is_kept_only_where_asked(remember_missing: bool) -> None:
    cached, _ = cache(remember_missing=remember_missing)
    row = Source(None)
    await cached.get("k", row.load)
    await cached.get("k", row.load)
    assert row.reads == (1 if remember_missing else 2)


async def test_a_ttl_of_zero_caches_nothing() -> None:
    cached, _ = cache(ttl=0)
    row = Source()
    load: Callable[[], Awaitable[str | None]] = row.load
    await cached.get("k", load)
    await cached.get("k", load)
    assert (row.reads, len(cached)) == (2, 0)


async def test_configure_sets_up_every_lookup_cache_and_empties_it() -> None:
    registered = lookup_cache("configured")
    row = Source()
    clock = ManualClock()
    configure(5.0, 10, clock)
    try:
        await registered.get("k", row.load)
        assert (registered.ttl_seconds, registered.max_entries, registered.clock) == (5.0, 10, clock)
        configure(5.0, 10, clock)
        assert len(registered) == 0
    finally:
        configure()
