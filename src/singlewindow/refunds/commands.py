"""``singlewindow refunds``: record purchase invoices, pre-fill an application, follow applications."""

import json
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity import service as identity
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.kit.commands import run_in_session
from singlewindow.refunds import service
from singlewindow.refunds.schemas import InvoiceIn

app = typer.Typer(help="Export tax refund: invoices, one-call pre-fill, applications.", no_args_is_help=True)


async def _as_enterprise(session: AsyncSession, uscc: str) -> Principal:
    """The CLI acts for an enterprise as its declarant would (whoever runs it holds the database credentials)."""
    party = await identity.enterprise_by_uscc(session, uscc)
    return Principal(
        party_id=party.id, party_kind=PartyKind.ENTERPRISE, roles=frozenset({"declarant"}), user_id=uuid.UUID(int=0)
    )


@app.command("invoice-add")
def invoice_add(
    uscc: str,
    number: str,
    issued_on: Annotated[str, typer.Argument(help="YYYY-MM-DD")],
    supplier: str,
    hs_code: str,
    amount: Annotated[str, typer.Argument(help="Taxable amount, VAT excluded, CNY")],
    vat_amount: Annotated[str, typer.Argument(help="VAT on the invoice, CNY")],
) -> None:
    """Record a special VAT invoice for goods bought for export."""
    data = InvoiceIn(
        number=number,
        issued_on=date.fromisoformat(issued_on),
        supplier=supplier,
        hs_code=hs_code,
        amount=Decimal(amount),
        vat_amount=Decimal(vat_amount),
    )

    async def work(session: AsyncSession) -> str:
        return str((await service.record_invoice(session, await _as_enterprise(session, uscc), data)).id)

    typer.echo(f"recorded invoice {number}: {run_in_session(work, commit=True)}")


@app.command("invoices")
def invoices(uscc: str) -> None:
    async def work(session: AsyncSession) -> None:
        for i in await service.invoices(session, await _as_enterprise(session, uscc)):
            claimed = f"claimed by {i.claimed_by}" if i.claimed_by else "unclaimed"
            typer.echo(f"{i.number:<20} {i.issued_on} {i.hs_code:<10} {i.amount:>14} {i.vat_amount:>12}  {claimed}")

    run_in_session(work)


@app.command("exports")
def exports(uscc: str) -> None:
    """The enterprise's export declarations and the entry numbers a refund application quotes."""

    async def work(session: AsyncSession) -> None:
        for e in await service.exports(session, await _as_enterprise(session, uscc)):
            typer.echo(f"{e.entry_number}  {e.reference:<20} {e.status:<10} {e.released_at or ''}")

    run_in_session(work)


@app.command("prefill")
def prefill(
    uscc: str,
    export: Annotated[str, typer.Argument(help="Export declaration id, entry number or reference")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the application JSON here")] = None,
) -> None:
    """Build the whole application for a released export and explain its refund line by line."""

    async def work(session: AsyncSession) -> str:
        result = await service.prefill(session, await _as_enterprise(session, uscc), export)
        if output:
            output.write_text(json.dumps(result.document, ensure_ascii=False, indent=2), encoding="utf-8")
        lines = [line.explanation for line in result.lines] + [f"skipped {s}" for s in result.skipped]
        return "\n".join([*lines, f"total refund CNY {result.total_refund:.2f}"])

    typer.echo(run_in_session(work))


@app.command("applications")
def applications(uscc: str) -> None:
    async def work(session: AsyncSession) -> None:
        for a in await service.applications(session, await _as_enterprise(session, uscc)):
            claimed = f"{a.claimed_amount:.2f}" if a.claimed_amount is not None else "not checked here"
            approved = f"{a.approved_amount:.2f}" if a.approved_amount is not None else "-"
            typer.echo(f"{a.reference:<24} {a.status:<10} claimed {claimed} approved {approved}")

    run_in_session(work)
