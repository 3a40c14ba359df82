"""``singlewindow analytics``: the statistics pages' figures at the terminal, or as CSV/JSON/Excel files."""

import json
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.analytics import export, reporting, service, worker
from singlewindow.analytics.schemas import ClearanceQuery, ClearanceRow, RateRow, StatisticsQuery, VolumeRow
from singlewindow.identity import service as identity
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.kit.commands import run_in_session

Q = TypeVar("Q", bound=BaseModel)
app = typer.Typer(help="Statistics and clearance times (from the summary tables).", no_args_is_help=True)

OPERATOR = Principal(
    party_id=uuid.UUID(int=0), party_kind=PartyKind.OPERATOR, roles=frozenset({"operator"}), user_id=uuid.UUID(int=0)
)
"""Whoever runs the command holds the database credentials: they see the platform, or one enterprise with --uscc."""

Since = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="First day (UTC), inclusive")]
Until = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Last day (UTC), inclusive")]
PeriodOption = Annotated[str | None, typer.Option(help="day, month or year")]
Uscc = Annotated[str | None, typer.Option(help="Only this enterprise's own history")]
Format = Annotated[str, typer.Option("--format", help="table, json, csv or xlsx")]
Output = Annotated[Path | None, typer.Option(help="Write to this file (required for xlsx)")]


def _query(model: type[Q], **fields: Any) -> Q:
    """Options validated like the API's query string, refused with the field named."""
    fields = {k: v.date() if isinstance(v, datetime) else v for k, v in fields.items()}
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise typer.BadParameter(f"--{str(error['loc'][0]).replace('_', '-')}: {error['msg']}") from exc


async def _principal(session: AsyncSession, uscc: str | None) -> Principal:
    if uscc is None:
        return OPERATOR
    party = await identity.enterprise_by_uscc(session, uscc)
    return Principal(party_id=party.id, party_kind=PartyKind.ENTERPRISE, roles=frozenset({"viewer"}), user_id=None)


def _emit(name: str, fmt: str, rows: list[BaseModel], model: type[BaseModel], output: Path | None) -> None:
    header, values = export.table(rows, model)
    if fmt == "xlsx":
        if output is None:
            raise typer.BadParameter("--output is required with --format xlsx")
        output.write_bytes(export.to_xlsx(name, header, values))
        return
    if fmt == "csv":
        text = export.to_csv(header, values).decode("utf-8-sig")
    elif fmt == "json":
        text = json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=2)
    elif fmt == "table":
        text = _table(header, values)
    else:
        raise typer.BadParameter(f"unknown format {fmt!r}; one of table, json, csv, xlsx")
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    cells = [header, *[["" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)


GroupBy = Annotated[str, typer.Option(help="document_type, type, agency, port, trade_mode or country")]
DocumentTypeOption = Annotated[str | None, typer.Option("--document-type")]
TypeOption = Annotated[str | None, typer.Option("--type")]


def _grouped(
    kind: Literal["volumes", "rates"], uscc: str | None, fmt: str, output: Path | None, **filters: Any
) -> None:
    """Volumes and rates take the same query and differ only in the service call and the row they print."""
    query = _query(StatisticsQuery, **filters)
    fetch = service.volumes if kind == "volumes" else service.rates

    async def work(session: AsyncSession) -> list[BaseModel]:
        return list((await fetch(session, await _principal(session, uscc), query)).rows)

    _emit(kind, fmt, run_in_session(work), VolumeRow if kind == "volumes" else RateRow, output)


@app.command()
def volumes(
    group_by: GroupBy = "document_type",
    period: PeriodOption = None,
    since: Since = None,
    until: Until = None,
    document_type: DocumentTypeOption = None,
    type_: TypeOption = None,
    uscc: Uscc = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Declarations and their outcomes per group and period."""
    filters = {"period": period, "since": since, "until": until, "document_type": document_type, "type": type_}
    _grouped("volumes", uscc, fmt, output, group_by=group_by, **filters)


@app.command()
def rates(
    group_by: GroupBy = "document_type",
    period: PeriodOption = None,
    since: Since = None,
    until: Until = None,
    document_type: DocumentTypeOption = None,
    type_: TypeOption = None,
    uscc: Uscc = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Inspection, rejection, amendment and release rates per group and period."""
    filters = {"period": period, "since": since, "until": until, "document_type": document_type, "type": type_}
    _grouped("rates", uscc, fmt, output, group_by=group_by, **filters)


@app.command("clearance-times")
def clearance_times(
    group_by: Annotated[str, typer.Option(help="none, agency or port")] = "none",
    period: PeriodOption = None,
    since: Since = None,
    until: Until = None,
    port: Annotated[str | None, typer.Option(help="UN/LOCODE of the domestic port")] = None,
    agency: Annotated[str | None, typer.Option()] = None,
    uscc: Uscc = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Median, p90 and p99 per interval (seconds), and which step dominates."""
    query = _query(ClearanceQuery, group_by=group_by, period=period, since=since, until=until, port=port, agency=agency)

    async def work(session: AsyncSession) -> list[BaseModel]:
        return list((await service.clearance_times(session, await _principal(session, uscc), query)).rows)

    _emit("clearance-times", fmt, run_in_session(work), ClearanceRow, output)


@app.command()
def rollup(since: Since = None, until: Until = None) -> None:
    """Roll up every enterprise's busy months, one transaction each; the worker does it as each month ends.

    Run it after a bulk load or a rebuild, so the enterprises' pages do not wait for the
    worker. The default window is the twelve months before this one.
    """
    first, last = worker.last_ended_month(reporting.today())
    start = since.date() if since else worker.months_before(first, worker.MONTHS_BACK - 1)
    end = until.date() if until else last

    async def work(session: AsyncSession) -> list[tuple[uuid.UUID, date]]:
        return await worker.roll_up_months(session, start, end)

    done = run_in_session(work)
    typer.echo(
        f"rolled up {len(done):,} months of {len({party for party, _ in done}):,} enterprises ({start} to {end})"
    )
