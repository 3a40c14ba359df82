"""``singlewindow licences``: look up, verify, issue and revoke licences in the registry."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.errors import field_error
from singlewindow.kit.clock import utcnow
from singlewindow.kit.commands import run_or_exit
from singlewindow.licences import service
from singlewindow.licences.kinds import kinds
from singlewindow.licences.schemas import LicenceIssue, LicenceOut

app = typer.Typer(help="The licence registry: look up, verify, issue, revoke.", no_args_is_help=True)
ACTOR = "cli:operator"


def _echo(licence: LicenceOut) -> None:
    typer.echo(
        f"{licence.number}  {licence.kind}  {licence.status}  holder {licence.holder_uscc or licence.holder_name}"
        f"  valid {licence.valid_from}..{licence.valid_until}  ({licence.agency})"
    )
    for line in licence.goods:
        quantity = (
            f"{line.quantity_used}+{line.quantity_reserved}/{line.quantity_allowed} {line.unit}" if line.unit else ""
        )
        value = f"{line.value_used}+{line.value_reserved}/{line.value_allowed} {line.currency}" if line.currency else ""
        typer.echo(f"  {line.line}. HS {line.hs_code}  used+reserved/allowed: {quantity} {value}".rstrip())


@app.command("kinds")
def licence_kinds() -> None:
    """The licence kinds: code, number prefix, issuing agency, regulatory condition."""
    for k in kinds().values():
        typer.echo(f"{k.code:<26} {k.prefix}  {k.agency:<22} {k.condition or '-'}  {k.name}")


@app.command("show")
def show(number: str) -> None:
    """One licence with its balances and usage history."""

    async def work(session: AsyncSession) -> None:
        licence = await service.find(session, number)
        _echo(await service.describe(session, licence))
        for use in await service.history(session, licence):
            typer.echo(
                f"  {use.updated_at:%Y-%m-%d %H:%M} {use.reference} r{use.revision}"
                f" item {use.item + 1}: {use.quantity} {use.value} {use.state}"
            )

    run_or_exit(work)


@app.command("list")
def list_licences(uscc: Annotated[str | None, typer.Option(help="Only this holder's licences")] = None) -> None:
    async def work(session: AsyncSession) -> None:
        for licence in await service.every(session):
            if uscc is None or licence.holder_uscc == uscc:
                _echo(licence)

    run_or_exit(work)


@app.command("verify")
def verify(
    number: str,
    hs: Annotated[str, typer.Option(help="HS code of the goods")],
    quantity: Annotated[Decimal | None, typer.Option(help="Quantity in the licence line's unit")] = None,
) -> None:
    """Would the licence cover this much of this HS code now? Exits 1 when not."""

    async def work(session: AsyncSession) -> bool:
        answer = await service.check_now(session, await service.find(session, number), hs, quantity)
        typer.echo(answer.model_dump_json(indent=2))
        return answer.valid

    if not run_or_exit(work):
        raise typer.Exit(1)


@app.command("issue")
def issue(
    kind: Annotated[str, typer.Argument(help="A licence kind (see `licences kinds`)")],
    holder_uscc: str,
    valid_until: Annotated[str, typer.Option(help="Last valid day, YYYY-MM-DD")],
    goods: Annotated[
        Path,
        typer.Option(help="JSON file: a list of goods lines (hs_code, description, quantity, unit, value, currency)"),
    ],
    valid_from: Annotated[str | None, typer.Option(help="First valid day (default today)")] = None,
) -> None:
    """Issue a licence on the issuing agency's behalf (e.g. carried over from its own register)."""
    try:
        data = LicenceIssue.model_validate(
            {
                "kind": kind,
                "holder_uscc": holder_uscc,
                "valid_from": valid_from or utcnow().date().isoformat(),
                "valid_until": valid_until,
                "goods": json.loads(goods.read_text(encoding="utf-8")),
            }
        )
    except ValidationError as exc:
        for error in exc.errors():
            rendered = field_error(error)
            typer.echo(f"{rendered['loc']}: {rendered['msg']}", err=True)
        raise typer.Exit(2) from exc

    async def work(session: AsyncSession) -> str:
        return (await service.issue_as(session, data, actor=ACTOR)).number

    typer.echo(f"issued {run_or_exit(work, commit=True)}")


@app.command("revoke")
def revoke(number: str, reason: Annotated[str, typer.Option(help="Why, as the holder will read it")]) -> None:
    async def work(session: AsyncSession) -> None:
        await service.revoke(session, None, number, reason, actor=ACTOR)

    run_or_exit(work, commit=True)
    typer.echo(f"revoked {number}")
