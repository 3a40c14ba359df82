"""A deployed platform in miniature: a seeded database, one API server and one worker as real processes.

The test process talks HTTP to the server and watches the database with an engine of its
own that only reads, so it never takes part in what it checks.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import String, and_, case, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from singlewindow import demo
from singlewindow.declarations.models import AgencyTask, Declaration
from singlewindow.exchange.models import InboxMessage, OutboxMessage, OutboxStatus
from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import create_engine, is_sqlite, session_factory
from singlewindow.simulators.models import SimulatorReceived, SimulatorReply
from support.documents import beef_import, import_declaration
from support.processes import ApiServer, Node, eventually

PASSWORD = "reliability horse battery"
DECLARATIONS = "/api/v1/declarations"
IN_FLIGHT = "in flight"
IN_PROCESS = ("treasury",)
"""Agencies the platform runs in process (payments' treasury): no simulator receives or answers for them."""


async def seed(database_url: str, public_url: str) -> None:
    """What ``singlewindow demo`` seeds: routing rules, simulated agencies reachable at ``public_url``, accounts."""
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            await demo.seed(session, password=PASSWORD, public_url=public_url, simulators_enabled=True)
            await session.commit()
    finally:
        await engine.dispose()


def documents(count: int) -> list[dict[str, Any]]:
    """Plain imports (customs, maritime) and every tenth frozen beef (four agencies, a joint inspection)."""
    return [
        beef_import() | {"reference": f"REL-BEEF-{n:04d}"}
        if n % 10 == 0
        else import_declaration(reference=f"REL-{n:04d}")
        for n in range(count)
    ]


def keyed(prefix: str, count: int) -> dict[str, dict[str, Any]]:
    """``documents(count)`` by the Idempotency-Key each is submitted under."""
    return {f"{prefix}-{n}": document for n, document in enumerate(documents(count))}


def reader(database_url: str) -> AsyncEngine:
    """An engine for watching: on SQLite, readers in WAL mode never wait for the processes' writers."""
    return create_async_engine(database_url, connect_args={"timeout": 30} if is_sqlite(database_url) else {})


@dataclass
class Stack:
    api: ApiServer
    worker: Node
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.api.base_url, timeout=15)

    async def trader(self, client: httpx.AsyncClient) -> dict[str, str]:
        response = await client.post("/api/v1/auth/token", data={"username": demo.DEMO_TRADER, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def outbox(self) -> Counter[str]:
        """Outbox rows by state; ``IN_FLIGHT`` ones are claimed by a worker, neither delivered nor failed yet."""
        leased = and_(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.attempts > 0,
            OutboxMessage.last_error.is_(None),
            OutboxMessage.next_attempt_at > utcnow(),
        )
        state = case((leased, literal(IN_FLIGHT)), else_=cast(OutboxMessage.status, String))
        async with self.sessions() as session:
            rows = (await session.execute(select(state, func.count()).group_by(state))).all()
        return Counter(dict(rows))

    async def statuses(self) -> dict[uuid.UUID, str]:
        async with self.sessions() as session:
            return dict((await session.execute(select(Declaration.id, Declaration.status))).all())

    async def all_released(self) -> bool:
        statuses = await self.statuses()
        return bool(statuses) and set(statuses.values()) == {"released"}

    async def unsent_answers(self) -> int:
        """Simulator answers not yet taken by the inbound API (or taken, but not yet known to be)."""
        async with self.sessions() as session:
            unsent = select(func.count()).select_from(SimulatorReply).where(SimulatorReply.sent.is_(False))
            return await session.scalar(unsent) or 0

    async def settled(self) -> bool:
        """Every declaration released, and nothing left to deliver either way."""
        return (
            await self.all_released()
            and set(await self.outbox()) == {OutboxStatus.DELIVERED.value}
            and await self.unsent_answers() == 0
        )

    async def until_settled(self, within: float) -> None:
        """Wait until ``settled()``; on a timeout, say where things stand."""
        try:
            await eventually(self.settled, within=within, every=0.2, what="every declaration released, nothing unsent")
        except AssertionError as exc:
            raise AssertionError(
                f"{exc}\ndeclarations: {dict(Counter(map(str, (await self.statuses()).values())))}"
                f"\noutbox: {dict(await self.outbox())}\nunsent simulator answers: {await self.unsent_answers()}"
                f"\n--- worker log\n{self.worker.tail(15)}\n--- api log\n{self.api.tail(15)}"
            ) from None

    async def assert_nothing_lost(self, accepted: set[uuid.UUID]) -> None:
        """Every accepted declaration released; every message delivered and at its agency; every answer applied."""
        statuses = await self.statuses()
        assert accepted <= set(statuses), f"accepted but not stored: {accepted - set(statuses)}"
        assert Counter(statuses.values()) == {"released": len(statuses)}
        async with self.sessions() as session:
            tasks = Counter((await session.scalars(select(AgencyTask.status))).all())
            outbox = (
                await session.execute(select(OutboxMessage.id, OutboxMessage.destination, OutboxMessage.status))
            ).all()
            received = select(SimulatorReceived.message_id, SimulatorReceived.agency)
            at_agencies = dict((await session.execute(received)).all())
            replies = set((await session.scalars(select(SimulatorReply.id))).all())
            from_systems = InboxMessage.sender.not_in(IN_PROCESS)
            applied = set((await session.scalars(select(InboxMessage.sender_message_id).where(from_systems))).all())
        assert set(tasks) == {"released"}, f"agency tasks not released: {tasks}"
        assert Counter(status.value for _, _, status in outbox) == {"delivered": len(outbox)}
        simulated = {str(message_id): agency for message_id, agency, _ in outbox if agency not in IN_PROCESS}
        assert at_agencies == simulated
        assert await self.unsent_answers() == 0
        assert replies == applied
