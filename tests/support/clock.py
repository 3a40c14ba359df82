"""A monotonic clock the test moves by hand, for what expires (caches) without sleeping."""

from collections.abc import Iterator
from contextlib import contextmanager

from singlewindow.kit import cache


class ManualClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def lookup_caches_on(clock: ManualClock, ttl_seconds: float) -> Iterator[None]:
    """Every lookup cache emptied and timed by ``clock`` for the block, then back to defaults."""
    cache.configure(ttl_seconds, cache.DEFAULT_MAX_ENTRIES, clock)
    try:
        yield
    finally:
        cache.configure()
