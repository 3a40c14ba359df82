"""What operators rely on: health, metrics, the OpenAPI document."""

import httpx

from singlewindow.settings import Settings


async def test_healthz_answers_when_the_database_does(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_healthz_is_503_when_the_database_is_gone(settings: Settings) -> None:
    from singlewindow.app import create_app

    broken = settings.model_copy(update={"database_url": "postgresql+asyncpg://postgres@127.0.0.1:1/none"})
    app = create_app(broken)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get("/healthz")
        listing = await client.get("/api/v1/declarations", headers={"X-API-Key": "sw_whatever"})
    await app.state.platform.close()
    assert response.status_code == 503
    assert listing.status_code == 503
    assert listing.headers["retry-after"] == "2"


async def test_metrics_are_prometheus_text(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'sw_request_seconds_count{method="GET",route="/healthz",status="200"}' in response.text


def observed(metrics_text: str, method: str, route: str, status: int) -> float:
    series = f'sw_request_seconds_count{{method="{method}",route="{route}",status="{status}"}} '
    found = [line for line in metrics_text.splitlines() if line.startswith(series)]
    return float(found[0].split()[-1]) if found else 0.0


async def test_requests_are_counted_by_route_template_and_status(client: httpx.AsyncClient, settings: Settings) -> None:
    cases = [
        (
            "GET",
            "/api/v1/declarations/0191d0c0-0000-7000-8000-000000000000",
            "/api/v1/declarations/{declaration_id}",
            401,
        ),
        ("GET", "/no/such/page", "unmatched", 404),
        ("DELETE", "/healthz", "/healthz", 405),
        ("POST", "/api/v1/declarations", "unmatched", 413),
    ]
    before = (await client.get("/metrics")).text
    for method, path, _, status in cases:
        body = b" " * (settings.max_body_bytes + 1) if status == 413 else None
        assert (await client.request(method, path, content=body)).status_code == status
    after = (await client.get("/metrics")).text
    for method, _, route, status in cases:
        assert observed(after, method, route, status) == observed(before, method, route, status) + 1, route


async def test_openapi_documents_every_endpoint(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/enterprises",
        "/api/v1/declarations",
        "/api/v1/declarations/{declaration_id}",
        "/api/v1/declarations/{declaration_id}/events",
        "/api/v1/exchange/inbound",
        "/api/v1/exchange/dead-letters",
        "/api/v1/webhooks",
        "/api/v1/routing/rules",
    ):
        assert path in paths
    assert not any(p.startswith("/simulators") for p in paths)
