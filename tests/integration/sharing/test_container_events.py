"""Container events, as terminals report them to logistics, shared as a data class like any other."""

from datetime import timedelta
from typing import Any

import httpx
import pytest
from support.logistics import CONTAINER, IMO, VOYAGE, Filer, consignment, manifest
from support.sharing import API, CONTAINER_EVENTS, Share

from singlewindow.kit.clock import utcnow

CODE = CONTAINER_EVENTS["code"]
EXPORT_CONTAINER = "MSCU1234566"


@pytest.fixture(autouse=True)
async def manifested(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    """The carrier's manifest announces both containers (the terminal reports only containers it knows)."""
    carried = manifest()
    carried["consignments"].append(consignment("HLCUHAM2411002", EXPORT_CONTAINER))
    await Filer(client, trader).file("cargo_manifest", carried)


def at(minutes: int) -> str:
    return (utcnow() + timedelta(minutes=minutes)).isoformat()


async def records(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.get(f"{API}/data-classes/{CODE}/records", headers=headers)


async def test_every_container_event_is_shared_within_the_grant(
    client: httpx.AsyncClient, agency: Any, share: Share, port_event: Any
) -> None:
    grant = await share(
        body=CONTAINER_EVENTS,
        publisher="maritime",
        subscriber_code="customs",
        requested=["SW0015", "SW0079", "SW0080", "SW0034"],
        elements=["SW0015", "SW0079"],
        filters={"event": ["gate_out", "loaded", "departed"]},
    )
    assert (grant["publisher"], grant["subscriber"]) == ("maritime", "customs")
    discharged = {"event": "container_discharged", "occurred_at": at(0), "container": CONTAINER, "location": "CNSGH"}
    await port_event(discharged)
    await port_event({"event": "gate_out", "occurred_at": at(5), "container": CONTAINER, "location": "CNSGH"})
    await port_event({"event": "gate_in", "occurred_at": at(6), "container": EXPORT_CONTAINER, "location": "CNSGH"})
    loaded = {
        "event": "loaded",
        "occurred_at": at(7),
        "container": EXPORT_CONTAINER,
        "location": "CNSGH",
        "imo_number": IMO,
        "voyage_number": VOYAGE,
    }
    await port_event(loaded)
    await port_event(loaded)
    await port_event({"event": "departed", "occurred_at": at(9), "imo_number": IMO, "voyage_number": VOYAGE})

    found = await records(client, (await agency("customs")).headers)

    assert found.status_code == 200, found.text
    assert [item["data"] for item in found.json()["items"]] == [
        {"container": CONTAINER, "event": "gate_out"},
        {"container": EXPORT_CONTAINER, "event": "loaded"},
        {"container": EXPORT_CONTAINER, "event": "departed"},
    ]


async def test_container_events_without_a_grant_are_refused_and_the_publisher_sees_the_log(
    client: httpx.AsyncClient, agency: Any, share: Share, port_event: Any
) -> None:
    await share(body=CONTAINER_EVENTS, publisher="maritime", subscriber_code="customs", elements=["SW0015", "SW0034"])
    await port_event({"event": "gate_in", "occurred_at": at(0), "container": CONTAINER, "location": "CNSGH"})
    customs, commerce, maritime = await agency("customs"), await agency("commerce"), await agency("maritime")

    granted = (await records(client, customs.headers)).json()
    denied = await records(client, commerce.headers)

    assert [item["data"] for item in granted["items"]] == [{"container": CONTAINER, "location": "CNSGH"}]
    assert denied.status_code == 403
    log = (await client.get(f"{API}/access-log", headers=maritime.headers)).json()
    assert [(e["subscriber"], e["granted"], e["records"], e["reason"]) for e in log["items"]] == [
        ("commerce", False, 0, "no grant"),
        ("customs", True, 1, None),
    ]
    assert (await client.get(f"{API}/access-log", headers=customs.headers)).json()["total"] == 0


async def test_nothing_is_kept_while_no_class_publishes_container_events(
    client: httpx.AsyncClient, agency: Any, share: Share, port_event: Any
) -> None:
    await port_event({"event": "gate_in", "occurred_at": at(0), "container": CONTAINER, "location": "CNSGH"})
    await share(body=CONTAINER_EVENTS, publisher="maritime", subscriber_code="customs", elements=["SW0015"])
    assert (await records(client, (await agency("customs")).headers)).json()["total"] == 0


async def test_a_container_event_filter_names_a_real_event(
    client: httpx.AsyncClient, agency: Any, publish: Any
) -> None:
    await publish(CONTAINER_EVENTS, by="maritime")
    customs, maritime = await agency("customs"), await agency("maritime")
    asked = await client.post(
        f"{API}/data-classes/{CODE}/requests",
        json={"purpose": "post-clearance audit", "elements": ["SW0015"]},
        headers=customs.headers,
    )
    refused = await client.post(
        f"{API}/requests/{asked.json()['id']}/grant",
        json={"elements": ["SW0015"], "filters": {"event": ["teleported"]}, "expires_at": at(60 * 24)},
        headers=maritime.headers,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == "$.filters.event[0]"
