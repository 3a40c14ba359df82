"""End-to-end latency at a fixed offered load: submit → 3 agencies decide → consolidated → webhook.

    python bench/flow.py --spawn postgresql --rate 500 --duration 20

The server runs with its dispatcher and the simulated agencies in-process; a webhook
receiver in this process timestamps each "released" notification. Latency is from the
start of the submission to the webhook's arrival.
"""

import argparse
import asyncio
import json
import time
from typing import Any

import httpx
import uvicorn
from harness import PASSWORD, Server, bodies, cpu_note, free_port, spawn

from singlewindow.routing.service import default_rules


class Receiver:
    def __init__(self) -> None:
        self.released: dict[str, float] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        payload = json.loads(body)["payload"]
        if payload["status"] == "released":
            self.released.setdefault(payload["declaration_id"], time.perf_counter())
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def route_to_three_agencies(client: httpx.AsyncClient) -> None:
    """customs + maritime (by sea) + border control for every declaration, and no treasury.

    The treasury is in process, not a simulated agency, and its shipped tariff holds only the
    lines the demo declares: most of the bench's goods would be refused as unassessable.
    Duties are measured on their own by ``assessment.py``.
    """
    operator = await client.post("/api/v1/auth/token", data={"username": "operator", "password": PASSWORD})
    rules = default_rules().model_dump(mode="json")
    rules["rules"] = [rule for rule in rules["rules"] if rule["agency"] != "treasury"]
    rules["rules"].append({"id": "bench-border", "agency": "border_control", "when": {"always": True}})
    headers = {"Authorization": f"Bearer {operator.json()['access_token']}"}
    (await client.put("/api/v1/routing/rules", json=rules, headers=headers)).raise_for_status()


async def offer(server: Server, receiver: Receiver, rate: float, duration: float) -> dict[str, float]:
    payloads = bodies(int(rate * duration))
    submitted: dict[str, float] = {}
    errors = 0
    headers = {"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(base_url=server.url, headers=headers, limits=limits, timeout=60) as client:

        async def one(body: bytes) -> None:
            nonlocal errors
            started = time.perf_counter()
            response = await client.post("/api/v1/declarations", content=body)
            if response.status_code == 201:
                submitted[response.json()["id"]] = started
            else:
                errors += 1

        t0 = time.perf_counter()
        tasks = []
        for i, body in enumerate(payloads):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(body)))
        await asyncio.gather(*tasks)
        offered_for = time.perf_counter() - t0
    print(
        f"offered={len(payloads)} in {offered_for:.1f}s ({len(payloads) / offered_for:.0f}/s) accepted={len(submitted)} errors={errors}"
    )
    return submitted


def report(submitted: dict[str, float], released: dict[str, float]) -> None:
    latencies = sorted((released[i] - t) * 1000 for i, t in submitted.items() if i in released)
    missing = len(submitted) - len(latencies)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else float("nan")

    print(f"released={len(latencies)} not_released_in_time={missing}")
    print(f"flow_p50_ms={pct(50):.0f} flow_p95_ms={pct(95):.0f} flow_p99_ms={pct(99):.0f} flow_max_ms={pct(100):.0f}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spawn", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--rate", type=float, default=500.0, help="declarations offered per second")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--drain", type=float, default=30.0, help="seconds to wait for the last releases")
    parser.add_argument("--workers", type=int, default=1, help="serving processes (one per core on PostgreSQL)")
    args = parser.parse_args()
    receiver = Receiver()
    port = free_port()
    hook_server = uvicorn.Server(uvicorn.Config(receiver, port=port, log_level="warning", lifespan="off"))
    hook_task = asyncio.create_task(hook_server.serve())
    env = {"SW_EMBEDDED_WORKER": "true", "SW_SIMULATORS": "true", "SW_SIMULATOR_INSPECTION_DELAY_SECONDS": "0"}
    with cpu_note():
        async with spawn(args.spawn, extra_env=env, processes=args.workers) as server:
            async with httpx.AsyncClient(base_url=server.url) as client:
                await route_to_three_agencies(client)
                hook = {"url": f"http://127.0.0.1:{port}/hook"}
                auth = {"Authorization": f"Bearer {server.token}"}
                (await client.post("/api/v1/webhooks", json=hook, headers=auth)).raise_for_status()
            submitted = await offer(server, receiver, args.rate, args.duration)
            deadline = time.perf_counter() + args.drain
            while time.perf_counter() < deadline and not set(submitted) <= set(receiver.released):
                await asyncio.sleep(0.2)
            report(submitted, receiver.released)
            rss = server.peak_rss_mib()
            print(f"server_peak_rss_mib={rss:.0f}" if rss else "")
    hook_server.should_exit = True
    await hook_task


if __name__ == "__main__":
    asyncio.run(main())
