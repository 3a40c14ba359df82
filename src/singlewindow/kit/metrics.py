"""Prometheus metrics every context reports into; ``/metrics`` exposes the default registry."""

from prometheus_client import Counter, Histogram

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
