"""Fill a PostgreSQL database with N realistic declarations and the summary rows that match them.

    python bench/generate_declarations.py --count 1000000            # a new database, printed at the end
    python bench/generate_declarations.py --count 10000000 --jobs 2  # two processes, every other month each
    python bench/generate_declarations.py --count 1000000 --database-url postgresql+asyncpg://.../sw

Declarations (with their canonical data) go in by COPY. Their timelines (arrival,
submission, agency decisions, inspections, rejections and amendments, payment, release,
gate-out) are folded by the same ``analytics.timeline`` functions the live event handlers
run, and the summary rows are COPYed a day at a time, so the summaries are exactly what the
live platform would hold for the same events. Agency tasks, timelines and outbox rows are
not written: statistics never read them.
"""

import argparse
import asyncio
import itertools
import json
import random
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import GOODS_POOL, postgres_database

from singlewindow.analytics import service as analytics
from singlewindow.analytics import timeline
from singlewindow.analytics.models import COUNT_KEY, DAY, DURATION_KEY, MONTH
from singlewindow.kit.migrate import upgrade_async

PORTS = ["CNSGH", "CNNGB", "CNSZX", "CNTAO", "CNTXG", "CNXMN", "CNDLC", "CNCAN", "CNYTN", "CNLYG", "CNFOC", "CNZJG"]
TRADE_MODES = ["0110", "0110", "0110", "0214", "0615", "1210", "9610", "1233", "4561", "0420"]
COUNTRIES = ["US", "JP", "KR", "DE", "VN", "AU", "MY", "TH", "RU", "BR", "IN", "NL", "GB", "SG", "ID", "FR", "IT"]
FOREIGN_PORTS = {"US": "USLAX", "JP": "JPTYO", "KR": "KRPUS", "DE": "DEHAM", "NL": "NLRTM", "SG": "SGSIN"}
COPY_COLUMNS = {
    "declarations": [
        "id",
        "created_at",
        "party_id",
        "reference",
        "document_type",
        "type",
        "status",
        "revision",
        "data",
        "catalogue_version",
        "submitted_by",
        "updated_at",
    ],
}


@dataclass
class Story:
    """One declaration's life, in times."""

    id: uuid.UUID
    party: uuid.UUID
    type: str
    data: dict[str, Any]
    agencies: tuple[str, ...]
    events: list[tuple[datetime, str, tuple[Any, ...]]]
    status: str
    revision: int


@dataclass(frozen=True)
class Parties:
    """Declaring enterprises, a few big brokers and a long tail: the n-th files about n**-0.7 of the most."""

    ids: list[uuid.UUID]
    weights: list[float]

    @classmethod
    def of(cls, count: int, rng: random.Random) -> "Parties":
        ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(count)]
        return cls(ids, list(itertools.accumulate((n + 1) ** -0.7 for n in range(count))))

    def pick(self, rng: random.Random) -> uuid.UUID:
        return rng.choices(self.ids, cum_weights=self.weights)[0]


def story(n: int, day: date, parties: Parties, rng: random.Random) -> Story:
    kind = "import" if rng.random() < 0.62 else "export"
    port, country = rng.choice(PORTS), rng.choice(COUNTRIES)
    abroad = FOREIGN_PORTS.get(country, "SGSIN")
    goods = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 5))):
        hs, description, unit, gross, net, price = rng.choice(GOODS_POOL)
        quantity = rng.randint(1, 500)
        goods.append(
            {
                "hs_code": hs,
                "description": description,
                "quantity": str(quantity),
                "unit": unit,
                "gross_weight_kg": f"{float(gross) * quantity:.2f}",
                "net_weight_kg": f"{float(net) * quantity:.2f}",
                "value": f"{float(price) * quantity:.2f}",
                "origin_country": country if kind == "import" else "CN",
            }
        )
    data = {
        "type": kind,
        "reference": f"GEN-{n:010d}",
        "trade_mode": rng.choice(TRADE_MODES),
        "transport_mode": "2",
        "port_of_loading": abroad if kind == "import" else port,
        "port_of_discharge": port if kind == "import" else abroad,
        "country": country,
        "currency": "USD",
        "incoterm": "CIF" if kind == "import" else "FOB",
        "bill_of_lading": f"BL{n:012d}",
        "consignor": {"name": "Generated consignor", "country": country},
        "consignee": {"name": "Generated consignee", "country": "CN"},
        "goods": goods,
    }
    agencies = ["customs", "maritime"]
    if rng.random() < 0.2:
        agencies.append("inspection_quarantine")
    if rng.random() < 0.05:
        agencies.append("commerce")
    submitted = datetime.combine(day, datetime.min.time(), UTC) + timedelta(seconds=rng.uniform(0, 86_399))
    arrival = submitted - timedelta(seconds=rng.uniform(-7_200, 36_000))
    events: list[tuple[datetime, str, tuple[Any, ...]]] = [(arrival, "milestone", ("arrival",))]
    events.append((submitted, "submitted", (1, tuple(agencies))))
    at, status, revision = submitted, "released", 1
    roll = rng.random()
    decisions = {a: submitted + timedelta(seconds=rng.lognormvariate(7.5, 1.0)) for a in agencies}
    if roll < 0.03:  # rejected by one agency; most are amended and then released
        rejecting = rng.choice(agencies)
        for agency, when in decisions.items():
            events.append((when, "decided", (agency, "rejected" if agency == rejecting else "released")))
        at = max(decisions.values())
        events.append((at, "status", ("rejected",)))
        status = "rejected"
        if rng.random() < 0.6:
            revision, at = 2, at + timedelta(seconds=rng.lognormvariate(9, 1))
            events.append((at, "submitted", (2, tuple(agencies))))
            decisions = {a: at + timedelta(seconds=rng.lognormvariate(7, 1)) for a in agencies}
            status = "released"
    if status == "released" or roll >= 0.03:
        inspect = roll >= 0.03 and rng.random() < 0.08
        for agency, when in sorted(decisions.items(), key=lambda item: item[1]):
            events.append((when, "decided", (agency, "inspection" if inspect and agency == "customs" else "released")))
        at = max(decisions.values())
        if inspect:
            events.append((at, "status", ("inspection",)))
            at += timedelta(seconds=rng.lognormvariate(10.5, 0.6))
            events.append((at, "decided", ("customs", "released")))
        if rng.random() < 0.01 and not inspect:
            events.append((at, "status", ("cancelled",)))
            status = "cancelled"
        else:
            payment = at + timedelta(seconds=rng.lognormvariate(7, 1.2))
            released = payment + timedelta(seconds=rng.lognormvariate(6, 1))
            events.append((payment, "milestone", ("payment",)))
            events.append((released, "status", ("released",)))
            events.append((released + timedelta(seconds=rng.lognormvariate(10, 0.8)), "milestone", ("gate_out",)))
            status = "released"
    return Story(uuid.uuid4(), parties.pick(rng), kind, data, tuple(agencies), events, status, revision)


def fold(s: Story) -> tuple[timeline.State, list[timeline.Increments]]:
    return timeline.replay(s.party, "cargo_declaration", s.type, s.data, s.events)


def days(count: int, span: int, end: date) -> Iterator[tuple[date, int]]:
    """How many declarations each day gets: busier on weekdays, growing through the window."""
    weights = [
        (0.6 if (end - timedelta(days=d)).weekday() >= 5 else 1.0) * (1 + (span - d) / span) for d in range(span)
    ]
    total = sum(weights)
    for d in range(span - 1, -1, -1):
        yield end - timedelta(days=d), round(count * weights[d] / total)


class Monthly:
    """Monthly rows add up over a month's days; they go in once, when the month is complete."""

    def __init__(self) -> None:
        self.counts: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.durations: dict[tuple[Any, ...], dict[str, Any]] = {}

    def add(self, counts: list[dict[str, Any]], durations: list[dict[str, Any]]) -> None:
        for row in (r for r in counts if r["grain"] == MONTH):
            key = tuple(row[k] for k in COUNT_KEY)
            if key in self.counts:
                for measure in timeline.MEASURES:
                    self.counts[key][measure] += row[measure]
            else:
                self.counts[key] = dict(row)
        for row in (r for r in durations if r["grain"] == MONTH):
            key = tuple(row[k] for k in DURATION_KEY)
            if key in self.durations:
                self.durations[key]["count"] += row["count"]
            else:
                self.durations[key] = dict(row)

    async def flush(self, connection: asyncpg.Connection) -> None:
        await copy_rows(connection, "analytics_counts", list(self.counts.values()))
        await copy_rows(connection, "analytics_durations", list(self.durations.values()))
        self.counts.clear()
        self.durations.clear()


async def copy_rows(connection: asyncpg.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        await connection.copy_records_to_table(table, records=[tuple(r.values()) for r in rows], columns=list(rows[0]))


async def generate(url: str, count: int, span: int, parties_count: int, seed: int, part: tuple[int, int]) -> None:
    """Write part ``k`` of ``n``: the days of every n-th month, so n processes can fill one database side by side."""
    await upgrade_async(url)
    rng = random.Random(seed)
    parties = Parties.of(parties_count, rng)
    rng.seed(seed * 1_000 + part[0])
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    await connection.execute("SET synchronous_commit = off")
    started, made, monthly = time.perf_counter(), 0, Monthly()
    today = datetime.now(UTC).date()

    def n_left(day: date) -> int:
        return (today - day).days

    for day, n in days(count, span, today):
        if (day.year * 12 + day.month) % part[1] != part[0]:
            continue
        stories = [story(part[0] * 10**9 + made + i, day, parties, rng) for i in range(n)]
        made += n
        batch, declarations, milestones = [], [], []
        for s in stories:
            state, increments = fold(s)
            assert state.facts is not None
            for inc in increments:
                batch.append((s.id, state.facts, inc))
            first = state.at["submitted"]
            declarations.append(
                (
                    s.id,
                    first,
                    s.party,
                    s.data["reference"],
                    "cargo_declaration",
                    s.type,
                    s.status,
                    s.revision,
                    json.dumps(s.data, separators=(",", ":")),
                    "bench",
                    "bench",
                    s.events[-1][0],
                )
            )
            f = state.facts
            milestones.append(
                (
                    s.id,
                    f.party_id,
                    f.document_type,
                    f.type,
                    f.day,
                    f.port,
                    f.trade_mode,
                    f.country,
                    *(state.at.get(m) for m in timeline.MILESTONES),
                    json.dumps(state.agencies),
                    json.dumps(sorted(state.counted)),
                )
            )
        counts, durations = analytics.summary_rows(batch)
        monthly.add(counts, durations)
        async with connection.transaction():
            await connection.copy_records_to_table(
                "declarations", records=declarations, columns=COPY_COLUMNS["declarations"]
            )
            await connection.copy_records_to_table(
                "analytics_milestones",
                records=milestones,
                columns=[
                    "declaration_id",
                    "party_id",
                    "document_type",
                    "type",
                    "day",
                    "port",
                    "trade_mode",
                    "country",
                    *(f"{m}_at" for m in timeline.MILESTONES),
                    "agencies",
                    "counted",
                ],
            )
            await copy_rows(connection, "analytics_counts", [r for r in counts if r["grain"] == DAY])
            await copy_rows(connection, "analytics_durations", [r for r in durations if r["grain"] == DAY])
            if day.month != (day + timedelta(days=1)).month or n_left(day) == 0:
                await monthly.flush(connection)
        if day.day == 1:
            print(f"{day}: {made:,} declarations, {made / (time.perf_counter() - started):,.0f}/s", flush=True)
    await connection.execute("ANALYZE")
    await connection.close()
    print(f"{made:,} declarations and their summaries in {time.perf_counter() - started:,.0f} s")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365, help="spread over this many days, ending today")
    parser.add_argument("--parties", type=int, default=5_000, help="declaring enterprises")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--database-url", help="an empty database (default: create sw_bench_<random>)")
    parser.add_argument("--part", default="0/1", help="k/n: write every n-th month starting at k")
    parser.add_argument("--jobs", type=int, default=1, help="run this many parts side by side, one process each")
    args = parser.parse_args()
    url = args.database_url or (await postgres_database())[1]
    if args.jobs > 1:
        await upgrade_async(url)
        started = time.perf_counter()
        await asyncio.gather(*(_part(url, k, args) for k in range(args.jobs)))
        print(f"{args.count:,} declarations in {time.perf_counter() - started:,.0f} s by {args.jobs} processes")
    else:
        k, n = (int(x) for x in args.part.split("/"))
        await generate(url, args.count, args.days, args.parties, args.seed, (k, n))
    print(f"database: {url}")


async def _part(url: str, k: int, args: argparse.Namespace) -> None:
    """One process per part: the generator is CPU-bound Python, and each part owns its months' summary rows."""
    options = ["--count", str(args.count), "--days", str(args.days), "--parties", str(args.parties)]
    part = ["--seed", str(args.seed), "--part", f"{k}/{args.jobs}", "--database-url", url]
    process = await asyncio.create_subprocess_exec(sys.executable, __file__, *options, *part)
    if await process.wait() != 0:
        raise SystemExit(f"part {k}/{args.jobs} failed")


if __name__ == "__main__":
    asyncio.run(main())
