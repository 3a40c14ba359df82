"""The ``singlewindow`` command: run the platform, its worker, the demo, and operate it."""

import asyncio
import json
import os
import secrets
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow import demo as demo_data
from singlewindow.analytics import commands as analytics_commands
from singlewindow.analytics import service as analytics
from singlewindow.analytics.timeline import Step
from singlewindow.app import Platform, configure_process, create_app
from singlewindow.audit import service as audit
from singlewindow.audit import worker as audit_worker
from singlewindow.catalogue import commands as catalogue_commands
from singlewindow.declarations import repository as declarations
from singlewindow.declarations import service as declaration_service
from singlewindow.declarations.models import Declaration, DeclarationEvent
from singlewindow.exchange import service as exchange
from singlewindow.formats import commands as formats_commands
from singlewindow.identity import commands as identity_commands
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.kit import backup
from singlewindow.kit import logging as sw_logging
from singlewindow.kit.commands import run_in_session
from singlewindow.kit.migrate import upgrade
from singlewindow.licences import commands as licences_commands
from singlewindow.logistics import commands as logistics_commands
from singlewindow.origin import commands as origin_commands
from singlewindow.payments import commands as payments_commands
from singlewindow.qualifications import commands as qualifications_commands
from singlewindow.refunds import commands as refunds_commands
from singlewindow.routing import service as routing
from singlewindow.routing.rules import RuleSet
from singlewindow.settings import get_settings
from singlewindow.sharing import commands as sharing_commands

app = typer.Typer(help="Single Window: declare once, released once.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
declarations_app = typer.Typer(help="Look at declarations (as the platform operator).", no_args_is_help=True)
exchange_app = typer.Typer(help="The durable exchange: dead letters, replay, health.", no_args_is_help=True)
routing_app = typer.Typer(help="The routing rule table.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(declarations_app, name="declarations")
app.add_typer(exchange_app, name="exchange")
app.add_typer(routing_app, name="routing")
app.add_typer(catalogue_commands.app, name="catalogue")
app.add_typer(identity_commands.app, name="identity")
app.add_typer(qualifications_commands.app, name="qualifications")
app.add_typer(sharing_commands.app, name="sharing")
app.add_typer(analytics_commands.app, name="analytics")
app.add_typer(licences_commands.app, name="licences")
app.add_typer(origin_commands.app, name="origin")
app.add_typer(refunds_commands.app, name="refunds")
app.add_typer(logistics_commands.app, name="logistics")
app.add_typer(payments_commands.app, name="payments")
declarations_app.command("submit")(formats_commands.submit)

OPERATOR = Principal(
    party_id=uuid.UUID(int=0), party_kind=PartyKind.OPERATOR, roles=frozenset({"operator"}), user_id=uuid.UUID(int=0)
)
"""The CLI acts with the operator's authority: whoever runs it holds the database credentials."""


@app.callback()
def _wire() -> None:
    """Every command runs with the event handlers wired and the deployment's settings applied, as the API does."""
    configure_process(get_settings())


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


WORKER_HEALTHCHECK_SECONDS = 30


def app_from_environment() -> FastAPI:
    """The app one serving process runs: SW_* settings, logging set up (each of ``--workers N`` calls it)."""
    settings = get_settings()
    sw_logging.configure(settings.log_level, json=settings.log_json)
    return create_app(settings)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Processes serving the port. One Python process uses one core: on PostgreSQL run one per "
            "core; on SQLite keep 1 (it takes one writer at a time)",
        ),
    ] = 1,
) -> None:
    """Serve the API (the dispatcher runs here only when SW_EMBEDDED_WORKER=true, in every process)."""
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning", "access_log": False}
    if workers == 1:
        uvicorn.run(app_from_environment(), **options)
        return
    # uvicorn restarts a worker that does not answer its ping within this; its 5 s default
    # also kills workers that are merely slow to start on a busy machine, over and over.
    options["timeout_worker_healthcheck"] = WORKER_HEALTHCHECK_SECONDS
    uvicorn.run(f"{__name__}:{app_from_environment.__name__}", factory=True, workers=workers, **options)


@app.command()
def worker() -> None:
    """Run the dispatcher (and the simulators' answers when SW_SIMULATORS=true) until stopped."""
    settings = get_settings()
    sw_logging.configure(settings.log_level, json=settings.log_json)

    async def run() -> None:
        platform = Platform.build(settings)
        try:
            await asyncio.gather(*(loop() for loop in platform.workers()))
        finally:
            await platform.close()

    asyncio.run(run())


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    data_dir: Annotated[Path, typer.Option(help="Where the SQLite database lives")] = Path("./var"),
) -> None:
    """The whole platform on one machine: SQLite, in-process dispatcher, simulated agencies, demo users."""
    data_dir.mkdir(parents=True, exist_ok=True)
    public_url = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"  # noqa: S104 (reach a wildcard bind via loopback)
    defaults = {
        "SW_DATABASE_URL": f"sqlite+aiosqlite:///{(data_dir / 'singlewindow.db').resolve()}",
        "SW_EMBEDDED_WORKER": "true",
        "SW_SIMULATORS": "true",
        "SW_PUBLIC_URL": public_url,
        "SW_LOG_JSON": "false",
        "SW_LOG_LEVEL": "WARNING",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    get_settings.cache_clear()
    settings = get_settings()
    password = os.environ.get("SW_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    upgrade(settings.database_url)
    accounts = run_in_session(
        lambda s: demo_data.seed(
            s,
            password=password,
            public_url=public_url,
            simulators_enabled=True,
            officers=True,
            history=True,
            country=settings.country,
        ),
        commit=True,
        settings=settings,
    )
    typer.echo(
        f"\nSingle Window demo on {public_url}  (API docs: {public_url}/docs)\n"
        f"  trader:   {accounts.trader} / {accounts.password}\n"
        f"  operator: {accounts.operator} / {accounts.password}\n"
        f"  officers: officer-customs, officer-maritime, ... (one per agency) / {accounts.password}\n"
        f"  portal:   {public_url}/portal/\n"
        f"  departure: SW_DEMO_PASSWORD=... singlewindow logistics demo-departure --url {public_url}\n"
        f"  database: {settings.database_url}\n"
    )
    sw_logging.configure(settings.log_level, json=settings.log_json)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@db_app.command("backup")
def db_backup(file: Annotated[Path, typer.Argument(dir_okay=False, help="Where to write the backup")]) -> None:
    """Back up SW_DATABASE_URL while the platform runs (SQLite backup API, or pg_dump custom format)."""
    try:
        outcome = backup.backup(get_settings().database_url, file)
    except backup.BackupError as exc:
        typer.echo(f"backup failed: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{outcome.backend} database backed up to {outcome.file} ({outcome.size} bytes)")


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A file `db backup` wrote")],
) -> None:
    """Replace SW_DATABASE_URL's content with a backup; stop every serve and worker process first."""
    try:
        outcome = backup.restore(get_settings().database_url, file)
    except backup.BackupError as exc:
        typer.echo(f"restore failed: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{outcome.backend} database restored from {outcome.file}")


@audit_app.command("verify")
def audit_verify() -> None:
    """Seal the newest records into the hash chain, then recompute it: exit 1 on any edited or deleted record."""
    settings = get_settings()

    async def run() -> audit.Verification:
        platform = Platform.build(settings)
        try:
            await audit_worker.seal_all(platform.sessions)
            async with platform.sessions() as session:
                return await audit.verify(session)
        finally:
            await platform.close()

    report = asyncio.run(run())
    for problem in report.problems:
        typer.echo(f"TAMPERED: {problem}", err=True)
    typer.echo(f"{report.sealed} record(s) in the chain, {report.unsealed} not yet sealed")
    if not report.intact:
        raise typer.Exit(1)
    typer.echo("audit chain intact")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "heads") -> None:
    """Apply the Alembic migrations to SW_DATABASE_URL."""
    upgrade(get_settings().database_url, revision)
    typer.echo(f"database at {revision}")


@declarations_app.command("list")
def declarations_list(
    status: Annotated[str | None, typer.Option(help="Only this consolidated status")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
) -> None:
    """The newest declarations, one line each."""
    filters = declarations.Filters(status=status)  # type: ignore[arg-type]

    async def work(session: AsyncSession) -> None:
        rows, total = await declarations.search(session, OPERATOR, filters, limit=limit, offset=0)
        typer.echo(f"{total} declaration(s)")
        for d in rows:
            typer.echo(
                f"{d.id}  {d.created_at:%Y-%m-%d %H:%M:%S}  {d.type:<6}  {d.status:<10}  r{d.revision}  {d.reference}"
            )

    run_in_session(work)


@declarations_app.command("show")
def declarations_show(declaration_id: uuid.UUID) -> None:
    """One declaration: consolidated status, each agency, the joint inspection, the data."""

    async def work(session: AsyncSession) -> None:
        _print_json(await declaration_service.view(session, OPERATOR, declaration_id))
        _print_json(
            [
                {"at": e.at, "kind": e.kind, "status": e.status, "agency": e.agency, "detail": e.detail}
                for e in await declarations.events(session, declaration_id)
            ]
        )

    run_in_session(work)


@exchange_app.command("dead-letters")
def dead_letters(limit: Annotated[int, typer.Option(min=1, max=1000)] = 100) -> None:
    """Messages that exhausted their attempts."""

    async def work(session: AsyncSession) -> None:
        rows, total = await exchange.dead_letters(session, limit=limit)
        typer.echo(f"{total} dead letter(s)")
        for m in rows:
            typer.echo(f"{m.id}  {m.destination:<24} {m.kind:<14} attempts={m.attempts}  {m.last_error}")

    run_in_session(work)


@exchange_app.command("replay")
def replay(message_id: uuid.UUID) -> None:
    """Queue a dead letter again with fresh attempts."""

    async def work(session: AsyncSession) -> None:
        message = await exchange.replay(session, message_id, actor="cli:operator")
        typer.echo(f"{message.id} queued for {message.destination}")

    run_in_session(work, commit=True)


@exchange_app.command("health")
def health() -> None:
    """Pending, retrying, dead and delivered messages per counterparty."""

    async def work(session: AsyncSession) -> None:
        for h in await exchange.health(session):
            typer.echo(
                f"{h.destination:<50} pending={h.pending} retrying={h.retrying} dead={h.dead} delivered={h.delivered}"
            )

    run_in_session(work)


@routing_app.command("show")
def routing_show() -> None:
    """Print the rule table as JSON (the format `routing load` reads)."""

    async def work(session: AsyncSession) -> str:
        return routing.rules_json(await routing.current_rules(session))

    typer.echo(run_in_session(work))


@routing_app.command("load")
def routing_load(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Replace the rule table with the rules in a JSON file."""
    rule_set = RuleSet.model_validate_json(path.read_bytes())

    async def work(session: AsyncSession) -> int:
        return len(await routing.replace_rules(session, rule_set, actor="cli:operator"))

    typer.echo(f"{run_in_session(work, commit=True)} rule(s) loaded")


_TIMELINE_STEP = {
    "submitted": "submitted",
    "amended": "submitted",
    "agency_decision": "decided",
    "status_changed": "status",
}


async def _declaration_timelines(session: AsyncSession, batch: int = 2_000) -> AsyncIterator[list[analytics.Timeline]]:
    """Declarations and their recorded events, in id order, a batch at a time.

    Composition-root glue until declarations.service offers timelines itself: analytics may
    not read the declarations' tables (an import-linter contract).
    """
    after: uuid.UUID | None = None
    while True:
        query = select(Declaration).order_by(Declaration.id).limit(batch)
        rows = list(await session.scalars(query if after is None else query.where(Declaration.id > after)))
        if not rows:
            return
        steps: dict[uuid.UUID, list[Step]] = {d.id: [] for d in rows}
        events = await session.scalars(
            select(DeclarationEvent).where(DeclarationEvent.declaration_id.in_(steps)).order_by(DeclarationEvent.id)
        )
        for e in events:
            kind = _TIMELINE_STEP.get(e.kind)
            if kind == "submitted":
                steps[e.declaration_id].append((e.at, kind, (e.revision, tuple(e.detail.get("agencies") or ()))))
            elif kind == "decided":
                steps[e.declaration_id].append((e.at, kind, (e.agency, e.status)))
            elif kind == "status":
                steps[e.declaration_id].append((e.at, kind, (e.status,)))
        yield [analytics.Timeline(d.id, d.party_id, d.document_type, d.type, d.data, steps[d.id]) for d in rows]
        after = rows[-1].id


@analytics_commands.app.command("rebuild")
def analytics_rebuild() -> None:
    """Recompute every statistics summary from the declarations' timelines (one transaction)."""

    async def work(session: AsyncSession) -> int:
        return await analytics.rebuild(session, _declaration_timelines(session))

    typer.echo(f"rebuilt the summaries of {run_in_session(work, commit=True):,} declarations")
