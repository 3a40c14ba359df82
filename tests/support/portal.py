"""The portal as a browser without JavaScript uses it: GET a page, POST its form with the page's CSRF token."""

import re
from dataclasses import dataclass

import httpx

PASSWORD = "correct horse battery"
PORTAL_ONLY_AGENCY = "border_control"
"""In the browser tests this agency works from the portal: its system interface is off, only its officer decides."""
BROKER_USCC = "914403001922038216"
BROKER_NAME = "深圳报关行 Shenzhen Customs Brokerage Co., Ltd."
"""A customs broker enterprise the portal tests register."""
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Server:
    url: str
    database_url: str


class Portal:
    """Drives the portal as a browser without JavaScript would: GET a page, POST its form."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.csrf = ""

    async def get(self, path: str, **kwargs: object) -> httpx.Response:
        response = await self.client.get(f"/portal{path}", **kwargs)  # type: ignore[arg-type]
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    async def post(
        self, path: str, data: dict[str, str] | list[tuple[str, str]] | None = None, **kwargs: object
    ) -> httpx.Response:
        if not self.csrf:
            await self.get("/login")
        fields = list(data.items()) if isinstance(data, dict) else list(data or [])
        form: dict[str, list[str]] = {"csrf_token": [self.csrf]}
        for name, value in fields:
            form.setdefault(name, []).append(value)
        response = await self.client.post(f"/portal{path}", data=form, **kwargs)  # type: ignore[arg-type]
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    async def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        await self.get("/login")
        response = await self.post("/login", {"username": username, "password": password})
        assert response.status_code == 303, response.text
        await self.get(response.headers["location"].removeprefix("/portal"))  # signing in issues a new CSRF token
        return response
