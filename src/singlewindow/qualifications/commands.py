"""``singlewindow qualifications``: see an enterprise's qualifications, record an outside grant."""

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity import service as identity
from singlewindow.kit.commands import run_in_session
from singlewindow.qualifications import repository, service
from singlewindow.qualifications.schemas import GRANTED_BY

app = typer.Typer(help="Qualifications that gate what an enterprise may submit.", no_args_is_help=True)


@app.command("list")
def list_qualifications(uscc: str) -> None:
    """One enterprise's applications and grants."""

    async def work(session: AsyncSession) -> None:
        party = await identity.enterprise_by_uscc(session, uscc)
        for q in await repository.of_party(session, party.id):
            typer.echo(f"{q.id}  {q.kind:<24} {q.agency:<22} {q.status:<8} {q.reason or ''}")

    run_in_session(work)


@app.command("grant")
def grant(
    uscc: str,
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(GRANTED_BY)}")],
) -> None:
    """Record a grant made outside the platform (e.g. carried over from the agency's own registry)."""
    if kind not in GRANTED_BY:
        raise typer.BadParameter(f"unknown qualification {kind!r}; one of {', '.join(GRANTED_BY)}")

    async def work(session: AsyncSession) -> str:
        party = await identity.enterprise_by_uscc(session, uscc)
        return str((await service.grant(session, party.id, kind, actor="cli:operator")).id)

    typer.echo(f"granted {kind} to {uscc}: {run_in_session(work, commit=True)}")
