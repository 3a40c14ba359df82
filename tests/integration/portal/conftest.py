"""Browser-like clients of the portal (cookies kept, CSRF token read from each page) and portal officers."""

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from support.portal import BROKER_NAME, BROKER_USCC, PASSWORD, Portal

from singlewindow import demo
from singlewindow.app import Platform
from singlewindow.identity import repository as identities
from singlewindow.identity import service as identity
from singlewindow.portal.forms import to_form


@pytest.fixture
async def browser(app: FastAPI) -> AsyncIterator[Callable[[], Awaitable[Portal]]]:
    """``await browser()`` opens a fresh cookie jar; call it twice for two people."""
    clients: list[httpx.AsyncClient] = []

    async def open_one() -> Portal:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://platform.test")
        clients.append(client)
        return Portal(client)

    yield open_one
    for client in clients:
        await client.aclose()


@pytest.fixture
async def trader_portal(browser: Callable[[], Awaitable[Portal]]) -> Portal:
    portal = await browser()
    await portal.login(demo.DEMO_TRADER)
    return portal


@pytest.fixture
async def broker_portal(client: httpx.AsyncClient, browser: Callable[[], Awaitable[Portal]]) -> Portal:
    """A customs broker enterprise registered through the API, its administrator signed in to the portal."""
    registration = {
        "name": BROKER_NAME,
        "uscc": BROKER_USCC,
        "roles": ["customs_broker"],
        "admin": {"username": "broker-admin", "password": PASSWORD},
    }
    assert (await client.post("/api/v1/enterprises", json=registration)).status_code == 201
    portal = await browser()
    await portal.login("broker-admin")
    return portal


@pytest.fixture
def officer(platform: Platform) -> Callable[[str], Awaitable[str]]:
    """``await officer("customs")`` adds that agency's portal officer and returns the username."""

    async def add(code: str) -> str:
        async with platform.sessions() as session:
            party = await identities.party_by_agency(session, code)
            assert party is not None
            username = f"officer-{code}"
            await identity.add_user(session, party, username, PASSWORD, ["officer"])
            await session.commit()
        return username

    return add


@pytest.fixture
def submit(trader_portal: Portal) -> Callable[..., Awaitable[str]]:
    """``await submit(document)`` submits through the portal form and returns the declaration's page path."""

    async def go(document: dict[str, object]) -> str:
        response = await trader_portal.post("/declarations/new", [*to_form(document).items(), ("action", "submit")])
        assert response.status_code == 303, response.text
        return response.headers["location"].removeprefix("/portal")

    return go
