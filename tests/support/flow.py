"""Driving the background loops by hand, so a test decides when messages move."""

import asyncio
import time

from sqlalchemy import func, select

from singlewindow.app import Platform
from singlewindow.exchange.dispatcher import Dispatcher
from singlewindow.exchange.models import OutboxMessage, OutboxStatus
from singlewindow.simulators.models import SimulatorReply
from singlewindow.simulators.worker import ReplySender


async def outstanding(platform: Platform, *, simulators: bool = True) -> int:
    """Messages still to deliver: pending outbox rows and, with simulators, their unsent answers."""
    async with platform.sessions() as session:
        pending = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        )
        replies = await session.scalar(
            select(func.count()).select_from(SimulatorReply).where(SimulatorReply.sent.is_(False))
        )
    return (pending or 0) + (replies or 0 if simulators else 0)


async def settle(platform: Platform, *, within: float = 15.0, simulators: bool = True) -> None:
    """Run the dispatcher (and the simulators' answers) until nothing is left to send."""
    dispatcher = Dispatcher(platform.sessions, platform.registry, platform.settings)
    sender = ReplySender(platform.sessions, platform.client, platform.settings.public_url)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        moved = await dispatcher.run_once()
        if simulators:
            moved += await sender.run_once()
        if moved == 0:
            if await outstanding(platform, simulators=simulators) == 0:
                return
            await asyncio.sleep(0.02)
    raise AssertionError(f"still outstanding after {within}s: {await outstanding(platform, simulators=simulators)}")
