"""Every route × every role, from the routes' own declarations: allowed roles get past the
permission check, every other role gets 403, anonymous callers 401, and a route that
declares nothing fails here."""

import re
import uuid

import httpx
from fastapi import FastAPI
from support.accounts import ROLE_ACCOUNTS, Accounts

from singlewindow.identity.dependencies import declared_routes
from singlewindow.identity.permissions import PERMISSIONS, ROLE_PERMISSIONS, Role

REFUSED = {401, 403}


def concrete(path: str) -> str:
    """A path with its parameters filled: ids get a random UUID (nothing found), other names a word."""
    return re.sub(r"{(\w+)}", lambda m: str(uuid.uuid4()) if m.group(1).endswith("_id") else "nothing", path)


async def call(client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str]) -> httpx.Response:
    body: dict[str, object] | None = {} if method in {"POST", "PUT", "PATCH"} else None
    return await client.request(method, concrete(path), json=body, headers=headers)


def test_every_route_declares_its_access(app: FastAPI) -> None:
    routes = declared_routes(app.routes)
    assert len(routes) > 40, "the app's routes were not all found"
    undeclared = [f"{r.method} {r.path}" for r in routes if r.access is None]
    assert undeclared == [], "routes without requires(...) or dependencies=[PUBLIC]"
    assert {r.access for r in routes} - {"public"} <= set(PERMISSIONS)


async def test_the_matrix_holds_for_every_route_and_role(
    app: FastAPI, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    wrong: list[str] = []
    for route in declared_routes(app.routes):
        method, path, access = route.method, route.path, route.access
        anonymous = await call(client, method, path, {})
        if access == "public":
            if anonymous.status_code in REFUSED:
                wrong.append(f"anonymous {method} {path}: {anonymous.status_code} on a public route")
            continue
        if anonymous.status_code != 401:
            wrong.append(f"anonymous {method} {path}: {anonymous.status_code}, expected 401")
        for role in ROLE_ACCOUNTS:
            response = await call(client, method, path, await accounts.headers(role))
            allowed = access in ROLE_PERMISSIONS[Role(role)]
            if allowed and response.status_code in REFUSED:
                wrong.append(f"{role} {method} {path} ({access}): refused {response.status_code} {response.text}")
            if not allowed and response.status_code != 403:
                wrong.append(f"{role} {method} {path} ({access}): {response.status_code}, expected 403")
    assert wrong == []


SPELLED_OUT = [
    ("declarant", "POST", "/api/v1/declarations", True),
    ("viewer", "POST", "/api/v1/declarations", False),
    ("finance", "POST", "/api/v1/declarations", False),
    ("officer", "POST", "/api/v1/declarations", False),
    ("auditor", "POST", "/api/v1/declarations", False),
    ("auditor", "GET", "/api/v1/declarations", True),
    ("auditor", "PUT", "/api/v1/routing/rules", False),
    ("operator", "PUT", "/api/v1/routing/rules", True),
    ("declarant", "POST", "/api/v1/api-keys", False),
    ("admin", "POST", "/api/v1/webhooks", True),
    ("declarant", "POST", "/api/v1/webhooks", False),
    ("officer", "POST", "/api/v1/exchange/inbound", True),
    ("operator", "POST", "/api/v1/exchange/inbound", False),
    ("admin", "PUT", "/api/v1/enterprises/{uscc}/credit-level", False),
    ("officer", "PUT", "/api/v1/enterprises/{uscc}/credit-level", True),
    ("auditor", "POST", "/api/v1/exchange/dead-letters/{message_id}/replay", False),
]


async def test_the_policy_says_what_the_issue_asks(client: httpx.AsyncClient, accounts: Accounts) -> None:
    """Spelled out by hand, independent of the role table, for the rules that matter most."""
    wrong = []
    for role, method, path, allowed in SPELLED_OUT:
        response = await call(client, method, path, await accounts.headers(role))
        if (response.status_code not in REFUSED) is not allowed:
            wrong.append(f"{role} {method} {path}: {response.status_code}")
    assert wrong == []
