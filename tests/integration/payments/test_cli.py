"""``singlewindow payments`` against the test database, as an operator would run it."""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from singlewindow.cli import app
from singlewindow.settings import Settings, get_settings


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("SW_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    runner = CliRunner()

    async def invoke(*args: str, exit_code: int = 0) -> Result:
        result = await asyncio.to_thread(runner.invoke, app, ["payments", *args])
        assert result.exit_code == exit_code, result.output
        return result

    yield invoke
    get_settings.cache_clear()


async def test_orders_and_the_explained_assessment(cli: Any, submit_import: Any) -> None:
    imported = await submit_import()
    listing = await cli("orders", "--status", "awaiting_payment")
    assert imported.order["id"] in listing.output
    assert "196405.56 CNY" in listing.output
    shown = await cli("show", imported.order["id"])
    assert "9000.00 EUR × 7.8000 = 70200.00 CNY" in shown.output
    assert '"code": "vat"' in shown.output


async def test_rates_are_loaded_and_listed(cli: Any, platform: Any) -> None:
    loaded = await cli("rates", "set", "usd", "2026-03", "7.1234", "--source", "PBOC 2026-02-25")
    assert "2026-03 USD 7.1234 (published 2026-02-25)" in loaded.output
    listing = await cli("rates", "list", "--month", "2026-03")
    assert "USD" in listing.output
    assert "PBOC 2026-02-25" in listing.output


async def test_port_charges_search_and_compare(cli: Any, platform: Any) -> None:
    found = await cli("fees", "search", "--port", "CNQDG")
    assert found.output.count("CNQDG") == 5
    compared = (await cli("fees", "compare", "port_dues_cargo")).output.splitlines()
    assert compared[0].startswith("port_dues_cargo (per TEU, CNY)")
    assert len(compared) == 6


async def test_tariff_and_the_simulated_bank(cli: Any, platform: Any) -> None:
    assert '"tariff_line": "847130"' in (await cli("tariff", "8471300000")).output
    assert (
        "6222000000000555: 5.00 decline"
        in (await cli("bank-account", "6222000000000555", "--balance", "5.00", "--behaviour", "decline")).output
    )
