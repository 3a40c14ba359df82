"""A webhook receiver on a real port, counting every delivery by its event id.

Processes under test reach it over TCP like any subscriber; the count shows duplicates
(an id delivered twice) and losses (an id never delivered) that a deduplicating store would hide.
"""

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from support.processes import eventually, free_port


class CountingReceiver:
    def __init__(self) -> None:
        self.deliveries: Counter[str] = Counter()
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _hook(self, request: Request) -> Response:
        await request.body()
        self.deliveries[request.headers["SW-Event-Id"]] += 1
        return Response(status_code=204)

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator["CountingReceiver"]:
        app = Starlette(routes=[Route("/hook", self._hook, methods=["POST"])])
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        task = asyncio.create_task(server.serve())
        await eventually(lambda: asyncio.sleep(0, server.started), within=10, what="the receiver listens")
        try:
            yield self
        finally:
            server.should_exit = True
            await task
