"""Fixtures: filing documents through the API, changing the logistics settings, posting port events."""

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support.cli import cli
from support.logistics import Filer

from singlewindow.kit.clock import utcnow
from singlewindow.logistics import config
from singlewindow.settings import Settings

__all__ = ["cli"]


@pytest.fixture
def filer(client: httpx.AsyncClient, trader: dict[str, str]) -> Filer:
    return Filer(client, trader)


@pytest.fixture
def reconfigure(settings: Settings) -> Callable[..., None]:
    """Change the deployment's logistics settings for the rest of the test (as SW_* variables would)."""

    def apply(**changes: Any) -> None:
        config.configure(settings.model_copy(update=changes))

    return apply


@pytest.fixture
def port_event(client: httpx.AsyncClient, agency: Any) -> Callable[..., Any]:
    """``await port_event(message_id, payload)`` posts as the simulated terminal's system."""

    async def post(message_id: str, payload: dict[str, Any], sender: str = "terminal") -> httpx.Response:
        system = await agency(sender)
        envelope = {
            "message_id": message_id,
            "kind": "port_event",
            "subject_id": str(uuid.uuid5(uuid.NAMESPACE_URL, payload.get("container") or payload["voyage_number"])),
            "revision": 1,
            "issued_at": utcnow().isoformat(),
            "payload": payload,
        }
        return await client.post("/api/v1/exchange/inbound", json=envelope, headers=system.headers)

    return post
