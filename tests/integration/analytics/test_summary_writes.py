"""The summaries commit or roll back with the change they count, written once at the commit."""

import uuid

from sqlalchemy import func, select

from singlewindow.analytics import service as analytics
from singlewindow.analytics.models import Count, Milestones
from singlewindow.app import Platform
from singlewindow.declarations.events import DeclarationSubmitted
from singlewindow.kit.clock import utcnow

DATA = {"port_of_discharge": "CNSGH", "port_of_loading": "DEHAM", "trade_mode": "0110", "country": "DE"}


def submitted() -> DeclarationSubmitted:
    return DeclarationSubmitted(
        uuid.uuid4(), uuid.uuid4(), "cargo_declaration", "import", "R", 1, DATA, ("customs",), utcnow()
    )


async def declarations_counted(platform: Platform) -> int:
    async with platform.sessions() as session:
        total = select(func.coalesce(func.sum(Count.declarations), 0)).where(
            Count.dimension == "all", Count.grain == "d"
        )
        return int(await session.scalar(total) or 0)


async def test_a_rolled_back_change_counts_nothing_and_a_committed_one_counts_once(platform: Platform) -> None:
    async with platform.sessions() as session:
        await analytics.on_submitted(session, submitted())
        await session.rollback()
        await analytics.on_submitted(session, submitted())
        await analytics.on_submitted(session, submitted())
        assert await session.scalar(select(func.count()).select_from(Count)) == 0, "counters wait for the commit"
        await session.commit()
    assert await declarations_counted(platform) == 2
    async with platform.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Milestones)) == 2
