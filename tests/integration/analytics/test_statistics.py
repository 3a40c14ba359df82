"""Declarations through the real flow; the statistics API and CLI agree with a count over the declarations."""

import csv
import io
import json
import uuid
from collections import defaultdict
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import select
from support.documents import beef_import, import_declaration
from support.exchange import submit

from singlewindow.app import Platform
from singlewindow.declarations.models import AgencyTask, Declaration, DeclarationEvent
from singlewindow.kit.clock import utcnow

API = "/api/v1/analytics"
MEASURES = ("declarations", "amended", "inspected", "rejected", "released", "cancelled")
GROUPS = ("document_type", "type", "agency", "port", "trade_mode", "country")
Table = dict[str, dict[str, int]]


@pytest.fixture
async def history(
    client: httpx.AsyncClient, trader: dict[str, str], other_trader: dict[str, str], run: Any, app: Any
) -> None:
    """Released, inspected, rejected then amended, cancelled, and another enterprise's export."""
    await submit(client, trader, import_declaration())
    await submit(client, trader, beef_import())
    await run()
    commerce = app.state.simulator_rules.root["commerce"]
    accepted, commerce.valid_licences = commerce.valid_licences, []  # commerce refuses the registry's licence
    refused = await submit(client, trader, beef_import())
    await run()
    commerce.valid_licences = accepted
    amended = await client.put(f"/api/v1/declarations/{refused['id']}", json=beef_import(), headers=trader)
    assert amended.status_code == 200, amended.text
    cancelled = await submit(client, trader, import_declaration(reference="CANCEL-ME", port_of_discharge="CNNGB"))
    response = await client.post(
        f"/api/v1/declarations/{cancelled['id']}/cancel", json={"reason": "wrong port"}, headers=trader
    )
    assert response.status_code == 200, response.text
    export = import_declaration(type="export", reference="EXP-1", port_of_loading="CNSZX", port_of_discharge="USLAX")
    await submit(client, other_trader, {**export, "country": "US", "trade_mode": "0214"})
    await run()


async def brute_force(platform: Platform, group_by: str, party_id: uuid.UUID | None = None) -> Table:
    """The same figures counted straight from declarations, tasks and timelines (what the summaries must equal)."""
    async with platform.sessions() as session:
        query = select(Declaration)
        if party_id is not None:
            query = query.where(Declaration.party_id == party_id)
        declarations = list(await session.scalars(query))
        tasks = list(await session.scalars(select(AgencyTask)))
        timeline = list(await session.scalars(select(DeclarationEvent).order_by(DeclarationEvent.id)))
    table: Table = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for d in declarations:
        events = [e for e in timeline if e.declaration_id == d.id]
        statuses = {e.status for e in events if e.kind == "status_changed"}
        if group_by == "agency":
            for task in (t for t in tasks if t.declaration_id == d.id):
                row = table[task.agency]
                decided = {e.status for e in events if e.kind == "agency_decision" and e.agency == task.agency}
                row["declarations"] += 1
                row["amended"] += d.revision > 1 and task.status != "withdrawn"
                row["inspected"] += "inspection" in decided
                row["rejected"] += "rejected" in decided
                row["released"] += "released" in decided
            continue
        port = d.data["port_of_loading"] if d.type == "export" else d.data["port_of_discharge"]
        value = {"document_type": d.document_type, "type": d.type, "port": port}.get(group_by) or d.data[group_by]
        row = table[value]
        row["declarations"] += 1
        row["amended"] += d.revision > 1
        row["inspected"] += "inspection" in statuses
        row["rejected"] += "rejected" in statuses
        row["released"] += "released" in statuses
        row["cancelled"] += "cancelled" in statuses
    return dict(table)


def as_table(rows: list[dict[str, Any]]) -> Table:
    return {r["value"]: {m: r[m] for m in MEASURES} for r in rows}


@pytest.mark.usefixtures("history")
async def test_platform_volumes_equal_a_count_over_the_declarations(
    client: httpx.AsyncClient, operator: dict[str, str], platform: Platform
) -> None:
    for group_by in GROUPS:
        response = await client.get(f"{API}/volumes", params={"group_by": group_by}, headers=operator)
        assert response.status_code == 200, response.text
        assert as_table(response.json()["rows"]) == await brute_force(platform, group_by), group_by
    rows = as_table((await client.get(f"{API}/volumes", params={"group_by": "type"}, headers=operator)).json()["rows"])
    assert rows == {  # the history has every outcome, so the comparison above cannot agree on nothing
        "export": {**dict.fromkeys(MEASURES, 0), "declarations": 1, "released": 1},
        "import": {"declarations": 4, "amended": 1, "inspected": 2, "rejected": 1, "released": 3, "cancelled": 1},
    }


@pytest.mark.usefixtures("history")
async def test_a_trader_sees_only_its_own_history(
    client: httpx.AsyncClient, trader: dict[str, str], other_trader: dict[str, str], platform: Platform
) -> None:
    me = (await client.get("/api/v1/me", headers=trader)).json()
    party_id = uuid.UUID(me.get("party_id") or me["party"]["id"])
    for group_by in GROUPS:
        mine = (await client.get(f"{API}/volumes", params={"group_by": group_by}, headers=trader)).json()
        assert as_table(mine["rows"]) == await brute_force(platform, group_by, party_id), group_by
    by_month = (await client.get(f"{API}/volumes", params={"period": "month"}, headers=trader)).json()["rows"]
    assert [(r["period"], r["declarations"]) for r in by_month] == [(utcnow().strftime("%Y-%m"), 4)]
    theirs = (await client.get(f"{API}/volumes", params={"group_by": "port"}, headers=other_trader)).json()
    assert [(r["value"], r["declarations"]) for r in theirs["rows"]] == [("CNSZX", 1)]


@pytest.mark.usefixtures("history")
async def test_rates_are_shares_of_the_groups_declarations(
    client: httpx.AsyncClient, operator: dict[str, str], platform: Platform
) -> None:
    response = await client.get(f"{API}/rates", params={"group_by": "agency", "period": "month"}, headers=operator)
    assert response.status_code == 200, response.text
    expected = await brute_force(platform, "agency")
    month = utcnow().strftime("%Y-%m")
    for row in response.json()["rows"]:
        counted = expected[row["value"]]
        assert row["period"] == month
        assert row["inspection_rate"] == pytest.approx(counted["inspected"] / counted["declarations"], abs=1e-6)
        assert row["rejection_rate"] == pytest.approx(counted["rejected"] / counted["declarations"], abs=1e-6)
        assert row["amendment_rate"] == pytest.approx(counted["amended"] / counted["declarations"], abs=1e-6)
    assert {r["value"] for r in response.json()["rows"]} == set(expected)


@pytest.mark.usefixtures("history")
async def test_an_agency_sees_the_platform_but_only_its_own_agency_row(
    client: httpx.AsyncClient, agency: Any, platform: Platform
) -> None:
    customs = await agency("customs")
    by_agency = (await client.get(f"{API}/volumes", params={"group_by": "agency"}, headers=customs.headers)).json()
    assert [r["value"] for r in by_agency["rows"]] == ["customs"]
    by_port = (await client.get(f"{API}/volumes", params={"group_by": "port"}, headers=customs.headers)).json()
    assert as_table(by_port["rows"]) == await brute_force(platform, "port")
    other = await client.get(f"{API}/clearance-times", params={"agency": "maritime"}, headers=customs.headers)
    assert other.status_code == 403


@pytest.mark.usefixtures("history")
async def test_csv_and_excel_exports_hold_the_same_rows(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    params = {"group_by": "country"}
    rows = (await client.get(f"{API}/volumes", params=params, headers=operator)).json()["rows"]
    as_csv = await client.get(f"{API}/volumes", params={**params, "format": "csv"}, headers=operator)
    assert as_csv.headers["content-type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [(r["value"], int(r["declarations"])) for r in parsed] == [(r["value"], r["declarations"]) for r in rows]
    as_xlsx = await client.get(f"{API}/rates", params={**params, "format": "xlsx"}, headers=operator)
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("period", "value", "declarations")
    assert [(v[1], v[2]) for v in values[1:]] == [(r["value"], r["declarations"]) for r in rows]


@pytest.mark.usefixtures("history")
async def test_the_cli_prints_the_apis_figures(client: httpx.AsyncClient, operator: dict[str, str], cli: Any) -> None:
    api = (await client.get(f"{API}/volumes", params={"group_by": "trade_mode"}, headers=operator)).json()["rows"]
    printed = await cli("analytics", "volumes", "--group-by", "trade_mode", "--format", "json")
    assert json.loads(printed.output) == api
    table = await cli("analytics", "rates", "--group-by", "port")
    assert "CNSGH" in table.output
    assert "inspection_rate" in table.output


async def test_bad_queries_are_refused_naming_the_field(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    backwards = await client.get(
        f"{API}/volumes", params={"since": "2026-02-01", "until": "2026-01-01"}, headers=operator
    )
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["loc"] == "$.query.since"
    unknown = await client.get(f"{API}/volumes", params={"group_by": "colour"}, headers=operator)
    assert unknown.status_code == 422
    assert "group_by" in unknown.json()["errors"][0]["loc"]
    a_month = {"since": "2026-01-01", "until": "2026-01-31", "period": "day"}
    assert (await client.get(f"{API}/clearance-times", params=a_month, headers=operator)).status_code == 200
    a_day_more = await client.get(f"{API}/clearance-times", params={**a_month, "until": "2026-02-01"}, headers=operator)
    assert a_day_more.status_code == 422
    assert a_day_more.json()["errors"][0]["loc"] == "$.query.since"
    assert "per day, at most 31 days" in a_day_more.json()["errors"][0]["msg"]


async def test_statistics_need_a_signed_in_caller(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{API}/volumes")).status_code == 401


@pytest.mark.usefixtures("history")
async def test_rebuild_from_the_timelines_gives_the_same_figures(
    client: httpx.AsyncClient, operator: dict[str, str], cli: Any
) -> None:
    async def figures() -> list[Any]:
        shown = []
        for group_by in GROUPS:
            response = await client.get(f"{API}/volumes", params={"group_by": group_by}, headers=operator)
            shown.append(response.json()["rows"])
        times = (await client.get(f"{API}/clearance-times", params={"group_by": "agency"}, headers=operator)).json()
        return [*shown, sorted((r["interval"], r["agency"], r["count"]) for r in times["rows"])]

    live = await figures()
    assert live[-1], "the history has clearance times"
    result = await cli("analytics", "rebuild")
    assert "rebuilt the summaries of 5 declarations" in result.output
    assert await figures() == live
