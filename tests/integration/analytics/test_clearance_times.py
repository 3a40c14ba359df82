"""Timelines with known times, through the event handlers: percentiles agree with exact ones within the bucket error."""

import uuid
from typing import Any

import httpx
import pytest
from support.timelines import API, assert_percentiles, replay

from singlewindow.analytics import service as analytics
from singlewindow.app import Platform
from singlewindow.errors import InvalidData
from singlewindow.kit.clock import utcnow


async def test_percentiles_per_interval_agency_and_port_match_the_exact_ones(
    client: httpx.AsyncClient, operator: dict[str, str], platform: Platform
) -> None:
    expected = await replay(platform, 60, seed=8)
    await assert_percentiles(client, operator, expected)
    steps = [r for r in (await client.get(API, headers=operator)).json()["rows"] if r["share"] is not None]
    assert [r["interval"] for r in steps if r["dominant"]] == ["decision_to_release"]
    assert sum(r["share"] for r in steps) == pytest.approx(1, abs=1e-3)


async def test_an_enterprise_sees_the_clearance_times_of_its_own_declarations_only(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform
) -> None:
    me = (await client.get("/api/v1/me", headers=trader)).json()
    mine = await replay(platform, 30, seed=3, party_id=uuid.UUID(me.get("party_id") or me["party"]["id"]))
    await replay(platform, 20, seed=4)
    await assert_percentiles(client, trader, mine)
    one_port = (await client.get(API, params={"port": "CNNGB", "agency": "customs"}, headers=trader)).json()["rows"]
    assert {(r["agency"], r["port"]) for r in one_port} == {("customs", "CNNGB"), ("*", "CNNGB")}
    for row in one_port:
        assert row["count"] == len(mine[(row["interval"], row["agency"], "CNNGB")])


async def test_an_agency_sees_its_own_decision_times_and_the_platforms_steps(
    client: httpx.AsyncClient, agency: Any, platform: Platform
) -> None:
    await replay(platform, 5, seed=1)
    customs = await agency("customs")
    rows = (await client.get(API, params={"group_by": "agency"}, headers=customs.headers)).json()["rows"]
    assert {r["agency"] for r in rows} == {"customs", "*"}


async def test_a_milestone_must_be_one_other_contexts_record(platform: Platform) -> None:
    async with platform.sessions() as session:
        with pytest.raises(InvalidData) as refused:
            await analytics.record_milestone(session, uuid.uuid4(), "released", utcnow())
    assert refused.value.errors[0]["loc"] == "$.name"
