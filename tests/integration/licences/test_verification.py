"""A cargo declaration must reference a licence that covers it: each refusal names the goods item and why,
and a refused declaration leaves nothing behind (no declaration, no reservation)."""

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from support.documents import beef_import, import_declaration, with_goods_field
from support.licences import BEEF_LINE, LICENCES, Issue, Read

from singlewindow.app import Platform
from singlewindow.declarations.models import Declaration
from singlewindow.licences.models import LicenceUse

API = "/api/v1/declarations"


async def refusal(client: httpx.AsyncClient, headers: dict[str, str], document: dict[str, Any]) -> list[dict[str, Any]]:
    response = await client.post(API, json=document, headers=headers)
    assert response.status_code == 422, response.text
    return response.json()["errors"]  # type: ignore[no-any-return]


async def nothing_stored(platform: Platform) -> bool:
    async with platform.sessions() as session:
        declarations = await session.scalar(select(func.count()).select_from(Declaration))
        uses = await session.scalar(select(func.count()).select_from(LicenceUse))
    return declarations == 0 and uses == 0


async def only_reason(client: httpx.AsyncClient, trader: dict[str, str], document: dict[str, Any]) -> tuple[str, str]:
    [error] = await refusal(client, trader, document)
    assert (error["loc"], error["pointer"]) == ("$.goods[0].licence_number", "/goods/0/licence_number")
    return error["type"], error["msg"]


async def test_goods_that_need_a_licence_without_one_are_refused(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform
) -> None:
    reason = await only_reason(client, trader, beef_import(licence=None))
    assert reason == (
        "licence_required",
        "HS 020230 needs a licence: Automatic import licence (condition 7); give its number in licence_number",
    )
    assert await nothing_stored(platform)


async def test_an_unknown_licence_is_refused(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform
) -> None:
    reason = await only_reason(client, trader, beef_import(licence="99-XX-999999"))
    assert reason == ("licence_unknown", "no licence 99-XX-999999 in the registry")
    assert await nothing_stored(platform)


async def test_a_licence_may_be_given_for_goods_that_need_none_but_must_then_cover_them(
    client: httpx.AsyncClient, trader: dict[str, str], issue: Issue
) -> None:
    """The laptops of the WCO sample cite 24-AL-000001, whose second line covers them."""
    laptops = with_goods_field(import_declaration(), 0, licence_number="24-AL-000001")
    assert (await client.post(API, json=laptops, headers=trader)).status_code == 201
    shirts = with_goods_field(import_declaration(), 1, licence_number="24-AL-000001")
    [error] = await refusal(client, trader, shirts)
    assert (error["loc"], error["type"]) == ("$.goods[1].licence_number", "licence_hs")


async def test_another_holders_licence_is_refused(
    client: httpx.AsyncClient, trader: dict[str, str], other_trader: dict[str, str], issue: Issue
) -> None:
    theirs = await issue(holder_uscc="914403001922038216")
    reason = await only_reason(client, trader, beef_import(licence=theirs["number"]))
    assert reason == ("licence_holder", f"licence {theirs['number']} is held by 914403001922038216")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"valid_from": "2020-01-01", "valid_until": "2020-06-30"}, "licence_expired"),
        ({"valid_from": "2099-01-01", "valid_until": "2099-06-30"}, "licence_not_yet_valid"),
        ({"kind": "import_licence"}, "licence_kind"),
        ({"goods": [{**BEEF_LINE, "hs_code": "0201"}]}, "licence_hs"),
        ({"goods": [{**BEEF_LINE, "quantity": "24", "unit": "TNE"}]}, "licence_unit"),
        ({"goods": [{**BEEF_LINE, "quantity": "23999.9999"}]}, "licence_balance"),
        ({"goods": [{**BEEF_LINE, "value": "1000000.00", "currency": "USD"}]}, "licence_currency"),
        ({"goods": [{**BEEF_LINE, "value": "119999.99", "currency": "AUD"}]}, "licence_balance"),
    ],
)
async def test_a_licence_that_does_not_fit_is_refused_by_name(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    issue: Issue,
    platform: Platform,
    changes: dict[str, Any],
    reason: str,
) -> None:
    licence = await issue(**changes)
    refused, message = await only_reason(client, trader, beef_import(licence=licence["number"]))
    assert refused == reason
    assert licence["number"] in message
    assert await nothing_stored(platform)


async def test_a_revoked_licence_is_refused(
    client: httpx.AsyncClient, trader: dict[str, str], commerce: dict[str, str], issue: Issue
) -> None:
    number = (await issue())["number"]
    await client.post(f"{LICENCES}/{number}/revoke", json={"reason": "surrendered"}, headers=commerce)
    assert await only_reason(client, trader, beef_import(licence=number)) == (
        "licence_revoked",
        f"licence {number} was revoked: surrendered",
    )


async def test_a_licence_used_up_on_release_is_exhausted(
    client: httpx.AsyncClient, trader: dict[str, str], issue: Issue, run: Any, line_of: Read
) -> None:
    number = (await issue())["number"]
    assert (await client.post(API, json=beef_import(licence=number), headers=trader)).status_code == 201
    await run()
    licence = (await client.get(f"{LICENCES}/{number}", headers=trader)).json()
    assert licence["status"] == "exhausted"
    assert (await line_of(number))["quantity_used"] == "24000.0000"
    assert (await only_reason(client, trader, beef_import(licence=number)))[0] == "licence_exhausted"


async def test_every_failing_item_is_named_in_one_refusal(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform
) -> None:
    document = beef_import(licence=None)
    document["goods"].append({**document["goods"][0], "licence_number": "24-AL-000002"})
    document["goods"].append({**document["goods"][0], "licence_number": "24-AL-000001"})
    errors = await refusal(client, trader, document)
    assert [(e["loc"], e["type"]) for e in errors] == [
        ("$.goods[0].licence_number", "licence_required"),
        ("$.goods[1].licence_number", "licence_hs"),
    ]
    assert await nothing_stored(platform)
