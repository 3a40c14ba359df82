"""Assessment cost: the pure engine on declarations of 1 to 50 goods items (no database).

    python bench/assessment.py --rounds 2000

The last line is exactly ``assessments_per_s=<float> items_per_s=<float> p99_ms=<float>``.
"""

import argparse
import random
import time
from decimal import Decimal

from singlewindow.payments.assessment import ExchangeRate, Goods, Item, assess
from singlewindow.payments.tariff import shipped
from singlewindow.payments.valuation import shipped as shipped_rules

CODES = ["847130", "6109100011", "020230", "87032342"]
RATES = {"EUR": ExchangeRate("EUR", Decimal("7.8123"), "2025-01", "2024-12-18")}


def declaration(rng: random.Random) -> Goods:
    items = [
        Item(
            seq=n + 1,
            hs_code=rng.choice(CODES),
            description="goods",
            quantity=Decimal(rng.randint(1, 5000)),
            unit="C62",
            net_weight_kg=Decimal(rng.randint(1, 20000)),
            value=Decimal(rng.randint(100, 10_000_000)) / 100,
            origin=rng.choice(["DE", "AU", "JP"]),
        )
        for n in range(rng.randint(1, 50))
    ]
    return Goods("BENCH", "EUR", rng.choice(["CIF", "FOB", "CFR", "EXW"]), "1", items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(7)
    work = [declaration(rng) for _ in range(args.rounds)]
    tariff, rules = shipped(), shipped_rules()
    timings = []
    started = time.perf_counter()
    for goods in work:
        t0 = time.perf_counter()
        assess(goods, tariff, rules, RATES)
        timings.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    items = sum(len(g.items) for g in work)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1] * 1000
    print(f"declarations={len(work)} items={items} seconds={elapsed:.2f}")
    print(f"assessments_per_s={len(work) / elapsed:.1f} items_per_s={items / elapsed:.1f} p99_ms={p99:.2f}")


if __name__ == "__main__":
    main()
