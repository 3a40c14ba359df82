"""Payments tests run with the treasury waiting for payment (no standing guarantee), and helpers to pay."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from support.documents import import_declaration

from singlewindow.payments.bank import DEMO_ACCOUNT
from singlewindow.settings import Settings

DECLARATIONS = "/api/v1/declarations"
PAYMENTS = "/api/v1/payments"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings, but release waits for the payment (the production behaviour)."""
    return settings.model_copy(update={"payments_auto_guarantee": False})


@dataclass
class Imported:
    declaration_id: str
    order: dict[str, Any]


@pytest.fixture
def submit_import(client: httpx.AsyncClient, trader: dict[str, str], run: Any) -> Any:
    """Submit an import, let the agencies and the treasury act, and return its payment order."""

    async def go(document: dict[str, Any] | None = None) -> Imported:
        response = await client.post(DECLARATIONS, json=document or import_declaration(), headers=trader)
        assert response.status_code == 201, response.text
        declaration_id = response.json()["id"]
        await run()
        orders = await client.get(f"{PAYMENTS}/declarations/{declaration_id}/orders", headers=trader)
        assert orders.status_code == 200, orders.text
        assert len(orders.json()) >= 1, "the treasury opened no payment order"
        return Imported(declaration_id, orders.json()[-1])

    return go


@pytest.fixture
def pay(client: httpx.AsyncClient, trader: dict[str, str]) -> Any:
    async def go(order_id: str, *, key: str | None = None, account: str = DEMO_ACCOUNT) -> httpx.Response:
        return await client.post(
            f"{PAYMENTS}/orders/{order_id}/pay",
            json={"payer_account": account},
            headers={**trader, "Idempotency-Key": key or str(uuid.uuid4())},
        )

    return go


@pytest.fixture
def bank_account(client: httpx.AsyncClient, operator: dict[str, str]) -> Any:
    async def go(account: str, behaviour: str = "accept", balance: str = "1000000.00") -> None:
        response = await client.put(
            f"{PAYMENTS}/simulated-bank/accounts/{account}",
            json={"holder": "测试 Test", "balance": balance, "behaviour": behaviour},
            headers=operator,
        )
        assert response.status_code == 200, response.text

    return go
