"""The ``singlewindow`` command against the test database, as an operator would run it."""

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.documents import import_declaration
from support.processes import ApiServer, free_port, platform_env
from typer.testing import CliRunner, Result

from singlewindow.cli import app
from singlewindow.routing.service import default_rules
from singlewindow.settings import Settings, get_settings


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``await cli(args)`` runs the command in a thread (it runs its own event loop)."""
    monkeypatch.setenv("SW_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    runner = CliRunner()

    async def invoke(*args: str) -> Result:
        result = await asyncio.to_thread(runner.invoke, app, list(args))
        assert result.exit_code == 0, result.output
        return result

    yield invoke
    get_settings.cache_clear()


async def test_declarations_list_and_show(
    cli: Any, client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    created = (await client.post("/api/v1/declarations", json=import_declaration(), headers=trader)).json()
    await run()
    listing = await cli("declarations", "list")
    assert "1 declaration(s)" in listing.output
    assert f"{created['id']}" in listing.output
    assert "released" in listing.output
    shown = await cli("declarations", "show", created["id"])
    assert '"status": "released"' in shown.output
    assert '"kind": "agency_decision"' in shown.output
    assert (await cli("declarations", "list", "--status", "rejected")).output.startswith("0 declaration(s)")


async def test_routing_show_and_load(cli: Any, platform: Any, tmp_path: Path) -> None:
    """``platform`` seeds the shipped rule table (the app fixture runs the demo seed)."""
    shown = json.loads((await cli("routing", "show")).output)
    assert [r["id"] for r in shown["rules"]] == [r.id for r in default_rules().rules]
    shown["rules"] = shown["rules"][:2]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(shown))
    assert "2 rule(s) loaded" in (await cli("routing", "load", str(path))).output
    assert len(json.loads((await cli("routing", "show")).output)["rules"]) == 2


async def test_db_upgrade_is_idempotent(cli: Any) -> None:
    assert "database at heads" in (await cli("db", "upgrade")).output


def serving_children(pid: int) -> list[int]:
    """The worker processes uvicorn spawned (not its multiprocessing resource tracker)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


async def test_serve_with_workers_answers_from_that_many_processes(tmp_path: Path) -> None:
    """Once, on a bare SQLite file: /healthz needs no schema, and the backend is not what is tested."""
    port = free_port()
    database = f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}"
    env = platform_env(database, f"http://127.0.0.1:{port}", SW_DATA_DIR=str(tmp_path))
    args = ["serve", "--port", str(port), "--workers", "2"]
    server = ApiServer("api", args, env, tmp_path / "api.log", port=port, ready_within=180)
    await server.start()
    try:
        assert server.process is not None
        assert len(serving_children(server.process.pid)) == 2, server.tail()
        async with httpx.AsyncClient(base_url=server.base_url) as client:
            answers = await asyncio.gather(*(client.get("/healthz") for _ in range(8)))
        assert {answer.status_code for answer in answers} == {200}
    finally:
        await server.stop()


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    for command in ("serve", "worker", "demo", "db", "declarations", "exchange", "routing"):
        assert command in result.output
