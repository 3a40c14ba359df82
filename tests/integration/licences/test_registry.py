"""The registry through the API and the CLI: who sees a licence, online verification, issue and revoke."""

from typing import Any

import httpx
from support.licences import LICENCES, Issue, licence_body

from singlewindow.demo import DEMO_TRADER_USCC


async def test_the_holder_sees_its_demo_licence_with_its_balance(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    response = await client.get(f"{LICENCES}/24-AL-000001", headers=trader)
    assert response.status_code == 200, response.text
    licence = response.json()
    assert (licence["kind"], licence["status"], licence["holder_uscc"]) == (
        "automatic_import_licence",
        "valid",
        DEMO_TRADER_USCC,
    )
    beef = licence["goods"][0]
    assert (beef["hs_code"], beef["unit"], beef["quantity_allowed"], beef["quantity_available"]) == (
        "0202",
        "KGM",
        "1000000.0000",
        "1000000.0000",
    )
    listed = (await client.get(LICENCES, headers=trader)).json()
    assert sorted(x["number"] for x in listed) == ["24-AL-000001", "24-AL-000002", "24-AL-000003"]


async def test_another_enterprise_cannot_see_it_but_an_agency_can(
    client: httpx.AsyncClient, other_trader: dict[str, str], commerce: dict[str, str], agency: Any
) -> None:
    refused = await client.get(f"{LICENCES}/24-AL-000001", headers=other_trader)
    assert refused.status_code == 404
    assert refused.json()["title"] == "Unknown licence"
    assert (await client.get(LICENCES, headers=other_trader)).json() == []
    customs = (await agency("customs")).headers
    assert (await client.get(f"{LICENCES}/24-AL-000001", headers=customs)).status_code == 200


async def test_online_verification_names_why_not(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    async def verify(**params: str) -> dict[str, Any]:
        response = await client.get(f"{LICENCES}/24-AL-000001/verify", params=params, headers=trader)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    covered = await verify(hs="020230", quantity="24000")
    assert (covered["valid"], covered["line"], covered["quantity_available"], covered["reasons"]) == (
        True,
        1,
        "1000000.0000",
        [],
    )
    too_much = await verify(hs="020230", quantity="1000000.0001")
    assert not too_much["valid"]
    assert too_much["reasons"] == ["licence 24-AL-000001 line 1: not enough quantity left"]
    wheat = await verify(hs="100199")
    assert wheat["reasons"] == ["licence 24-AL-000001 does not cover HS 100199"]
    bad = await client.get(f"{LICENCES}/24-AL-000001/verify", params={"hs": "02x"}, headers=trader)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == "$.query.hs"


async def test_the_issuing_agency_issues_with_a_generated_number_and_revokes(
    client: httpx.AsyncClient, commerce: dict[str, str], trader: dict[str, str], issue: Issue
) -> None:
    first, second = await issue(), await issue()
    assert first["number"].endswith("-AL-000001")
    assert second["number"].endswith("-AL-000002")
    assert first["number"][:2].isdigit()
    assert first["number"] != "24-AL-000001"
    assert (first["holder_uscc"], first["agency"], first["goods"][0]["quantity_available"]) == (
        DEMO_TRADER_USCC,
        "commerce",
        "24000.0000",
    )

    revoked = await client.post(
        f"{LICENCES}/{first['number']}/revoke", json={"reason": "obtained by fraud"}, headers=commerce
    )
    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["status"], revoked.json()["revoked_reason"]) == ("revoked", "obtained by fraud")
    answer = (await client.get(f"{LICENCES}/{first['number']}/verify", params={"hs": "020230"}, headers=trader)).json()
    assert answer["valid"] is False
    assert "was revoked: obtained by fraud" in answer["reasons"][0]


async def test_only_the_issuing_agency_issues_or_revokes(
    client: httpx.AsyncClient, agency: Any, trader: dict[str, str]
) -> None:
    customs = (await agency("customs")).headers
    refused = await client.post(LICENCES, json=licence_body(), headers=customs)
    assert refused.status_code == 403
    assert refused.json()["title"] == "Not the issuing agency"
    revoke = await client.post(f"{LICENCES}/24-AL-000001/revoke", json={"reason": "x"}, headers=customs)
    assert revoke.status_code == 403
    assert (await client.post(LICENCES, json=licence_body(), headers=trader)).status_code == 403


async def test_a_bad_licence_is_refused_naming_the_field(client: httpx.AsyncClient, commerce: dict[str, str]) -> None:
    body = licence_body(
        kind="fishing_licence",
        goods=[
            {"hs_code": "0202", "description": "Beef", "quantity": "1", "unit": "ZZZ"},
            {"hs_code": "0202", "description": "x"},
        ],
    )
    response = await client.post(LICENCES, json=body, headers=commerce)
    assert response.status_code == 422
    assert {e["loc"] for e in response.json()["errors"]} == {"$.kind", "$.goods[0].unit", "$.goods[1]"}
    unknown_holder = await client.post(LICENCES, json=licence_body(holder_uscc="914403001922038216"), headers=commerce)
    assert unknown_holder.status_code == 404


async def test_the_cli_issues_shows_verifies_and_revokes(app: Any, cli: Any, tmp_path: Any) -> None:
    goods = tmp_path / "goods.json"
    goods.write_text('[{"hs_code": "1001", "description": "Wheat", "quantity": "500", "unit": "TNE"}]')
    issued = await cli(
        "licences",
        "issue",
        "automatic_import_licence",
        DEMO_TRADER_USCC,
        "--valid-until",
        "2035-12-31",
        "--goods",
        str(goods),
    )
    number = issued.output.split()[-1]
    assert number.endswith("-AL-000001")
    shown = await cli("licences", "show", number)
    assert "HS 1001" in shown.output
    assert "0.0000+0.0000/500.0000 TNE" in shown.output
    assert '"valid": true' in (await cli("licences", "verify", number, "--hs", "100199", "--quantity", "500")).output
    await cli("licences", "verify", number, "--hs", "100199", "--quantity", "501", exit_code=1)
    await cli("licences", "revoke", number, "--reason", "surrendered")
    assert "revoked" in (await cli("licences", "list", "--uscc", DEMO_TRADER_USCC)).output
    assert "automatic_import_licence" in (await cli("licences", "kinds")).output


async def test_the_cli_names_what_it_refuses(app: Any, cli: Any, tmp_path: Any) -> None:
    goods = tmp_path / "goods.json"
    goods.write_text('[{"hs_code": "1001", "description": "Wheat", "quantity": "500"}]')
    bad = await cli(
        "licences",
        "issue",
        "automatic_import_licence",
        DEMO_TRADER_USCC,
        "--valid-until",
        "2035-12-31",
        "--goods",
        str(goods),
        exit_code=2,
    )
    assert "$.goods[0]: a quantity needs its unit, and a unit its quantity" in bad.output
    unknown = await cli("licences", "show", "99-XX-000001", exit_code=1)
    assert "Unknown licence: no licence 99-XX-000001" in unknown.output
