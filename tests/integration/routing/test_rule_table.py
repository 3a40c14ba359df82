"""The routing table is data: replacing it changes where the next declaration goes."""

from typing import Any

import httpx
import pytest
from support.documents import import_declaration

from singlewindow.routing.service import default_rules


async def test_replacing_the_rules_reroutes_new_declarations(
    client: httpx.AsyncClient, operator: dict[str, str], trader: dict[str, str]
) -> None:
    rules = default_rules().model_dump(mode="json")
    rules["rules"].append(
        {"id": "garments-quota", "agency": "commerce", "when": {"hs_prefix_any": ["6109"]}, "description": "quota"}
    )
    response = await client.put("/api/v1/routing/rules", json=rules, headers=operator)
    assert response.status_code == 200, response.text
    created = (await client.post("/api/v1/declarations", json=import_declaration(), headers=trader)).json()
    assert {a["agency"] for a in created["agencies"]} == {"customs", "maritime", "commerce", "treasury"}
    shown = (await client.get("/api/v1/routing/rules", headers=trader)).json()
    assert shown["rules"][-1]["id"] == "garments-quota"


async def test_only_the_operator_replaces_rules(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    response = await client.put("/api/v1/routing/rules", json=default_rules().model_dump(mode="json"), headers=trader)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("rule", "loc", "message"),
    [
        ({"id": "x", "agency": "customs", "when": {"hs_prefix": ["01"]}}, "$.rules[0].when.hs_prefix", "Extra inputs"),
        (
            {"id": "x", "agency": "tax", "when": {"always": True}},
            "$.rules[0].agency",
            "no agency requirements for 'tax' on cargo_declaration",
        ),
        (
            {"id": "x", "document_type": "bill_of_exchange", "agency": "customs", "when": {"always": True}},
            "$.rules[0].document_type",
            "no document type 'bill_of_exchange'",
        ),
    ],
)
async def test_a_malformed_rule_table_is_refused_and_changes_nothing(
    client: httpx.AsyncClient,
    operator: dict[str, str],
    trader: dict[str, str],
    rule: dict[str, Any],
    loc: str,
    message: str,
) -> None:
    response = await client.put("/api/v1/routing/rules", json={"rules": [rule]}, headers=operator)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == loc
    assert message in response.json()["errors"][0]["msg"]
    current = (await client.get("/api/v1/routing/rules", headers=trader)).json()
    assert len(current["rules"]) == len(default_rules().rules)
