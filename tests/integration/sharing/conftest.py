"""Agencies that publish and subscribe, and a released declaration to share."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from support.cli import cli
from support.documents import import_declaration
from support.exchange import INBOUND, decision
from support.sharing import API, RELEASED_CARGO, Share, tomorrow

from singlewindow.kit.clock import utcnow

__all__ = ["cli"]


@pytest.fixture
async def publish(client: httpx.AsyncClient, agency: Any) -> Callable[..., Awaitable[dict[str, Any]]]:
    """``await publish(body)``: customs publishes a data class."""

    async def go(body: dict[str, Any] = RELEASED_CARGO, by: str = "customs") -> dict[str, Any]:
        response = await client.post(f"{API}/data-classes", json=body, headers=(await agency(by)).headers)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return go


@pytest.fixture
async def share(client: httpx.AsyncClient, agency: Any, publish: Any) -> Share:
    """``await share(elements=..., filters=..., push=...)``: published, requested by quarantine and granted.

    ``publisher`` and ``subscriber`` name other agencies than customs and inspection and quarantine.
    """

    async def go(
        *,
        body: dict[str, Any] = RELEASED_CARGO,
        requested: list[str] | None = None,
        elements: list[str],
        filters: dict[str, list[str]] | None = None,
        push: bool = False,
        expires_at: str | None = None,
        publisher: str = "customs",
        subscriber_code: str = "inspection_quarantine",
    ) -> dict[str, Any]:
        await publish(body, by=publisher)
        subscriber, customs = await agency(subscriber_code), await agency(publisher)
        asked = await client.post(
            f"{API}/data-classes/{body['code']}/requests",
            json={"purpose": "risk profiling of imports", "elements": requested or elements, "push": push},
            headers=subscriber.headers,
        )
        assert asked.status_code == 201, asked.text
        granted = await client.post(
            f"{API}/requests/{asked.json()['id']}/grant",
            json={"elements": elements, "filters": filters or {}, "expires_at": expires_at or tomorrow()},
            headers=customs.headers,
        )
        assert granted.status_code == 201, granted.text
        return dict(granted.json())

    return go


@pytest.fixture
async def released(client: httpx.AsyncClient, trader: dict[str, str], run: Any) -> Callable[..., Awaitable[str]]:
    """``await released(**changes)`` submits the example declaration and lets the agencies release it."""

    async def go(**changes: Any) -> str:
        submitted = await client.post("/api/v1/declarations", json=import_declaration(**changes), headers=trader)
        assert submitted.status_code == 201, submitted.text
        await run()
        declaration = await client.get(f"/api/v1/declarations/{submitted.json()['id']}", headers=trader)
        assert declaration.json()["status"] == "released", declaration.text
        return str(submitted.json()["id"])

    return go


@pytest.fixture
async def port_event(client: httpx.AsyncClient, agency: Any) -> Callable[..., Awaitable[None]]:
    """``await port_event(payload)``: the simulated terminal reports a container or vessel event."""

    async def post(payload: dict[str, Any], message_id: str | None = None) -> None:
        envelope = {
            "message_id": message_id or f"terminal-{uuid.uuid4()}",
            "kind": "port_event",
            "subject_id": str(uuid.uuid5(uuid.NAMESPACE_URL, payload.get("container") or payload["voyage_number"])),
            "revision": 1,
            "issued_at": utcnow().isoformat(),
            "payload": payload,
        }
        response = await client.post(INBOUND, json=envelope, headers=(await agency("terminal")).headers)
        assert response.status_code == 202, response.text

    return post


@pytest.fixture
async def decide(client: httpx.AsyncClient, agency: Any) -> Callable[..., Awaitable[None]]:
    """``await decide(declaration_id, agency, decision, reason)``: an agency system answers through the exchange."""

    async def post(declaration_id: str, code: str, answer: str, reason: str | None = None) -> None:
        envelope = decision(declaration_id, answer, reason=reason)
        response = await client.post(INBOUND, json=envelope, headers=(await agency(code)).headers)
        assert response.status_code == 202, response.text
        assert response.json()["outcome"].startswith("applied"), response.text

    return post
