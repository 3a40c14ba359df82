"""``singlewindow logistics``: tracking, subscriptions, notices (manifest mismatches), departure permits, the demo
departure."""

import json
import os
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.errors import InvalidData
from singlewindow.identity import service as identity
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.kit.commands import run_in_session, run_or_exit
from singlewindow.logistics import permits, service
from singlewindow.logistics.models import Subscription
from singlewindow.logistics.schemas import SignedPermit, SubscriptionCreate, TimelineEntry

app = typer.Typer(
    help="Transport and logistics: tracking, subscriptions, notices, departure permits.", no_args_is_help=True
)
track_app = typer.Typer(help="One container or bill of lading end to end.", no_args_is_help=True)
app.add_typer(track_app, name="track")
Party = Annotated[str | None, typer.Option("--party", help="An enterprise's USCC: act for it, or show only its rows")]
SUBJECTS = {"container": "container", "bl": "bill_of_lading"}

OPERATOR = Principal(
    party_id=uuid.UUID(int=0), party_kind=PartyKind.OPERATOR, roles=frozenset({"operator"}), user_id=uuid.UUID(int=0)
)
"""Tracking from the command line reads with the operator's authority, like every database command."""


async def _acting(session: AsyncSession, uscc: str | None) -> Principal:
    """The enterprise's authority when ``--party`` names one (its administrator's), else the operator's."""
    if uscc is None:
        return OPERATOR
    return _enterprise((await identity.enterprise_by_uscc(session, uscc)).id)


def _enterprise(party_id: uuid.UUID) -> Principal:
    return Principal(
        party_id=party_id, party_kind=PartyKind.ENTERPRISE, roles=frozenset({"admin"}), user_id=uuid.UUID(int=0)
    )


def _echo_subscription(found: Subscription) -> None:
    state = "active" if found.active else "ended"
    typer.echo(f"{found.id}  {found.subject_kind:<15} {found.number:<20} {state:<7} party {found.party_id}")


def _print_timeline(entries: list[TimelineEntry]) -> None:
    for e in entries:
        flag = "FLAGGED " if e.flagged else ""
        detail = json.dumps(e.detail, ensure_ascii=False, default=str) if e.detail else ""
        typer.echo(f"  {e.occurred_at.isoformat(timespec='seconds')}  {e.source:<22} {flag}{e.kind:<24} {detail}")


@track_app.command("container")
def track_container(number: str) -> None:
    """Location, clearance and timeline of an ISO 6346 container number."""

    async def work(session: AsyncSession) -> None:
        try:
            found = await service.track_container(session, OPERATOR, number)
        except InvalidData as exc:
            raise typer.BadParameter(exc.errors[0]["msg"]) from exc
        location = found.location.value if found.location else "unknown"
        typer.echo(f"{found.number}  {location}  {found.clearance.value}  {found.bill_of_lading or ''}")
        _print_timeline(found.timeline)

    run_in_session(work)


@track_app.command("bl")
def track_bill(number: str) -> None:
    """Manifest status, clearance, containers and timeline of a bill of lading."""

    async def work(session: AsyncSession) -> None:
        found = await service.track_bill(session, OPERATOR, number)
        typer.echo(f"{found.number}  {found.status or 'not on a manifest'}  {found.clearance.value}")
        for container, location in found.containers.items():
            typer.echo(f"  container {container}: {location.value if location else 'unknown'}")
        _print_timeline(found.timeline)

    run_in_session(work)


@app.command("subscriptions")
def list_subscriptions(party: Party = None) -> None:
    """Subscriptions to containers and bills of lading (every party's, or one enterprise's)."""

    async def work(session: AsyncSession) -> None:
        for found in await service.subscriptions(session, await _acting(session, party)):
            _echo_subscription(found)

    run_or_exit(work)


@app.command("subscribe")
def subscribe(
    kind: Annotated[str, typer.Argument(help="container or bl")],
    number: str,
    party: Annotated[str, typer.Option("--party", help="The subscribing enterprise's USCC")],
) -> None:
    """Subscribe an enterprise with a stake in it to a container's or bill of lading's events (portal and webhooks)."""
    if kind not in SUBJECTS:
        raise typer.BadParameter("container or bl", param_hint="KIND")

    async def work(session: AsyncSession) -> None:
        try:
            data = SubscriptionCreate.model_validate({SUBJECTS[kind]: number})
        except ValidationError as exc:
            typer.echo(f"NUMBER: {exc.errors()[0]['msg'].removeprefix('Value error, ')}", err=True)
            raise typer.Exit(2) from exc
        _echo_subscription(await service.subscribe(session, await _acting(session, party), data))

    run_or_exit(work, commit=True)


@app.command("unsubscribe")
def unsubscribe(subscription_id: uuid.UUID) -> None:
    """End a subscription (for the enterprise that holds it)."""

    async def work(session: AsyncSession) -> None:
        held = {s.id: s for s in await service.subscriptions(session, OPERATOR)}.get(subscription_id)
        if held is None:
            raise typer.BadParameter(f"no subscription {subscription_id}", param_hint="SUBSCRIPTION_ID")
        _echo_subscription(await service.unsubscribe(session, _enterprise(held.party_id), subscription_id))

    run_or_exit(work, commit=True)


@app.command("notices")
def notices(
    party: Party = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind, e.g. manifest_mismatch, manifest_missing")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
) -> None:
    """What parties were told: manifest mismatches, bills on no manifest, unchecked deadlines, early gate-outs."""

    async def work(session: AsyncSession) -> None:
        for n in await service.notices(session, await _acting(session, party), limit):
            if kind is None or n.kind == kind:
                typer.echo(
                    f"{n.created_at.isoformat(timespec='seconds')}  {n.severity:<7} {n.kind:<24} "
                    f"{n.subject_kind}:{n.number}  {n.message}"
                )

    run_or_exit(work)


@app.command("permits")
def list_permits(party: Party = None) -> None:
    """Departure permits issued (every party's, or one enterprise's), newest first."""

    async def work(session: AsyncSession) -> None:
        for p in await service.permits_of(session, await _acting(session, party)):
            named = p.document.get("means_of_transport") or p.document.get("vessel", {})
            identity_words = " ".join(str(v) for k, v in named.items() if k not in {"mode", "kind"} and v)
            typer.echo(f"{p.number}  {p.created_at.isoformat(timespec='seconds')}  {identity_words}")

    run_or_exit(work)


@app.command("permit")
def show_permit(
    number: str,
    out: Annotated[Path | None, typer.Option(help="Write the signed JSON here (what the master carries)")] = None,
) -> None:
    """One departure permit as signed JSON, with the URL its QR code holds."""

    async def work(session: AsyncSession) -> None:
        found = await service.permit_numbered(session, OPERATOR, number)
        document = permits.signed(found).model_dump_json(indent=2)
        if out is None:
            typer.echo(document)
        else:
            out.write_text(document + "\n", encoding="utf-8")
            typer.echo(f"wrote {out}")
        typer.echo(f"QR code leads to: {permits.verify_url(found)}")

    run_or_exit(work)


@app.command("verify-permit")
def verify_permit(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The signed permit JSON")],
) -> None:
    """Check a signed departure permit against this deployment's key and registry (exit 1 if not valid)."""
    document = SignedPermit.model_validate_json(path.read_bytes())

    async def work(session: AsyncSession) -> bool:
        result = await permits.verify_document(session, document)
        typer.echo(f"{'VALID' if result.valid else 'NOT VALID'}: {result.reason}")
        return result.valid

    if not run_in_session(work):
        raise typer.Exit(1)


def departure_document() -> dict[str, Any]:
    """The demo vessel leaving Shanghai for Singapore in six hours."""
    return {
        "movement": "D",
        "transport_mode": "1",
        "vessel_name": "COSCO SHIPPING UNIVERSE",
        "imo_number": "9795610",
        "call_sign": "VRQK8",
        "flag_state": "HK",
        "voyage_number": "043W",
        "port_of_call": "CNSGH",
        "estimated_departure": (utcnow() + timedelta(hours=6)).isoformat(timespec="seconds"),
        "next_port_of_call": "SGSIN",
        "gross_tonnage": "215553.00",
        "crew_count": 25,
        "passenger_count": 0,
        "dangerous_goods": [
            {
                "un_number": "1263",
                "hazard_class": "3",
                "packing_group": "III",
                "description": "Paint",
                "quantity": "8400",
            }
            | {"unit": "KGM", "location_on_board": "0340682"},
            {"un_number": "3480", "hazard_class": "9", "packing_group": "II", "description": "Lithium ion batteries"}
            | {"quantity": "1250", "unit": "KGM", "location_on_board": "1120486"},
        ],
        "ships_stores": [
            {"description": "Heavy fuel oil", "quantity": "3200", "unit": "TNE", "location_on_board": "bunker tanks"},
            {"description": "Fresh water", "quantity": "410", "unit": "TNE", "location_on_board": "fresh water tanks"},
        ],
    }


def _wait_released(client: httpx.Client, declaration_id: str, within: float) -> str:
    deadline = time.monotonic() + within
    status = "submitted"
    while time.monotonic() < deadline:
        status = client.get(f"/api/v1/declarations/{declaration_id}").raise_for_status().json()["status"]
        if status in {"released", "rejected", "cancelled"}:
            return str(status)
        time.sleep(0.5)
    return str(status)


@app.command("demo-departure")
def demo_departure(
    url: Annotated[str, typer.Option(envvar="SW_API_URL", help="The platform's base URL")] = "http://127.0.0.1:8000",
    username: Annotated[str, typer.Option(help="The declaring trader")] = "demo-trader",
    wait: Annotated[float, typer.Option(help="Seconds to wait for the agencies")] = 60.0,
) -> None:
    """Against a running `singlewindow demo`: declare a departure, wait for every agency, fetch and verify the permit.

    The password is read from SW_DEMO_PASSWORD (never an argument, which would land in shell history).
    """
    password = os.environ.get("SW_DEMO_PASSWORD")
    if not password:
        typer.echo("set SW_DEMO_PASSWORD to the password `singlewindow demo` printed", err=True)
        raise typer.Exit(2)
    with httpx.Client(base_url=url, timeout=30) as client:
        token = client.post("/api/v1/auth/token", data={"username": username, "password": password})
        client.headers["Authorization"] = f"Bearer {token.raise_for_status().json()['access_token']}"
        created = client.post("/api/v1/declarations/vessel_declaration", json=departure_document())
        if created.is_error:
            typer.echo(created.text, err=True)
            raise typer.Exit(1)
        declaration_id = created.json()["id"]
        typer.echo(f"declared departure {declaration_id}; waiting for maritime, border control, customs, quarantine")
        status = _wait_released(client, declaration_id, wait)
        typer.echo(f"consolidated status: {status}")
        issued = [p for p in client.get("/api/v1/logistics/permits").json() if p["declaration_id"] == declaration_id]
        if status != "released" or not issued:
            raise typer.Exit(1)
        permit = issued[0]
        typer.echo(json.dumps(permit["signed"], indent=2, ensure_ascii=False))
        check = client.post("/api/v1/logistics/permits/verify", json=permit["signed"]).json()
        typer.echo(f"verification: {check['reason']}\nQR code leads to: {permit['verify_url']}")
