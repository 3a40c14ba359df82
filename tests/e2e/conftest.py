"""A real server and a real browser: `singlewindow serve` on a free port, Debian's headless Chromium.

The server runs the embedded dispatcher and the simulated agencies against the test's database,
so what the browser sees is what a person sees: nothing is driven by hand.
"""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect
from support.portal import PASSWORD, PORTAL_ONLY_AGENCY, Server
from support.processes import api_server, free_port, platform_env

from singlewindow import demo
from singlewindow.app import Platform
from singlewindow.exchange import service as exchange
from singlewindow.exchange.schemas import CounterpartyIn
from singlewindow.routing import service as routing
from singlewindow.settings import Settings

CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 20_000
"""How long a step may take on a loaded 2-core CI machine before the test fails."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


async def _seed(database_url: str, public_url: str) -> None:
    routing.forget_cached_rules()
    platform = Platform.build(Settings(database_url=database_url, public_url=public_url, simulators=True))
    try:
        async with platform.sessions() as session:
            await demo.seed(session, password=PASSWORD, public_url=public_url, simulators_enabled=True, officers=True)
            for cp in await exchange.counterparties(session):
                if cp.code == PORTAL_ONLY_AGENCY:
                    data = CounterpartyIn(code=cp.code, name=cp.name, endpoint=cp.endpoint, enabled=False)
                    await exchange.put_counterparty(session, data, actor="e2e")
            await session.commit()
    finally:
        await platform.close()


@pytest.fixture
async def server(database_url: str, tmp_path: Path) -> AsyncIterator[Server]:
    """``singlewindow serve`` with the dispatcher and the simulated agencies inside, as the demo runs it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    await _seed(database_url, url)
    env = platform_env(
        database_url,
        url,
        SW_EMBEDDED_WORKER="true",
        SW_PAYMENTS_AUTO_GUARANTEE="true",
        SW_SIMULATOR_INSPECTION_DELAY_SECONDS="0.5",
        SW_RETRY_BASE_SECONDS="5",
    )
    node = api_server(env, port, tmp_path)
    try:
        await node.start()
        yield Server(url, database_url)
    finally:
        await node.stop()


@pytest.fixture(scope="session")
def chromium() -> str:
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run scripts/services.sh (apt-get install chromium)"
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 1100, "height": 760}, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)
    opened = await context.new_page()
    yield opened
    await context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/portal when SW_PORTAL_SCREENSHOTS names it (to refresh the docs), else a scratch folder."""
    folder = Path(os.environ.get("SW_PORTAL_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
