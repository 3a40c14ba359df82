"""``singlewindow catalogue``: browse, export, import and measure the catalogue from a shell."""

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from singlewindow.catalogue import service, transfer
from singlewindow.catalogue.schemas import HarmonizationReport

app = typer.Typer(help="The data element catalogue: elements, code lists, document types.", no_args_is_help=True)


def _print(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@app.command("elements")
def elements(q: Annotated[str | None, typer.Option(help="Search in English or Chinese")] = None) -> None:
    for element in service.list_elements(q):
        wco = f" WCO {element.wco_id}" if element.wco_id else ""
        typer.echo(f"{element.id}  {element.representation:<9} {element.name_en} / {element.name_zh}{wco}")


@app.command("code-lists")
def code_lists() -> None:
    for found in service.list_code_lists():
        typer.echo(f"{found.name:<22} {found.size:>7}  {found.version}")


@app.command("code-list")
def code_list(name: str, q: Annotated[str | None, typer.Option()] = None, limit: int = 20) -> None:
    found = service.code_list(name, q, limit)
    typer.echo(f"# {found.name}: {found.version}")
    for entry in found.entries:
        typer.echo(f"{entry.code}\t{entry.name_en}\t{entry.name_zh or ''}")


@app.command("document-types")
def document_types() -> None:
    for found in service.list_document_types():
        typer.echo(f"{found.code:<32} {found.name_en} / {found.name_zh}")


@app.command("schema")
def schema(code: str) -> None:
    """The JSON Schema of a document type."""
    _print(service.schema(code))


@app.command("harmonization")
def harmonization(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Data elements entered once versus the sum of every agency's separate form, per document type."""
    report = service.harmonization_report()
    if as_json:
        _print(report.model_dump())
        return
    typer.echo("\n".join(harmonization_lines(report)))


def harmonization_lines(report: HarmonizationReport) -> list[str]:
    """The report as the CLI prints it; README.md and docs/catalogue.md quote it, and a test keeps them equal."""
    lines = [f"catalogue {report.catalogue_version}"]
    lines += [
        f"{row.document_type:<32} {row.separate_forms:>4} → {row.entered_once:>3} elements  "
        f"(-{row.reduction_percent}%)  {row.fields} fields on the form"
        for row in report.document_types
    ]
    total = f"{report.separate_forms:>4} → {report.entered_once:>3} elements  (-{report.reduction_percent}%)"
    return [*lines, f"{'all document types':<32} {total}"]


@app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="A .json file, or a directory for the CSV tables")],
    fmt: Annotated[str, typer.Option("--format", help="json or csv")] = "json",
) -> None:
    if fmt == "json":
        out.write_text(json.dumps(transfer.export_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}")
    elif fmt == "csv":
        for path in transfer.export_csv(out):
            typer.echo(f"wrote {path}")
    else:
        raise typer.BadParameter("--format is json or csv")


@app.command("import")
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            exists=True, help="A JSON export, a directory of CSV tables (export --format csv) or an elements.csv"
        ),
    ],
    into: Annotated[Path, typer.Option(help="Directory to write the package-data layout into")],
) -> None:
    """Check a catalogue and write it out for review; the running platform keeps the shipped one."""
    try:
        counts = transfer.import_catalogue(source, into)
    except transfer.CatalogueRejected as exc:
        typer.echo(f"refused: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(", ".join(f"{n} {what}" for what, n in counts.items()) + f" written to {into}")
