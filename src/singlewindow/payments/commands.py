"""``singlewindow payments``: orders and their explained assessments, rates, port charges, paying.

Operator commands open the database with the operator's authority (whoever runs them holds
its credentials). ``pay`` and ``guarantee`` act for a trader, so they go through the API
with the trader's own key from ``SW_API_KEY``, never more authority than that key.
"""

import json
import os
import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import httpx
import typer
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.kit.commands import run_in_session
from singlewindow.payments import bank, reference, service, views
from singlewindow.payments.schemas import RateIn, SimulatedAccountIn
from singlewindow.payments.tariff import shipped

app = typer.Typer(
    help="Duties and taxes, payment orders, receipts, exchange rates, port charges.", no_args_is_help=True
)
rates_app = typer.Typer(help="Customs exchange rates by month.", no_args_is_help=True)
fees_app = typer.Typer(help="The public catalogue of port charges (收费公示).", no_args_is_help=True)
app.add_typer(rates_app, name="rates")
app.add_typer(fees_app, name="fees")
OPERATOR = Principal(
    party_id=uuid.UUID(int=0), party_kind=PartyKind.OPERATOR, roles=frozenset({"operator"}), user_id=uuid.UUID(int=0)
)
ApiUrl = Annotated[str, typer.Option(envvar="SW_API_URL", help="The platform's base URL")]


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


@app.command("orders")
def orders(
    status: Annotated[str | None, typer.Option(help="awaiting_payment, paid, guaranteed, cancelled")] = None,
) -> None:
    """Every payment order, newest first."""

    async def work(session: AsyncSession) -> None:
        for o in await service.orders(session, OPERATOR, status=status, limit=200):
            typer.echo(f"{o.id}  {o.reference:<20} rev {o.revision}  {o.amount:>16} {o.currency}  {o.status}")

    run_in_session(work)


@app.command("show")
def show(order_id: uuid.UUID) -> None:
    """One order: every figure of its assessment with the formula that gave it, payments, receipt."""

    async def work(session: AsyncSession) -> None:
        detail = views.order_detail(*await service.order_detail(session, OPERATOR, order_id))
        _echo_json(detail.model_dump(mode="json"))

    run_in_session(work)


@app.command("tariff")
def tariff(hs_code: str) -> None:
    """The shipped tariff line a code falls under."""
    key, line = shipped().line(hs_code)
    _echo_json({"tariff_line": key, **line.model_dump(mode="json")})


def _trader_call(url: str, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
    api_key = os.environ.get("SW_API_KEY")
    if not api_key:
        typer.echo("set SW_API_KEY to the trader's API key (it is not taken as an argument)", err=True)
        raise typer.Exit(2)
    with httpx.Client(base_url=url, timeout=30) as client:
        response = client.post(path, json=body, headers={"X-API-Key": api_key, **(headers or {})})
    typer.echo(response.text)
    if response.is_error:
        raise typer.Exit(1)


@app.command("pay")
def pay(
    order_id: uuid.UUID,
    account: Annotated[str, typer.Option(help="The payer's bank account")],
    idempotency_key: Annotated[str, typer.Option(help="Reuse it to retry safely: the same key never pays twice")],
    bank_code: Annotated[str, typer.Option("--bank", help="The bank adapter")] = "simulated",
    url: ApiUrl = "http://127.0.0.1:8000",
) -> None:
    """Pay an order as the trader whose API key is in SW_API_KEY."""
    body = {"payer_account": account, "bank": bank_code}
    _trader_call(url, f"/api/v1/payments/orders/{order_id}/pay", body, {"Idempotency-Key": idempotency_key})


@app.command("guarantee")
def guarantee(order_id: uuid.UUID, reference_number: str, url: ApiUrl = "http://127.0.0.1:8000") -> None:
    """Lodge a bank guarantee for an order as the trader whose API key is in SW_API_KEY."""
    _trader_call(url, f"/api/v1/payments/orders/{order_id}/guarantee", {"reference": reference_number})


@rates_app.command("list")
def rates_list(month: Annotated[str | None, typer.Option(help="YYYY-MM")] = None) -> None:
    async def work(session: AsyncSession) -> None:
        for r in await reference.rates(session, month):
            typer.echo(f"{r.month}  {r.currency}  {r.rate:>12}  published {r.published_on}  {r.source}")

    run_in_session(work)


@rates_app.command("set")
def rates_set(
    currency: str,
    month: Annotated[str, typer.Argument(help="YYYY-MM, the month customs applies the rate")],
    rate: Annotated[str, typer.Argument(help="Yuan per one unit of the currency")],
    source: Annotated[str, typer.Option(help="Where the figure was published")],
    published_on: Annotated[str | None, typer.Option(help="Default: third Wednesday of the month before")] = None,
) -> None:
    data = RateIn(
        rate=Decimal(rate), source=source, published_on=date.fromisoformat(published_on) if published_on else None
    )

    async def work(session: AsyncSession) -> str:
        row = await reference.put_rate(session, OPERATOR, currency.upper(), month, data)
        return f"{row.month} {row.currency} {row.rate} (published {row.published_on})"

    typer.echo(run_in_session(work, commit=True))


@fees_app.command("search")
def fees_search(
    port: Annotated[str | None, typer.Option(help="UN/LOCODE, e.g. CNSGH")] = None,
    service_code: Annotated[str | None, typer.Option("--service", help="e.g. terminal_handling")] = None,
    text: Annotated[str | None, typer.Option("--q", help="Words in the service or operator")] = None,
) -> None:
    async def work(session: AsyncSession) -> None:
        for c in await reference.search_charges(session, port=port, service=service_code, text=text):
            mark = " (illustrative)" if c.illustrative else ""
            typer.echo(f"{c.port}  {c.service_code:<24} {c.standard:>10} {c.currency} {c.unit}  {c.operator}{mark}")

    run_in_session(work)


@fees_app.command("compare")
def fees_compare(service_code: str) -> None:
    """One service across ports, cheapest first."""

    async def work(session: AsyncSession) -> None:
        for comparison in await reference.compare(session, service_code):
            typer.echo(f"{comparison.service_code} ({comparison.unit}, {comparison.currency})")
            for c in comparison.charges:
                typer.echo(f"  {c.port}  {c.standard:>10}  {c.operator}")

    run_in_session(work)


@app.command("bank-account")
def bank_account(
    account: str,
    holder: Annotated[str, typer.Option()] = "Demo",
    balance: Annotated[str, typer.Option()] = "1000000.00",
    behaviour: Annotated[str, typer.Option(help="accept, decline or timeout")] = "accept",
) -> None:
    """Open or change an account at the simulated bank (the demo's)."""
    data = SimulatedAccountIn.model_validate({"holder": holder, "balance": balance, "behaviour": behaviour})

    async def work(session: AsyncSession) -> str:
        row = await bank.put_account(session, OPERATOR, account, data)
        return f"{row.account}: {row.balance} {row.behaviour}"

    typer.echo(run_in_session(work, commit=True))
