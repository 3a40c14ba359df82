"""``singlewindow origin``: list, verify, export and receive e-COs, revoke, rotate the key, trust issuers."""

import json
import uuid
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.kit.commands import run_in_session
from singlewindow.origin import service
from singlewindow.origin.schemas import IssuerIn

app = typer.Typer(
    help="Certificates of origin: issued on release, signed, exchanged as e-CO XML.", no_args_is_help=True
)
OPERATOR = Principal(
    party_id=uuid.UUID(int=0), party_kind=PartyKind.OPERATOR, roles=frozenset({"operator"}), user_id=uuid.UUID(int=0)
)
"""Whoever runs the CLI holds the database credentials, so it acts with the operator's authority."""


@app.command("list")
def list_certificates() -> None:
    """Every certificate issued here, newest first."""

    async def work(session: AsyncSession) -> None:
        for c in await service.certificates(session, OPERATOR):
            typer.echo(
                f"{c.number:<24} {c.status:<8} {c.agreement or '-':<6} {c.importing_country} {c.issued_at:%Y-%m-%d}"
            )

    run_in_session(work)


@app.command("verify")
def verify(number: str) -> None:
    """Check a certificate's signature and status, as the public page does; exit 1 when it does not verify."""
    result = run_in_session(lambda session: service.verify(session, number))
    typer.echo(json.dumps(result.model_dump(mode="json", exclude={"certificate"}), indent=2))
    if not result.valid:
        raise typer.Exit(1)


@app.command("export")
def export(number: str, output: Annotated[Path | None, typer.Option("--output", "-o")] = None) -> None:
    """The e-CO XML (valid against e-co.xsd) for the importing country's single window."""
    xml = run_in_session(lambda session: service.export_xml(session, OPERATOR, number))
    if output:
        output.write_bytes(xml)
        typer.echo(f"wrote {output}")
    else:
        typer.echo(xml.decode())


@app.command("receive")
def receive(path: Path) -> None:
    """Register an e-CO XML from a foreign single window (its key must be trusted, see trust-issuer)."""

    xml = path.read_bytes()

    async def work(session: AsyncSession) -> str:
        received = await service.receive(session, OPERATOR, xml)
        return (
            f"received {received.number} from {received.exporting_country} ({received.agreement or 'non-preferential'})"
        )

    typer.echo(run_in_session(work, commit=True))


@app.command("revoke")
def revoke(number: str, reason: Annotated[str, typer.Option(help="Why, kept in the audit log")]) -> None:
    async def work(session: AsyncSession) -> str:
        return (await service.revoke(session, OPERATOR, number, reason)).status

    typer.echo(f"{number}: {run_in_session(work, commit=True)}")


@app.command("rotate-key")
def rotate_key() -> None:
    """Sign new certificates with a new key; the retired one keeps verifying what it signed."""

    async def work(session: AsyncSession) -> str:
        return (await service.rotate_key(session, OPERATOR)).kid

    typer.echo(f"new signing key {run_in_session(work, commit=True)}")


@app.command("trust-issuer")
def trust_issuer(
    country: str,
    name: str,
    kid: Annotated[str, typer.Argument(help="The key id from the issuer's published keys")],
    x: Annotated[str, typer.Argument(help="The Ed25519 public key (JWK x, base64url)")],
) -> None:
    """Trust a foreign issuing body's key, so e-COs it signed can be received."""
    data = IssuerIn(country=country.upper(), name=name, kid=kid, x=x)

    async def work(session: AsyncSession) -> str:
        return (await service.trust_issuer(session, OPERATOR, data)).kid

    typer.echo(f"trusted {run_in_session(work, commit=True)} for {data.country}")
