"""How long a subscriber's query takes, and what keeping the store costs per released declaration.

Fills a fresh database's sharing store through the same event handlers the platform runs
(``DeclarationSubmitted`` then ``DeclarationStatusChanged`` → released) for ``--records``
realistic declarations with mixed trade modes and ports, grants a subscriber a filtered
scope, and times query pages with and without filters. In process, no HTTP: it measures the
sharing service and the database, not the web stack.

    .venv/bin/python bench/sharing_query.py --backend sqlite --records 20000
"""

import argparse
import asyncio
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from harness import declaration, drop_postgres_database, postgres_database

import singlewindow.declarations.schemas  # noqa: F401  (registers the cargo declaration model with the catalogue)
from singlewindow.declarations.events import DeclarationStatusChanged, DeclarationSubmitted
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import create_engine, session_factory
from singlewindow.kit.migrate import upgrade_async
from singlewindow.models import import_all
from singlewindow.sharing import feed, repository, service
from singlewindow.sharing.models import AccessRequest, DataClass, Grant, Source
from singlewindow.sharing.sources import field_map

TRADE_MODES = ["0110", "0110", "0110", "0214", "0615", "1210", "1233"]
PORTS = ["CNSGH", "CNNGB", "CNSZX", "CNTXG", "CNQIN"]
ELEMENTS = ["SW0001", "SW0007", "SW0010", "SW0018", "SW0024"]


def _agency(code: str) -> Principal:
    return Principal(uuid.uuid4(), PartyKind.AGENCY, frozenset({"officer"}), user_id=uuid.uuid4(), agency=code)


async def _publish(session: Any) -> DataClass:
    data_class = DataClass(
        code="bench.released-cargo",
        name_zh="基准",
        name_en="Bench",
        description="",
        publisher="customs",
        source=Source.RELEASED_DECLARATIONS,
        document_types=["cargo_declaration"],
        elements=ELEMENTS,
        fields={"cargo_declaration": [[p, e] for p, e in field_map("cargo_declaration") if e in ELEMENTS]},
        published_by="bench",
    )
    session.add(data_class)
    await session.flush()
    return data_class


async def _fill(sessions: Any, count: int, batch: int) -> float:
    """Seconds per released declaration spent in the sharing handlers."""
    rng = random.Random(7)
    spent = 0.0
    for start in range(0, count, batch):
        async with sessions() as session:
            for n in range(start, min(start + batch, count)):
                document = declaration(n, rng)
                document["trade_mode"], document["port_of_discharge"] = rng.choice(TRADE_MODES), rng.choice(PORTS)
                declaration_id, party, now = uuid.uuid4(), uuid.uuid4(), utcnow()
                submitted = DeclarationSubmitted(
                    declaration_id, party, "cargo_declaration", "import", document["reference"], 1, document, (), now
                )
                released = DeclarationStatusChanged(
                    declaration_id, party, document["reference"], "in_review", "released", 1, now
                )
                began = time.perf_counter()
                await feed.on_declaration_submitted(session, submitted)
                await feed.on_status_changed(session, released)
                spent += time.perf_counter() - began
            await session.commit()
    return spent / count


async def _grant(sessions: Any, data_class: DataClass, filters: dict[str, list[str]]) -> None:
    async with sessions() as session:
        request = AccessRequest(
            data_class_id=data_class.id, requester="inspection_quarantine", purpose="bench", elements=ELEMENTS,
            requested_by="bench",
        )  # fmt: skip
        session.add(request)
        await session.flush()
        session.add(
            Grant(
                request_id=request.id, data_class_id=data_class.id, subscriber="inspection_quarantine",
                elements=["SW0007", "SW0018"], filters=filters, expires_at=utcnow() + timedelta(days=1),
                granted_by="bench",
            )
        )  # fmt: skip
        await session.commit()


async def _time_queries(sessions: Any, offsets: list[int], limit: int) -> list[float]:
    subscriber = _agency("inspection_quarantine")
    timings = []
    for offset in offsets:
        async with sessions() as session:
            began = time.perf_counter()
            await service.query(session, subscriber, "bench.released-cargo", limit=limit, offset=offset)
            await session.commit()
            timings.append((time.perf_counter() - began) * 1000)
    return timings


def _summary(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"{name}: p50_ms={statistics.median(ordered):.1f} p95_ms={p95:.1f} n={len(ordered)}"


async def run(url: str, count: int, pages: int, limit: int) -> None:
    import_all()
    await upgrade_async(url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with sessions() as session:
        data_class = await _publish(session)
        await session.commit()
    per_record = await _fill(sessions, count, batch=500)
    print(f"store: {count} released declarations, handlers_ms_per_declaration={per_record * 1000:.2f}")
    rng = random.Random(11)
    offsets = [rng.randrange(0, max(1, count // 2)) for _ in range(pages)]
    for label, filters in [
        ("unfiltered", {}),
        ("trade_mode=0110 and port in 2", {"trade_mode": ["0110"], "port": ["CNSGH", "CNNGB"]}),
    ]:
        async with sessions() as session:
            for earlier in await repository.unrevoked_grants(session, data_class.id, "inspection_quarantine"):
                earlier.revoked_at = utcnow()
            await session.commit()
        await _grant(sessions, data_class, filters)
        print(_summary(f"query {label} limit={limit}", await _time_queries(sessions, offsets, limit)))
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()} cpus={os.cpu_count()} backend={args.backend}")

    async def go() -> None:
        if args.backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                await run(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", args.records, args.pages, args.limit)
            return
        name, url = await postgres_database()
        try:
            await run(url, args.records, args.pages, args.limit)
        finally:
            await drop_postgres_database(name)

    asyncio.run(go())


if __name__ == "__main__":
    main()
