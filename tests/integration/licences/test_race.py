"""Two declarations can never both use the last of a balance, on SQLite and on PostgreSQL.

The first test interleaves two transactions by hand: the second reserver must wait for the
first and then find the balance gone. The second races whole submissions through the API.
"""

import asyncio
from typing import Any

import httpx
from sqlalchemy import select
from support.documents import beef_import
from support.licences import Issue, Read

from singlewindow.app import Platform
from singlewindow.licences import repository
from singlewindow.licences.models import Licence, LicenceGoods

API = "/api/v1/declarations"
LAST = 240_000_000
"""24 000 kg in ten-thousandths: the whole of a licence_body() line."""


async def line_id(platform: Platform, number: str) -> Any:
    async with platform.sessions() as session:
        return await session.scalar(
            select(LicenceGoods.id).join(Licence, Licence.id == LicenceGoods.licence_id).where(Licence.number == number)
        )


async def test_the_second_of_two_concurrent_transactions_finds_the_balance_gone(
    platform: Platform, issue: Issue, line_of: Read
) -> None:
    number = (await issue())["number"]
    goods_id = await line_id(platform, number)
    async with platform.sessions() as first, platform.sessions() as second:
        assert await repository.reserve(first, goods_id, LAST, 0)
        contender = asyncio.create_task(repository.reserve(second, goods_id, LAST, 0))
        await asyncio.sleep(0.5)
        assert not contender.done(), "the second reserver must wait for the first transaction"
        await first.commit()
        assert await asyncio.wait_for(contender, 30) is False
        await second.rollback()
    line = await line_of(number)
    assert (line["quantity_reserved"], line["quantity_available"]) == ("24000.0000", "0.0000")


async def test_a_rolled_back_reservation_leaves_the_balance_to_the_waiting_one(
    platform: Platform, issue: Issue, line_of: Read
) -> None:
    number = (await issue())["number"]
    goods_id = await line_id(platform, number)
    async with platform.sessions() as first, platform.sessions() as second:
        assert await repository.reserve(first, goods_id, LAST, 0)
        contender = asyncio.create_task(repository.reserve(second, goods_id, LAST, 0))
        await asyncio.sleep(0.2)
        await first.rollback()
        assert await asyncio.wait_for(contender, 30) is True
        await second.commit()
    assert (await line_of(number))["quantity_reserved"] == "24000.0000"


async def test_of_concurrent_submissions_for_the_last_balance_exactly_one_is_accepted(
    client: httpx.AsyncClient, trader: dict[str, str], issue: Issue, line_of: Read
) -> None:
    number = (await issue())["number"]
    documents = [beef_import(licence=number) for _ in range(4)]
    for n, document in enumerate(documents):
        document["reference"] = f"RACE-{n}"
    responses = await asyncio.gather(*(client.post(API, json=d, headers=trader) for d in documents))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 422, 422, 422], [r.text for r in responses]
    refused = [r.json()["errors"][0] for r in responses if r.status_code == 422]
    assert {(e["loc"], e["type"]) for e in refused} == {("$.goods[0].licence_number", "licence_balance")}
    line = await line_of(number)
    assert (line["quantity_reserved"], line["quantity_available"]) == ("24000.0000", "0.0000")
