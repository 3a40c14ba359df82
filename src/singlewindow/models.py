"""Every context's tables, imported in one place for Alembic and for tests."""

import importlib

CONTEXTS = (
    "audit",
    "identity",
    "declarations",
    "routing",
    "exchange",
    "notifications",
    "simulators",
    "portal",
    "qualifications",
    "sharing",
    "analytics",
    "licences",
    "origin",
    "refunds",
    "logistics",
    "payments",
)


def import_all() -> None:
    for context in CONTEXTS:
        importlib.import_module(f"singlewindow.{context}.models")
