"""Per-process caches for what every request looks up: who the caller is, and what they hold.

Without them each API request reads the same few rows (the user's token version, the party,
its qualifications and credit level) again and again. An entry lives ``ttl_seconds`` (the
setting ``SW_LOOKUP_CACHE_SECONDS``, a few seconds), so a change made by another process
(another API node or worker, a CLI command) is seen here at most that late: that is the
bound on how long a revoked token can still be honoured by a node that did not revoke it.

The process that makes a change does not wait for the TTL. A cache registers with
``forget_on_change`` which ORM classes feed it; whenever a session flushes a new, changed or
deleted instance of one, its entries are dropped at once and again after the transaction
commits. Every drop also voids loads still in flight (they may have read the old row), so
once a change is committed this process never serves the old value. Changes that bypass
the ORM (a bulk ``UPDATE``, another process) wait for the TTL.

Bounded: past ``max_entries`` the oldest entries go first. One event loop per process uses
a cache, so no lock is taken.
"""

import time
from collections.abc import Awaitable, Callable, Hashable, Iterable
from itertools import chain
from typing import Any, Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Clock = Callable[[], float]

DEFAULT_TTL_SECONDS = 3.0
DEFAULT_MAX_ENTRIES = 10_000
_PENDING = "singlewindow.cache.pending"


class TtlCache(Generic[K, V]):
    def __init__(self, name: str, *, remember_missing: bool = True) -> None:
        self.name = name
        self.remember_missing = remember_missing
        """False where misses are cheap to provoke (a made-up API key) and must not evict real entries."""
        self.ttl_seconds = DEFAULT_TTL_SECONDS
        self.max_entries = DEFAULT_MAX_ENTRIES
        self.clock: Clock = time.monotonic
        self._entries: dict[K, tuple[float, V]] = {}
        self._drops = 0

    async def get(self, key: K, load: Callable[[], Awaitable[V]]) -> V:
        """The cached value of ``key``, or what ``load`` returns (kept unless a drop happened meanwhile)."""
        now = self.clock()
        found = self._entries.get(key)
        if found is not None and found[0] > now:
            return found[1]
        drops = self._drops
        value = await load()
        if drops == self._drops and self.ttl_seconds > 0 and (value is not None or self.remember_missing):
            self._entries.pop(key, None)
            self._entries[key] = (now + self.ttl_seconds, value)
            while len(self._entries) > self.max_entries:
                del self._entries[next(iter(self._entries))]
        return value

    def forget(self, key: K) -> None:
        self._drops += 1
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._drops += 1
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_CACHES: list[TtlCache[Any, Any]] = []
_WATCHED: dict[type, list[tuple[TtlCache[Any, Any], Callable[[Any], Iterable[Hashable]]]]] = {}


def lookup_cache(name: str, *, remember_missing: bool = True) -> TtlCache[Any, Any]:
    """A cache that ``configure`` sets up with the others."""
    cache: TtlCache[Any, Any] = TtlCache(name, remember_missing=remember_missing)
    _CACHES.append(cache)
    return cache


def configure(
    ttl_seconds: float = DEFAULT_TTL_SECONDS, max_entries: int = DEFAULT_MAX_ENTRIES, clock: Clock = time.monotonic
) -> None:
    """Apply the settings to every lookup cache and empty them (each app starts cold)."""
    for cache in _CACHES:
        cache.ttl_seconds, cache.max_entries, cache.clock = ttl_seconds, max_entries, clock
        cache.clear()


def forget_on_change(cache: TtlCache[K, Any], model: type[V], keys: Callable[[V], Iterable[K]]) -> None:
    """Drop ``keys(instance)`` from ``cache`` whenever a session flushes and commits a change to a ``model``."""
    _WATCHED.setdefault(model, []).append((cache, keys))


@event.listens_for(Session, "before_flush")
def _forget_flushed(session: Session, _: UOWTransaction, __: Any) -> None:
    changed = [
        (cache, key)
        for instance in chain(session.new, session.dirty, session.deleted)
        for cache, keys in _WATCHED.get(type(instance), ())
        for key in keys(instance)
    ]
    for cache, key in changed:
        cache.forget(key)
    if changed:
        session.info.setdefault(_PENDING, []).extend(changed)


@event.listens_for(Session, "after_commit")
def _forget_committed(session: Session) -> None:
    for cache, key in session.info.pop(_PENDING, ()):
        cache.forget(key)


@event.listens_for(Session, "after_rollback")
def _nothing_to_forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
