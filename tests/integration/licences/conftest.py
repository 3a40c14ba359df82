"""Fixtures of the licence tests: the CLI, the commerce agency's credentials, and licences issued through the API."""

from typing import Any

import httpx
import pytest
from support.cli import cli
from support.licences import LICENCES, Issue, Read, licence_body

__all__ = ["cli"]


@pytest.fixture
async def commerce(agency: Any) -> dict[str, str]:
    """The commerce agency system's credentials (an officer's API key): it issues automatic import licences."""
    return (await agency("commerce")).headers  # type: ignore[no-any-return]


@pytest.fixture
def issue(client: httpx.AsyncClient, commerce: dict[str, str], app: Any) -> Issue:
    """``await issue(**changes)`` issues ``licence_body(**changes)`` as commerce and returns the licence.

    The commerce simulator's own register learns the number too, as the issuing agency's would.
    """

    async def go(**changes: Any) -> dict[str, Any]:
        response = await client.post(LICENCES, json=licence_body(**changes), headers=commerce)
        assert response.status_code == 201, response.text
        app.state.simulator_rules.root["commerce"].valid_licences.append(response.json()["number"])
        return response.json()  # type: ignore[no-any-return]

    return go


@pytest.fixture
def line_of(client: httpx.AsyncClient, commerce: dict[str, str]) -> Read:
    """``await line_of(number)``: the first goods line of a licence, as the registry shows it now."""

    async def go(number: str) -> dict[str, Any]:
        response = await client.get(f"{LICENCES}/{number}", headers=commerce)
        assert response.status_code == 200, response.text
        return response.json()["goods"][0]  # type: ignore[no-any-return]

    return go
