"""An app per test on a clean database, with simulated agencies, an in-process network and accounts.

Building an app is cheap, but its first requests are not: FastAPI builds each included
route's dependency tree and pydantic adapters on first use, and SQLAlchemy compiles each
statement once per engine. So tests with the same settings share one app, as requests to a
running deployment do, and each test gets it back as a freshly started process would have
it: empty tables (``database_url``), empty per-process caches, the shipped simulator rules,
a network without faults, and the demo accounts seeded again.
"""

import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from support.flow import settle
from support.network import InProcessNetwork, WebhookReceiver

from singlewindow import demo
from singlewindow.app import Platform, configure_process, create_app
from singlewindow.qualifications import service as qualifications
from singlewindow.routing import service as routing
from singlewindow.settings import Settings
from singlewindow.simulators import service as simulators
from singlewindow.simulators.rules import load_rules

PASSWORD = "correct horse battery"
OTHER_USCC = "914403001922038216"
PLATFORM_HOST = "platform.test"
KEPT_APPS = 4
"""Apps kept warm at once (one per distinct settings, most recently used): each holds a connection pool."""


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


@dataclass
class Deployment:
    app: FastAPI
    network: InProcessNetwork

    @property
    def platform(self) -> Platform:
        return self.app.state.platform  # type: ignore[no-any-return]

    def restart(self, settings: Settings) -> None:
        """Forget what earlier tests left in this process, as a restart of the deployment would."""
        configure_process(settings)
        routing.forget_cached_rules()
        self.platform.registry.forget()
        self.app.state.simulator_rules = load_rules(settings.simulator_rules_file)
        self.network.reset(keep=PLATFORM_HOST)


@pytest.fixture(scope="session")
async def deployments() -> AsyncIterator["OrderedDict[str, Deployment]"]:
    kept: OrderedDict[str, Deployment] = OrderedDict()
    yield kept
    for deployment in kept.values():
        await deployment.platform.close()


@pytest.fixture
async def deployment(settings: Settings, deployments: "OrderedDict[str, Deployment]") -> Deployment:
    """The warm app for these settings (built on first use), restarted for this test."""
    key = settings.model_dump_json()
    found = deployments.get(key)
    if found is None:
        network = InProcessNetwork()
        found = Deployment(create_app(settings, transport=network), network)
        network.add_host(PLATFORM_HOST, found.app)
        deployments[key] = found
        while len(deployments) > KEPT_APPS:
            await deployments.popitem(last=False)[1].platform.close()
    deployments.move_to_end(key)
    found.restart(settings)
    return found


@pytest.fixture
def network(deployment: Deployment) -> InProcessNetwork:
    return deployment.network


@pytest.fixture
def webhooks(network: InProcessNetwork) -> WebhookReceiver:
    receiver = WebhookReceiver()
    network.add_host("hooks.test", receiver.app)
    return receiver


@pytest.fixture
async def app(settings: Settings, deployment: Deployment) -> FastAPI:
    async with deployment.platform.sessions() as session:
        await demo.seed(session, password=PASSWORD, public_url=settings.public_url, simulators_enabled=True)
        await session.commit()
    return deployment.app


@pytest.fixture
def platform(app: FastAPI) -> Platform:
    return app.state.platform  # type: ignore[no-any-return]


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{PLATFORM_HOST}") as client:
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
