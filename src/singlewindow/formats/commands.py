"""``singlewindow declarations submit FILE``: send a JSON, XML or EDIFACT declaration as a trader.

It goes through the public API with the trader's own API key, read from ``SW_API_KEY`` (never
a command-line argument, which would land in shell history and ``ps``): the command holds no
more authority than the key, unlike the operator commands that open the database directly.
"""

import os
from pathlib import Path
from typing import Annotated

import httpx
import typer

from singlewindow.formats import edifact, xml

CONTENT_TYPES = {".json": "application/json", ".xml": xml.CONTENT_TYPE, ".edi": edifact.CONTENT_TYPE}
CONTENT_TYPES[".edifact"] = edifact.CONTENT_TYPE


def content_type_for(path: Path) -> str:
    found = CONTENT_TYPES.get(path.suffix.lower())
    if found is None:
        raise typer.BadParameter(f"{path.name}: use .json, .xml, .edi or .edifact")
    return found


def submit_file(
    client: httpx.Client, path: Path, api_key: str, idempotency_key: str | None, document_type: str | None = None
) -> httpx.Response:
    headers = {"Content-Type": content_type_for(path), "X-API-Key": api_key}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    endpoint = f"/api/v1/declarations/{document_type}" if document_type else "/api/v1/declarations"
    return client.post(endpoint, content=path.read_bytes(), headers=headers)


def submit(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".json, .xml (own or WCO DM) or .edi")],
    url: Annotated[str, typer.Option(envvar="SW_API_URL", help="The platform's base URL")] = "http://127.0.0.1:8000",
    idempotency_key: Annotated[str | None, typer.Option(help="Makes a retry safe")] = None,
    document_type: Annotated[
        str | None, typer.Option(help="A catalogue document type (JSON files); default: cargo declaration")
    ] = None,
) -> None:
    """Submit a declaration file (any document type) as the trader whose API key is in SW_API_KEY."""
    api_key = os.environ.get("SW_API_KEY")
    if not api_key:
        typer.echo("set SW_API_KEY to the trader's API key (it is not taken as an argument)", err=True)
        raise typer.Exit(2)
    with httpx.Client(base_url=url, timeout=30) as client:
        response = submit_file(client, path, api_key, idempotency_key, document_type)
    typer.echo(response.text)
    if response.is_error:
        raise typer.Exit(1)
