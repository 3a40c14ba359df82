"""Real ``singlewindow`` processes for the reliability tests: start, wait until ready, SIGKILL, restart.

Each process writes its output to a log file, whose tail goes into the assertion message
when it fails to start, so a crash in a child process is diagnosable from the test report.
"""

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from support.hashing import CHEAP_PASSWORD_HASHING_ENV

SINGLEWINDOW = Path(sys.executable).parent / "singlewindow"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def platform_env(database_url: str, public_url: str, **overrides: str) -> dict[str, str]:
    """The environment of a deployed node: this process's, without any SW_* setting it happens to carry."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SW_")}
    env.update(
        SW_DATABASE_URL=database_url,
        SW_PUBLIC_URL=public_url,
        SW_SIMULATORS="true",
        SW_PAYMENTS_AUTO_GUARANTEE="true",
        SW_EMBEDDED_WORKER="false",
        SW_SECRET_KEY="reliability-test-secret-key-0123456789abcdef",
        SW_LOG_LEVEL="WARNING",
        SW_LOG_JSON="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(CHEAP_PASSWORD_HASHING_ENV)
    env.update(overrides)
    return env


async def eventually(check: Callable[[], Awaitable[bool]], *, within: float, what: str, every: float = 0.05) -> None:
    """Wait until ``check()`` is true, or fail naming ``what`` after ``within`` seconds."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within}s: {what}")
        await asyncio.sleep(every)


def _open_log(path: Path) -> IO[bytes]:
    return path.open("ab")


@dataclass
class Node:
    """One ``singlewindow`` command run as a child process that a test can kill and start again."""

    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    process: asyncio.subprocess.Process | None = None
    starts: int = 0

    async def start(self) -> None:
        assert not self.running, f"{self.name} is already running"
        with _open_log(self.log) as log:
            log.write(f"--- start #{self.starts + 1}: singlewindow {' '.join(self.args)}\n".encode())
            log.flush()
            self.process = await asyncio.create_subprocess_exec(
                SINGLEWINDOW, *self.args, env=self.env, stdout=log, stderr=asyncio.subprocess.STDOUT
            )
        self.starts += 1

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def sigkill(self) -> None:
        """Kill the process with no chance to clean up, as a power cut or the OOM killer would."""
        assert self.process is not None, f"{self.name} was never started"
        assert self.running, f"{self.name} is not running: {self.tail()}"
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        """Ask the process to stop; kill it if it has not within three seconds."""
        if self.process is None or not self.running:
            return
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), 3)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class ApiServer(Node):
    """``singlewindow serve`` on a port of its own; ``base_url`` is where clients reach it."""

    port: int = 0
    ready_within: float = 30.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        await super().start()
        await self.ready(self.ready_within)

    async def ready(self, within: float = 30.0) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=2) as client:

            async def answers() -> bool:
                assert self.running, (
                    f"{self.name} exited with {self.process and self.process.returncode}:\n{self.tail()}"
                )
                try:
                    return (await client.get("/healthz")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(answers, within=within, what=f"{self.name} answers /healthz")


def api_server(env: dict[str, str], port: int, logs: Path) -> ApiServer:
    return ApiServer("api", ["serve", "--host", "127.0.0.1", "--port", str(port)], env, logs / "api.log", port=port)


def worker(env: dict[str, str], logs: Path) -> Node:
    return Node("worker", ["worker"], env, logs / "worker.log")
