"""Prometheus metrics every context reports into; ``/metrics`` exposes the default registry."""

import time

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DECLARATIONS = Counter("sw_declarations_total", "Declarations accepted", ["type"])
STATUS_CHANGES = Counter("sw_declaration_status_total", "Consolidated status changes", ["status"])
DELIVERIES = Counter("sw_deliveries_total", "Outbound delivery attempts", ["destination", "outcome"])
INBOUND = Counter("sw_inbound_messages_total", "Inbound messages", ["sender", "duplicate"])
REQUEST_SECONDS = Histogram(
    "sw_request_seconds",
    "HTTP request latency",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
UNMATCHED = "unmatched"


class RequestMetrics:
    """Pure ASGI middleware timing each HTTP request into ``REQUEST_SECONDS``.

    Labelled by the route's path template (the router leaves the matched route in the scope),
    so ``/declarations/{declaration_id}`` is one series, not one per id; a request no route
    matched is ``unmatched``. Plain ASGI rather than ``BaseHTTPMiddleware``, which wraps
    every request and response in extra objects and tasks. A request whose handler raises
    counts as a 500.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            path = getattr(scope.get("route"), "path", UNMATCHED)
            REQUEST_SECONDS.labels(scope["method"], path, str(status)).observe(time.perf_counter() - started)
