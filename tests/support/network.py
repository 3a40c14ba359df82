"""An in-process network: the platform's outbound HTTP reaches ASGI apps by host name.

Faults are injected per path prefix (an agency that is down answers 503, or drops the
connection), so retry and dead-letter paths run through the real adapters.
"""

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response


@dataclass
class Fault:
    remaining: int
    status: int | None = 503
    """None drops the connection instead of answering."""
    delay: float = 0.0
    """Seconds to hang before the fault (or, with ``status=0``, before the real answer): a slow agency."""


class InProcessNetwork(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.hosts: dict[str, httpx.ASGITransport] = {}
        self.faults: dict[str, Fault] = {}
        self.calls: list[str] = []

    def reset(self, *, keep: str) -> None:
        """No faults, no calls recorded, and no host but ``keep``: the network a new test starts with."""
        self.faults.clear()
        self.calls.clear()
        self.hosts = {host: transport for host, transport in self.hosts.items() if host == keep}

    def add_host(self, host: str, app: Any) -> None:
        self.hosts[host] = httpx.ASGITransport(app=app)

    def fail(self, path_prefix: str, times: int, status: int | None = 503) -> None:
        self.faults[path_prefix] = Fault(times, status)

    def slow(self, path_prefix: str, times: int, seconds: float) -> None:
        """The next ``times`` requests answer, but only after ``seconds``."""
        self.faults[path_prefix] = Fault(times, 0, seconds)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request.url.path)
        for prefix, fault in self.faults.items():
            if request.url.path.startswith(prefix) and fault.remaining > 0:
                fault.remaining -= 1
                await asyncio.sleep(fault.delay)
                if fault.status == 0:
                    break
                if fault.status is None:
                    raise httpx.ConnectError("connection dropped", request=request)
                return httpx.Response(fault.status, text="injected fault", request=request)
        transport = self.hosts.get(request.url.host)
        if transport is None:
            raise httpx.ConnectError(f"no route to {request.url.host}", request=request)
        return await transport.handle_async_request(request)


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        import json

        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """A trader's webhook endpoint that records every delivery."""

    received: list[Received] = field(default_factory=list)
    app: FastAPI = field(default_factory=FastAPI)

    def __post_init__(self) -> None:
        @self.app.post("/hook")
        async def hook(request: Request) -> Response:
            self.received.append(Received(await request.body(), dict(request.headers)))
            return Response(status_code=204)
