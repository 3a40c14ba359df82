"""Which adapter serves a destination: counterparty rows for agencies, resolvers for the rest.

Counterparties are re-read every ``REFRESH_SECONDS`` so a new or changed row takes effect
in running workers without a restart.
"""

import time
from collections.abc import Callable

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from singlewindow.exchange import service
from singlewindow.exchange.adapters.http_formats import HttpFormatAdapter
from singlewindow.exchange.models import Counterparty
from singlewindow.exchange.ports import Adapter, AdapterResolver

REFRESH_SECONDS = 5.0
AdapterFactory = Callable[[httpx.AsyncClient, Counterparty], Adapter]

ADAPTER_FACTORIES: dict[str, AdapterFactory] = {
    "http": lambda client, cp: HttpFormatAdapter(client, cp.endpoint, cp.auth_token),
    "json-http": lambda client, cp: HttpFormatAdapter(client, cp.endpoint, cp.auth_token),
}
"""The transport, per counterparty row; the format comes from the catalogue's agency requirement.

``json-http`` is the name rows had before the format moved to the catalogue; it is the same adapter."""


class AdapterRegistry:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], client: httpx.AsyncClient) -> None:
        self._sessions = sessions
        self._client = client
        self._prefixed: dict[str, AdapterResolver] = {}
        self._adapters: dict[str, Adapter] = {}
        self._loaded_at = float("-inf")

    def add_resolver(self, prefix: str, resolver: AdapterResolver) -> None:
        """Destinations starting with ``prefix`` (e.g. ``webhook:``) are resolved by ``resolver``."""
        self._prefixed[prefix] = resolver

    async def resolve(self, destination: str) -> Adapter | None:
        for prefix, resolver in self._prefixed.items():
            if destination.startswith(prefix):
                return await resolver(destination)
        if time.monotonic() - self._loaded_at > REFRESH_SECONDS:
            await self._load()
        return self._adapters.get(destination)

    def forget(self) -> None:
        """The next resolve reads the counterparties again, as a freshly started process would."""
        self._loaded_at = float("-inf")

    async def _load(self) -> None:
        async with self._sessions() as session:
            rows = await service.counterparties(session)
        self._adapters = {
            cp.code: ADAPTER_FACTORIES[cp.adapter](self._client, cp)
            for cp in rows
            if cp.enabled and cp.adapter in ADAPTER_FACTORIES
        }
        self._loaded_at = time.monotonic()
