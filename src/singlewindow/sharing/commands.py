"""``singlewindow sharing``: the catalogue, requests, grants, queries and the access log, from a shell.

Whoever runs the command holds the database's credentials, so it acts as the agency it
names with ``--agency`` (an officer of that agency); the access log and the audit log
record it like any other caller.
"""

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.errors import InvalidData, SingleWindowError
from singlewindow.identity import service as identity
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.kit.commands import run_in_session
from singlewindow.sharing import service
from singlewindow.sharing.errors import AccessDenied
from singlewindow.sharing.schemas import (
    AccessRequestIn,
    DataClassIn,
    GrantIn,
    data_class_out,
    grant_out,
    log_out,
    request_out,
)

app = typer.Typer(help="The data sharing catalogue between agencies.", no_args_is_help=True)
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
Agency = Annotated[str, typer.Option(help="The agency acting (its code, e.g. customs)")]
CLI_USER = uuid.UUID(int=0)
_OPERATOR = Principal(CLI_USER, PartyKind.OPERATOR, frozenset({"operator"}), user_id=CLI_USER)
"""Listing the catalogue and the whole log needs no agency: the shell user is the operator."""


def _print(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


async def _as(session: AsyncSession, code: str) -> Principal:
    party = await identity.agency(session, code)
    return Principal(party.id, PartyKind.AGENCY, frozenset({"officer"}), user_id=CLI_USER, agency=code)


def _run(work: Callable[[AsyncSession], Awaitable[T]], *, commit: bool = False) -> T:
    """Run the work; a domain error is printed as the API would answer it, and the command fails."""
    try:
        return run_in_session(work, commit=commit)
    except SingleWindowError as exc:
        _print(exc.problem())
        raise typer.Exit(1) from None


def _parsed(model: type[M], **data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        _print(InvalidData(exc.errors()).problem())
        raise typer.Exit(2) from None


@app.command("classes")
def classes() -> None:
    """Every published data class, with the elements it carries."""

    async def work(session: AsyncSession) -> list[Any]:
        return [data_class_out(c).model_dump(mode="json") for c in await service.data_classes(session, _OPERATOR)]

    _print(_run(work))


@app.command("publish")
def publish(
    code: str,
    agency: Agency,
    name_zh: Annotated[str, typer.Option()],
    name_en: Annotated[str, typer.Option()],
    source: Annotated[str, typer.Option(help="released_declarations or enterprise_credit")],
    element: Annotated[list[str], typer.Option(help="A catalogue data element id; repeat for more")],
    document_type: Annotated[list[str] | None, typer.Option(help="For released declarations; repeat")] = None,
    description: str = "",
) -> None:
    """Publish a data class of the agency."""
    body = _parsed(
        DataClassIn,
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        description=description,
        source=source,
        document_types=document_type or [],
        elements=element,
    )

    async def work(session: AsyncSession) -> dict[str, Any]:
        published = await service.publish(session, await _as(session, agency), body)
        return data_class_out(published).model_dump(mode="json")

    _print(_run(work, commit=True))


@app.command("request")
def request(
    code: str,
    agency: Agency,
    purpose: Annotated[str, typer.Option()],
    element: Annotated[list[str], typer.Option(help="An element of the class; repeat for more")],
    push: Annotated[bool, typer.Option(help="Also receive new records through the exchange")] = False,
) -> None:
    """Ask the publisher of a data class for access."""
    body = _parsed(AccessRequestIn, purpose=purpose, elements=element, push=push)

    async def work(session: AsyncSession) -> dict[str, Any]:
        made, data_class = await service.request_access(session, await _as(session, agency), code, body)
        return request_out(made, data_class).model_dump(mode="json")

    _print(_run(work, commit=True))


@app.command("requests")
def requests(
    agency: Agency, incoming: Annotated[bool, typer.Option(help="Requests to decide, not one's own")] = False
) -> None:
    """The agency's requests, or those waiting for its decision."""

    async def work(session: AsyncSession) -> list[Any]:
        found = await service.requests(session, await _as(session, agency), incoming=incoming)
        return [request_out(r, c).model_dump(mode="json") for r, c in found]

    _print(_run(work))


def _filters(given: list[str]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for item in given:
        name, _, value = item.partition("=")
        if not value:
            raise typer.BadParameter(f"{item!r}: write a filter as name=value (e.g. trade_mode=0110)")
        filters.setdefault(name.strip(), []).append(value.strip())
    return filters


@app.command("grant")
def grant(
    request_id: uuid.UUID,
    agency: Agency,
    element: Annotated[list[str], typer.Option(help="A requested element to grant; repeat")],
    expires: Annotated[datetime, typer.Option(help="UTC expiry, e.g. 2027-06-30T00:00:00")],
    filter_: Annotated[list[str] | None, typer.Option("--filter", help="name=value, e.g. port=CNSGH; repeat")] = None,
    push: Annotated[bool | None, typer.Option("--push/--no-push", help="Default: as requested")] = None,
) -> None:
    """Grant a request: a subset of its elements, optional filters, an expiry."""
    expires_at = expires if expires.tzinfo else expires.replace(tzinfo=utcnow().tzinfo)
    body = _parsed(GrantIn, elements=element, filters=_filters(filter_ or []), expires_at=expires_at, push=push)

    async def work(session: AsyncSession) -> dict[str, Any]:
        made, data_class = await service.grant(session, await _as(session, agency), request_id, body)
        return grant_out(made, data_class, utcnow()).model_dump(mode="json")

    _print(_run(work, commit=True))


@app.command("refuse")
def refuse(request_id: uuid.UUID, agency: Agency, reason: Annotated[str, typer.Option()]) -> None:
    """Refuse a request, with the reason the requester sees."""

    async def work(session: AsyncSession) -> dict[str, Any]:
        refused, data_class = await service.refuse(session, await _as(session, agency), request_id, reason)
        return request_out(refused, data_class).model_dump(mode="json")

    _print(_run(work, commit=True))


@app.command("revoke")
def revoke(grant_id: uuid.UUID, agency: Agency, reason: Annotated[str, typer.Option()]) -> None:
    """Revoke a grant: it stops working at once."""

    async def work(session: AsyncSession) -> dict[str, Any]:
        revoked, data_class = await service.revoke(session, await _as(session, agency), grant_id, reason)
        return grant_out(revoked, data_class, utcnow()).model_dump(mode="json")

    _print(_run(work, commit=True))


@app.command("grants")
def grants(agency: Agency) -> None:
    """Grants the agency made and holds."""

    async def work(session: AsyncSession) -> list[Any]:
        now = utcnow()
        found = await service.grants(session, await _as(session, agency))
        return [grant_out(g, c, now).model_dump(mode="json") for g, c in found]

    _print(_run(work))


@app.command("query")
def query(
    code: str,
    agency: Agency,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    since: Annotated[datetime | None, typer.Option(help="Only records shared at or after (UTC)")] = None,
    enterprise: Annotated[str | None, typer.Option(help="Only this enterprise's records (its USCC)")] = None,
) -> None:
    """Records the agency's live grant covers, projected onto the granted elements (refusals are logged)."""
    since_utc = since.replace(tzinfo=utcnow().tzinfo) if since and since.tzinfo is None else since

    async def work(session: AsyncSession) -> dict[str, Any]:
        try:
            held, _, items, total = await service.query(
                session,
                await _as(session, agency),
                code,
                since=since_utc,
                enterprise=enterprise,
                limit=limit,
                offset=offset,
            )
        except AccessDenied:
            await session.commit()
            raise
        await session.commit()
        page = {"grant_id": held.id, "expires_at": held.expires_at, "total": total, "limit": limit, "offset": offset}
        return page | {"items": [item.model_dump(mode="json") for item in items]}

    _print(_run(work))


@app.command("log")
def log(
    agency: Annotated[str | None, typer.Option(help="The publisher; every entry when omitted")] = None,
    data_class: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """The access log: who queried or received what, and every refused attempt."""

    async def work(session: AsyncSession) -> list[Any]:
        principal = await _as(session, agency) if agency else _OPERATOR
        entries, _ = await service.access_log(session, principal, data_class, limit=limit, offset=0)
        return [log_out(e, code).model_dump(mode="json") for e, code in entries]

    _print(_run(work))
