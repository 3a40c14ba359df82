"""An app per test on a clean database, with simulated agencies, an in-process network and accounts."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from support.flow import settle
from support.network import InProcessNetwork, WebhookReceiver

from singlewindow import demo
from singlewindow.app import Platform, create_app
from singlewindow.qualifications import service as qualifications
from singlewindow.routing import service as routing
from singlewindow.settings import Settings
from singlewindow.simulators import service as simulators

PASSWORD = "correct horse battery"
OTHER_USCC = "914403001922038216"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        public_url="http://platform.test",
        simulators=True,
        embedded_worker=False,
        retry_base_seconds=0.01,
        retry_cap_seconds=0.05,
        retry_max_attempts=5,
        dispatch_lease_seconds=5,
        simulator_inspection_delay_seconds=0,
        log_json=False,
        payments_auto_guarantee=True,
    )


@pytest.fixture
def network() -> InProcessNetwork:
    return InProcessNetwork()


@pytest.fixture
def webhooks(network: InProcessNetwork) -> WebhookReceiver:
    receiver = WebhookReceiver()
    network.add_host("hooks.test", receiver.app)
    return receiver


@pytest.fixture
async def app(settings: Settings, network: InProcessNetwork) -> AsyncIterator[FastAPI]:
    routing.forget_cached_rules()
    app = create_app(settings, transport=network)
    network.add_host("platform.test", app)
    platform: Platform = app.state.platform
    async with platform.sessions() as session:
        await demo.seed(session, password=PASSWORD, public_url=settings.public_url, simulators_enabled=True)
        await session.commit()
    yield app
    await platform.close()


@pytest.fixture
def platform(app: FastAPI) -> Platform:
    return app.state.platform  # type: ignore[no-any-return]


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://platform.test") as client:
        yield client


async def bearer(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = await client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
async def trader(client: httpx.AsyncClient) -> dict[str, str]:
    """Authorization headers of the demo trader."""
    return await bearer(client, demo.DEMO_TRADER)


@pytest.fixture
async def operator(client: httpx.AsyncClient) -> dict[str, str]:
    return await bearer(client, demo.DEMO_OPERATOR)


@pytest.fixture
async def other_trader(client: httpx.AsyncClient, platform: Platform) -> dict[str, str]:
    """A second enterprise, registered through the API, holding a customs registration (so it may declare)."""
    response = await client.post(
        "/api/v1/enterprises",
        json={
            "name": "深圳另一贸易有限公司 Shenzhen Other Trading Co., Ltd.",
            "uscc": OTHER_USCC,
            "roles": ["importer"],
            "admin": {"username": "other-admin", "password": PASSWORD},
        },
    )
    assert response.status_code == 201, response.text
    async with platform.sessions() as session:
        await qualifications.grant(session, uuid.UUID(response.json()["id"]), "customs_registration", actor="test")
        await session.commit()
    return await bearer(client, "other-admin")


@dataclass
class Agency:
    code: str
    headers: dict[str, str]


@pytest.fixture
def agency(platform: Platform) -> Any:
    """Credentials of a simulated agency, to answer as that agency system would."""

    async def for_code(code: str) -> Agency:
        async with platform.sessions() as session:
            simulated = await simulators.agency(session, code)
        assert simulated is not None
        return Agency(code, {"X-API-Key": simulated.api_key})

    return for_code


@pytest.fixture
def run(platform: Platform) -> Any:
    """``await run()`` moves every message until the platform is quiet."""

    async def go(*, simulators: bool = True) -> None:
        await settle(platform, simulators=simulators)

    return go
