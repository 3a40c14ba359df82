"""Sends the simulated agencies' answers to the platform's inbound API until each is taken."""

import asyncio
import contextlib
from collections import defaultdict

import httpx
import structlog
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from singlewindow.exchange.backoff import retry_delay
from singlewindow.simulators import service
from singlewindow.simulators.models import SimulatorReply

log = structlog.get_logger(__name__)
INBOUND_PATH = "/api/v1/exchange/inbound"


class ReplySender:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        client: httpx.AsyncClient,
        public_url: str,
        *,
        lease_seconds: float = 30.0,
    ) -> None:
        self._sessions = sessions
        self._client = client
        self._url = public_url.rstrip("/") + INBOUND_PATH
        self._lease_seconds = lease_seconds  # a sender killed mid-send leaves its answers due again after this
        self._keys: dict[str, str] = {}

    async def run_once(self) -> int:
        async with self._sessions() as session:
            replies = await service.claim_due_replies(session, limit=50, lease_seconds=self._lease_seconds)
            for reply in replies:
                if reply.agency not in self._keys:
                    simulated = await service.agency(session, reply.agency)
                    self._keys[reply.agency] = simulated.api_key if simulated else ""
            await session.commit()
        results = await self._send_in_order(replies)
        async with self._sessions() as session:
            for reply, error in results:
                permanent = error is not None and error.startswith("HTTP 4")
                await service.settle_reply(
                    session,
                    reply.id,
                    sent=error is None or permanent,
                    error=error,
                    retry_in=retry_delay(reply.attempts, 0.5, 30),
                )
            await session.commit()
        return len(replies)

    async def _send_in_order(self, replies: list[SimulatorReply]) -> list[tuple[SimulatorReply, str | None]]:
        """An agency answers one declaration in order (decision, then inspection result)."""
        conversations: dict[tuple[str, str], list[SimulatorReply]] = defaultdict(list)
        for reply in sorted(replies, key=lambda r: r.id):
            conversations[(reply.agency, reply.envelope["subject_id"])].append(reply)

        async def converse(batch: list[SimulatorReply]) -> list[tuple[SimulatorReply, str | None]]:
            return [(reply, await self._send(reply)) for reply in batch]

        done = await asyncio.gather(*(converse(batch) for batch in conversations.values()))
        return [outcome for batch in done for outcome in batch]

    async def _send(self, reply: SimulatorReply) -> str | None:
        try:
            response = await self._client.post(
                self._url, json=reply.envelope, headers={"X-API-Key": self._keys[reply.agency]}
            )
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if response.is_success:
            return None
        log.warning("simulator reply refused", reply=reply.id, status=response.status_code, body=response.text[:200])
        return f"HTTP {response.status_code}: {response.text[:200]}"

    async def run(self, stop: asyncio.Event, poll_seconds: float) -> None:
        while not stop.is_set():
            try:
                sent = await self.run_once()
            except (DBAPIError, OSError) as exc:
                log.error("simulator database error; retrying", error=str(exc)[:300])
                sent = 0
            if sent == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), poll_seconds)
