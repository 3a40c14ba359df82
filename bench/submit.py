"""Submission throughput: N concurrent clients POST valid declarations (1-50 goods items).

    python bench/submit.py --spawn postgresql --workers 2 --duration 20 --concurrency 32
    python bench/submit.py --url http://127.0.0.1:8000 --token "$TOKEN" --server-pid 1234

The last line is exactly ``declarations_per_s=<float> p99_ms=<float> errors=<int>``.
"""

import argparse
import asyncio

from harness import Server, bodies, closed_loop, cpu_note, spawn


async def run(server: Server, duration: float, concurrency: int) -> None:
    payloads = bodies(2000)
    await closed_loop(server.url, server.token, payloads[:200], duration=min(3.0, duration), concurrency=concurrency)
    load = await closed_loop(server.url, server.token, payloads, duration=duration, concurrency=concurrency)
    print(load.summary())
    for sample in load.error_samples:
        print(f"error sample: {sample}")
    rss = server.peak_rss_mib()
    print(f"server_peak_rss_mib={rss:.0f}" if rss is not None else "server_peak_rss_mib=unknown (pass --server-pid)")
    print(f"declarations_per_s={load.rate:.1f} p99_ms={load.percentile(99):.1f} errors={load.errors}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server (with --token)")
    parser.add_argument("--token", help="bearer token of a declarant")
    parser.add_argument("--server-pid", type=int, help="the server's pid, to report its peak RSS")
    parser.add_argument("--spawn", choices=["sqlite", "postgresql"], help="start a server on a fresh database")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of measured load")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="with --spawn: serving processes (one per core)")
    args = parser.parse_args()
    with cpu_note():
        if args.spawn:
            async with spawn(args.spawn, processes=args.workers) as server:
                print(
                    f"server: singlewindow serve --workers {args.workers} on {args.spawn}, "
                    "dispatcher not running (submission path only)"
                )
                await run(server, args.duration, args.concurrency)
        else:
            if not (args.url and args.token):
                parser.error("give --spawn, or --url and --token")
            await run(Server(args.url, args.token, args.server_pid), args.duration, args.concurrency)


if __name__ == "__main__":
    asyncio.run(main())
