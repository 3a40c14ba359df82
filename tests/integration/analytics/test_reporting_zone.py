"""A deployment that reports in Asia/Shanghai counts a declaration on its Shanghai day, through the live handlers."""

import uuid
from datetime import UTC, datetime

import httpx
import pytest

from singlewindow.analytics import service as analytics
from singlewindow.app import Platform
from singlewindow.declarations.events import DeclarationSubmitted
from singlewindow.settings import Settings

API = "/api/v1/analytics/volumes"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"reporting_timezone": "Asia/Shanghai"})


async def test_an_evening_declaration_in_utc_counts_on_the_next_shanghai_day(
    client: httpx.AsyncClient, operator: dict[str, str], platform: Platform
) -> None:
    evening = datetime(2026, 3, 14, 20, 30, tzinfo=UTC)  # 04:30 on 15 March in Shanghai
    data = {"port_of_discharge": "CNSGH", "trade_mode": "0110", "country": "DE"}
    async with platform.sessions() as session:
        await analytics.on_submitted(
            session,
            DeclarationSubmitted(uuid.uuid4(), uuid.uuid4(), "cargo_declaration", "import", "R", 1, data, (), evening),
        )
        await session.commit()
    days = {"since": "2026-03-14", "until": "2026-03-15", "period": "day", "group_by": "port"}
    rows = (await client.get(API, params=days, headers=operator)).json()["rows"]
    assert [(r["period"], r["value"], r["declarations"]) for r in rows] == [("2026-03-15", "CNSGH", 1)]
