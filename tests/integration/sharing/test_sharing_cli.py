"""The whole round through ``singlewindow sharing``: publish, request, grant, query, log, revoke."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from support.sharing import CREDIT, RELEASED_CARGO


def parsed(result: Any) -> Any:
    return json.loads(result.output)


async def test_an_agency_shares_through_the_cli(cli: Any, released: Any) -> None:
    code = RELEASED_CARGO["code"]
    elements = [arg for e in RELEASED_CARGO["elements"] for arg in ("--element", e)]
    published = await cli(
        "sharing", "publish", code, "--agency", "customs", "--name-zh", RELEASED_CARGO["name_zh"],
        "--name-en", RELEASED_CARGO["name_en"], "--source", "released_declarations",
        "--document-type", "cargo_declaration", *elements,
    )  # fmt: skip
    assert parsed(published)["publisher"] == "customs"
    assert [c["code"] for c in parsed(await cli("sharing", "classes"))] == [code]

    denied = await cli("sharing", "query", code, "--agency", "inspection_quarantine", exit_code=1)
    assert parsed(denied)["title"] == "No grant"

    asked = await cli(
        "sharing", "request", code, "--agency", "inspection_quarantine", "--purpose", "risk profiling",
        "--element", "SW0018", "--element", "SW0010",
    )  # fmt: skip
    incoming = parsed(await cli("sharing", "requests", "--agency", "customs", "--incoming"))
    assert [r["id"] for r in incoming] == [parsed(asked)["id"]]
    expires = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S")
    granted = await cli(
        "sharing", "grant", parsed(asked)["id"], "--agency", "customs", "--element", "SW0018",
        "--expires", expires, "--filter", "port=CNSGH",
    )  # fmt: skip
    assert parsed(granted)["filters"] == {"port": ["CNSGH"]}

    await released()
    page = parsed(await cli("sharing", "query", code, "--agency", "inspection_quarantine"))
    assert [item["data"] for item in page["items"]] == [{"goods": [{"hs_code": "847130"}, {"hs_code": "610910"}]}]

    await cli("sharing", "revoke", parsed(granted)["id"], "--agency", "customs", "--reason", "done")
    await cli("sharing", "query", code, "--agency", "inspection_quarantine", exit_code=1)
    log = parsed(await cli("sharing", "log", "--agency", "customs"))
    assert [(e["granted"], e["reason"]) for e in log] == [(False, "grant revoked"), (True, None), (False, "no grant")]


async def test_bad_input_is_named_and_changes_nothing(cli: Any, platform: Any) -> None:
    """``platform`` seeds the simulated agencies."""
    refused = await cli(
        "sharing", "publish", CREDIT["code"], "--agency", "customs", "--name-zh", "x", "--name-en", "x",
        "--source", "enterprise_credit", "--element", "SW0099",
    exit_code=1)  # fmt: skip
    assert parsed(refused)["errors"][0]["loc"] == "$.elements[0]"
    assert parsed(await cli("sharing", "classes")) == []
    unknown = await cli("sharing", "requests", "--agency", "weather_bureau", exit_code=1)
    assert "weather_bureau" in parsed(unknown)["detail"]
