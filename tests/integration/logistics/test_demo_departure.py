"""`singlewindow logistics demo-departure` against a served platform: the four simulated agencies release the
departure, and the permit it prints is issued, signed and verifies."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from support.cli import Invoke
from support.flow import settle
from support.portal import PASSWORD
from support.processes import eventually, free_port
from typer.testing import CliRunner

from singlewindow.app import Platform
from singlewindow.cli import app as cli_app


@pytest.fixture
async def served(app: FastAPI, platform: Platform) -> AsyncIterator[str]:
    """The test's app on a real port, its messages moved as a worker would, while the command talks HTTP to it."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve())

    async def started() -> bool:
        return bool(server.started)

    await eventually(started, within=10, what="uvicorn serving the test's app")

    async def work() -> None:
        while True:
            with contextlib.suppress(AssertionError):
                await settle(platform, within=1.0)
            await asyncio.sleep(0.05)

    worker = asyncio.create_task(work())
    yield f"http://127.0.0.1:{port}"
    worker.cancel()
    server.should_exit = True
    await serving


async def test_the_demo_departure_ends_in_an_issued_verifiable_permit(
    served: str, cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SW_DEMO_PASSWORD", PASSWORD)
    runner = CliRunner()
    args = ["logistics", "demo-departure", "--url", served, "--wait", "30"]
    result: Any = await asyncio.to_thread(runner.invoke, cli_app, args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("declared departure ")
    assert lines[1] == "consolidated status: released"
    signed = json.loads("\n".join(lines[2:-2]))
    permit = signed["permit"]
    assert permit["means_of_transport"]["imo_number"] == "9795610"
    assert permit["cleared_by"] == ["border_control", "customs", "inspection_quarantine", "maritime"]
    assert [g["un_number"] for g in permit["dangerous_goods"]] == ["1263", "3480"]
    assert lines[-2] == "verification: issued by this single window, unaltered"
    assert lines[-1].endswith(f"/portal/permits/{permit['number']}?s={signed['signature']['value']}")

    path = tmp_path / "permit.json"
    path.write_text(json.dumps(signed), encoding="utf-8")
    assert (await cli("logistics", "verify-permit", str(path))).output.startswith("VALID")
