"""Known timelines handed to the analytics handlers, and percentiles checked against the exact ones."""

import math
import random
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from singlewindow.analytics import service as analytics
from singlewindow.analytics.histogram import RELATIVE_ERROR
from singlewindow.app import Platform
from singlewindow.declarations.events import AgencyDecided, DeclarationStatusChanged, DeclarationSubmitted
from singlewindow.kit.clock import utcnow

API = "/api/v1/analytics/clearance-times"
AGENCIES = ("customs", "maritime")
PORTS = ("CNSGH", "CNNGB")
Expected = dict[tuple[str, str, str], list[float]]
"""Exact durations per (interval, agency, port), "*" for every agency or port."""


def exact(values: list[float], q: float) -> float:
    ordered = sorted(max(0.0, v) for v in values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


async def replay(
    platform: Platform, n: int, seed: int, party_id: uuid.UUID | None = None, on: datetime | None = None
) -> Expected:
    """Hand ``n`` declarations' events (arrival, submission, decisions, payment, release, gate-out) to analytics.

    Straight to its handlers, not through the bus: other contexts would read these partial
    documents as real ones. The goods arrive on the day of ``on`` (default today), and each
    declaration is one transaction. Returns the exact durations.
    """
    rng = random.Random(seed)
    expected: Expected = {}

    def note(interval: str, agency: str, port: str, start: datetime, end: datetime) -> None:
        for p in (port, "*"):
            expected.setdefault((interval, agency, p), []).append((end - start).total_seconds())

    base = (on or utcnow()).replace(hour=1, minute=0, second=0, microsecond=0)
    for _ in range(n):
        declaration_id, port = uuid.uuid4(), rng.choice(PORTS)
        arrival = base + timedelta(seconds=rng.uniform(0, 3_600))
        submitted = arrival + timedelta(seconds=rng.uniform(-1_800, 7_200))
        decisions = {a: submitted + timedelta(seconds=rng.lognormvariate(6, 1)) for a in AGENCIES}
        decided = max(decisions.values())
        payment = decided + timedelta(seconds=rng.uniform(60, 600))
        released = payment + timedelta(seconds=rng.lognormvariate(9, 0.5))
        gate_out = released + timedelta(seconds=rng.uniform(600, 7_200))
        data = {"port_of_discharge": port, "port_of_loading": "DEHAM", "trade_mode": "0110", "country": "DE"}
        async with platform.sessions() as session:
            await analytics.record_milestone(session, declaration_id, "arrival", arrival)
            await analytics.on_submitted(
                session,
                DeclarationSubmitted(
                    declaration_id,
                    party_id or uuid.uuid4(),
                    "cargo_declaration",
                    "import",
                    "R",
                    1,
                    data,
                    AGENCIES,
                    submitted,
                ),
            )
            for agency, at in sorted(decisions.items(), key=lambda item: item[1]):
                await analytics.on_agency_decided(
                    session, AgencyDecided(declaration_id, "cargo_declaration", agency, "release", "released", 1, at)
                )
            await analytics.record_milestone(session, declaration_id, "payment", payment)
            await analytics.on_status_changed(
                session,
                DeclarationStatusChanged(declaration_id, uuid.uuid4(), "R", "in_review", "released", 1, released),
            )
            await analytics.record_milestone(session, declaration_id, "gate_out", gate_out)
            await analytics.record_milestone(session, declaration_id, "gate_out", gate_out + timedelta(days=1))
            await session.commit()
        for agency, at in decisions.items():
            note("submission_to_decision", agency, port, submitted, at)
        for interval, start, end in (
            ("arrival_to_submission", arrival, submitted),
            ("submission_to_decision", submitted, decided),
            ("decision_to_payment", decided, payment),
            ("payment_to_release", payment, released),
            ("decision_to_release", decided, released),
            ("release_to_gate_out", released, gate_out),
            ("submission_to_release", submitted, released),
            ("arrival_to_release", arrival, released),
            ("arrival_to_gate_out", arrival, gate_out),
        ):
            note(interval, "*", port, start, end)
    return expected


def assert_close(reported: float, true: float) -> None:
    assert abs(reported - true) <= max(0.5, true * RELATIVE_ERROR * 1.000001), (reported, true)


async def assert_percentiles(
    client: httpx.AsyncClient, headers: dict[str, str], expected: Expected, **window: Any
) -> None:
    """Every row the reader sees in the window (default the last 30 days), grouped each way, is one expected series."""
    seen = set()
    for group_by in ("none", "agency", "port"):
        response = await client.get(API, params={"group_by": group_by, **window}, headers=headers)
        assert response.status_code == 200, response.text
        for row in response.json()["rows"]:
            key = (row["interval"], row["agency"], row["port"])
            durations = expected[key]
            assert row["count"] == len(durations)
            assert_close(row["median_seconds"], exact(durations, 0.5))
            assert_close(row["p90_seconds"], exact(durations, 0.9))
            assert_close(row["p99_seconds"], exact(durations, 0.99))
            seen.add(key)
    assert seen == {k for k in expected if "*" in k[1:]}, "a series is missing (agency by port is no grouping)"
