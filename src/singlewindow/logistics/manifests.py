"""Manifests register bills of lading; cargo declarations are matched against them.

A manifest's first filing must arrive before the pre-arrival deadline of its transport mode,
measured against the ETA of the arrival declaration of the same journey (a vessel's voyage, a
flight, a train, a road vehicle); without one the manifest is
accepted and a warning says the deadline could not be checked. An amendment (revision > 1)
replaces the manifest's bills of lading. A cargo declaration's bill of lading is then checked
for existence, packages and gross weight, as ``SW_MANIFEST_MATCHING`` says: ``off``,
``report`` (mismatches kept and told to the declarant and the carrier) or ``enforce``
(refused). A declaration filed before its manifest is matched when the manifest arrives.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic_core import ErrorDetails
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.declarations.events import DeclarationSubmitted
from singlewindow.errors import InvalidData, NotFound
from singlewindow.identity import service as identity
from singlewindow.kit import events
from singlewindow.kit.clock import utcnow
from singlewindow.logistics import config, repository, timeline
from singlewindow.logistics.events import GoodsArrived
from singlewindow.logistics.models import (
    BillOfLading,
    BillStatus,
    CargoDeclarationLink,
    ContainerState,
    Manifest,
    MatchResult,
)
from singlewindow.logistics.schemas import JOURNEY_FIELD, CargoData, Consignment, ManifestData
from singlewindow.logistics.status import Clearance, Location
from singlewindow.logistics.timeline import BILL, Happening
from singlewindow.settings import Settings

ACTOR = "system:logistics"
ENDED = frozenset({Location.GATED_OUT, Location.DEPARTED})
VOYAGE_FIELDS = ("vessel_name", "imo_number", "voyage_number", "transport_mode", "port_of_loading", "port_of_discharge")
MODE_WORDS = {"1": "voyage", "2": "train", "3": "vehicle", "4": "flight"}


def _error(loc: tuple[str | int, ...], message: str, kind: str, value: object) -> ErrorDetails:
    return {"type": kind, "loc": loc, "msg": message, "input": value}


def deadline_problem(settings: Settings, mode: str, eta: datetime, at: datetime) -> str | None:
    """Why a manifest filed at ``at`` is late for a voyage due at ``eta``, or None."""
    hours = settings.manifest_deadline_hours.get(mode)
    if hours is None:
        return None
    due = eta - timedelta(hours=hours)
    if at <= due:
        return None
    return (
        f"a transport mode {mode} manifest is due {hours:g} h before the {MODE_WORDS.get(mode, 'journey')}'s ETA "
        f"{eta.isoformat()}, "
        f"that is by {due.isoformat()}; it was filed at {at.isoformat()}"
    )


def quantity_problems(
    settings: Settings, bill: BillOfLading, packages: int | None, weight: Decimal, containers: Sequence[str]
) -> list[str]:
    """How a declaration's packages, gross weight and containers disagree with its bill of lading."""
    problems = []
    if packages is not None and abs(packages - bill.package_count) > settings.manifest_package_tolerance:
        problems.append(f"{packages} packages declared, {bill.package_count} on the manifest")
    allowed = bill.gross_weight_kg * settings.manifest_weight_tolerance_percent / 100
    if abs(weight - bill.gross_weight_kg) > allowed:
        problems.append(
            f"gross weight {weight.normalize():f} kg declared, {bill.gross_weight_kg.normalize():f} kg on the "
            f"manifest (tolerance {settings.manifest_weight_tolerance_percent}%)"
        )
    unknown = sorted(set(containers) - {c["number"] for c in bill.containers})
    if unknown:
        problems.append(f"containers not on the bill of lading: {', '.join(unknown)}")
    if bill.status is BillStatus.WRITTEN_OFF:
        problems.append(f"already written off by declaration {bill.declaration_id}")
    return problems


async def register(session: AsyncSession, event: DeclarationSubmitted) -> None:
    settings = config.current()
    data = ManifestData.model_validate(event.data)
    arrival = await repository.latest_arrival(session, data.journey)
    eta = arrival.estimated_arrival if arrival else None
    if event.revision == 1 and eta is not None:
        late = deadline_problem(settings, data.transport_mode, eta, event.at)
        if late:
            field = JOURNEY_FIELD[data.transport_mode]
            journey = getattr(data, field)
            raise InvalidData(
                [_error((field,), late, "manifest_late", journey)],
                detail=f"the manifest for {MODE_WORDS[data.transport_mode]} {journey} is late: {late}",
            )
    manifest = await session.get(Manifest, event.declaration_id)
    if manifest is None:
        manifest = Manifest(declaration_id=event.declaration_id, party_id=event.party_id)
        session.add(manifest)
    manifest.revision, manifest.estimated_arrival, manifest.updated_at = event.revision, eta, utcnow()
    manifest.journey = data.journey
    for name in VOYAGE_FIELDS:
        setattr(manifest, name, getattr(data, name))
    await session.flush()
    bills = await _replace_bills(session, manifest, data.consignments)
    kind = "manifest_registered" if event.revision == 1 else "manifest_amended"
    for bill in bills:
        await _place_containers(session, manifest, bill)
        await timeline.record(
            session,
            timeline.subjects(bill.number, [c["number"] for c in bill.containers]),
            Happening(kind, "carrier", event.at, _journey_detail(data)),
        )
    if event.revision == 1 and eta is None:
        await _deadline_unchecked(session, event, data)
    await _match_waiting(session, settings, bills)
    await audit.record(
        session,
        actor=ACTOR,
        action=f"logistics.{kind}",
        subject=str(event.declaration_id),
        detail={"bills": len(bills)},
    )


def _journey_detail(data: ManifestData) -> dict[str, str]:
    """What a timeline says of the journey: the voyage and vessel, the flight, the train or the vehicle."""
    names = ("voyage_number", "vessel_name", "flight_number", "train_number", "plate_number", "vehicle_country")
    short = {"voyage_number": "voyage", "vessel_name": "vessel"}
    return {"mode": data.transport_mode} | {short.get(n, n): v for n in names if (v := getattr(data, n))}


def _journey_words(data: ManifestData) -> str:
    if data.transport_mode == "1":
        return f"IMO {data.imo_number} voyage {data.voyage_number}"
    if data.transport_mode == "3":
        return f"vehicle {data.plate_number} ({data.vehicle_country})"
    return f"{MODE_WORDS[data.transport_mode]} {getattr(data, JOURNEY_FIELD[data.transport_mode])}"


async def _deadline_unchecked(session: AsyncSession, event: DeclarationSubmitted, data: ManifestData) -> None:
    message = (
        f"no arrival declaration with an ETA for {_journey_words(data)}: the pre-arrival deadline could not be checked"
    )
    numbers = [c.bill_of_lading for c in data.consignments]
    await timeline.record(
        session,
        [(BILL, n) for n in numbers],
        Happening("deadline_unchecked", "platform", event.at, {"reason": message}),
    )
    await timeline.notify(
        session,
        [event.party_id],
        severity="warning",
        kind="deadline_unchecked",
        subject=(BILL, numbers[0]),
        message=message,
        declaration_id=event.declaration_id,
    )


async def _replace_bills(
    session: AsyncSession, manifest: Manifest, consignments: list[Consignment]
) -> list[BillOfLading]:
    """The manifest's bills become exactly ``consignments``; a bill already written off may not go."""
    held = {b.number: b for b in await repository.bills_of_manifest(session, manifest.declaration_id)}
    errors: list[ErrorDetails] = []
    kept: list[BillOfLading] = []
    for index, consignment in enumerate(consignments):
        bill = held.pop(consignment.bill_of_lading, None) or await repository.bill(session, consignment.bill_of_lading)
        if bill is not None and bill.manifest_id != manifest.declaration_id:
            message = f"bill of lading {bill.number} is already on manifest {bill.manifest_id}"
            errors.append(_error(("consignments", index, "bill_of_lading"), message, "duplicate", bill.number))
            continue
        bill = bill or BillOfLading(number=consignment.bill_of_lading, manifest_id=manifest.declaration_id)
        _fill(bill, manifest, consignment)
        session.add(bill)
        kept.append(bill)
    for gone in held.values():
        if gone.status is BillStatus.WRITTEN_OFF:
            message = f"bill of lading {gone.number} is written off by declaration {gone.declaration_id}; keep it"
            errors.append(_error(("consignments",), message, "written_off", gone.number))
        else:
            await repository.delete_bill(session, gone.id)
    if errors:
        raise InvalidData(errors)
    await session.flush()
    return kept


def _fill(bill: BillOfLading, manifest: Manifest, consignment: Consignment) -> None:
    bill.carrier_party_id = manifest.party_id
    bill.consignor = consignment.consignor.model_dump(mode="json", exclude_none=True)
    bill.consignee = consignment.consignee.model_dump(mode="json", exclude_none=True)
    bill.notify_party = (
        consignment.notify_party.model_dump(mode="json", exclude_none=True) if consignment.notify_party else None
    )
    bill.goods = [g.model_dump(mode="json", exclude_none=True) for g in consignment.goods]
    bill.containers = [c.model_dump(mode="json", exclude_none=True) for c in consignment.containers]
    bill.package_count = consignment.package_count
    bill.gross_weight_kg = consignment.gross_weight_kg
    bill.updated_at = utcnow()


async def _place_containers(session: AsyncSession, manifest: Manifest, bill: BillOfLading) -> None:
    """Announce the bill's containers on the voyage, and record who has a stake in them."""
    numbers = [c["number"] for c in bill.containers]
    known = await repository.containers(session, numbers)
    for number in numbers:
        state = known.get(number)
        if state is None or state.location in ENDED:
            state = state or ContainerState(number=number)
            state.location, state.clearance, state.last_event_at = Location.EXPECTED, Clearance.NOT_DECLARED, None
            session.add(state)
        state.bill_of_lading, state.imo_number, state.voyage_number = (
            bill.number,
            manifest.imo_number,
            manifest.voyage_number,
        )
        state.updated_at = utcnow()
    consignee = await _consignee_party(session, bill.consignee)
    subjects = timeline.subjects(bill.number, numbers)
    await repository.add_stakes(session, subjects, manifest.party_id, "carrier")
    if consignee is not None:
        await repository.add_stakes(session, subjects, consignee, "consignee")


async def _consignee_party(session: AsyncSession, consignee: dict[str, Any]) -> Any:
    uscc = consignee.get("uscc")
    if not uscc:
        return None
    try:
        return (await identity.enterprise_by_uscc(session, uscc)).id
    except NotFound:
        return None


async def match(session: AsyncSession, event: DeclarationSubmitted) -> None:
    """Follow a cargo declaration and check its bill of lading against the manifests."""
    settings = config.current()
    data = CargoData.model_validate(event.data)
    containers = [c.number for c in data.containers]
    link = await _link(session, event, data, containers)
    bill = await repository.bill(session, data.bill_of_lading, for_update=True)
    if settings.manifest_matching == "off":
        link.match = MatchResult.UNCHECKED
        problems: list[str] = []
    elif bill is None:
        link.match, problems = MatchResult.MISSING, ["not on any registered manifest"]
    else:
        problems = quantity_problems(settings, bill, data.package_count, data.gross_weight_kg, containers)
        link.match = MatchResult.MISMATCH if problems else MatchResult.MATCHED
    if problems and settings.manifest_matching == "enforce":
        message = f"bill of lading {data.bill_of_lading} does not match the manifest: {'; '.join(problems)}"
        raise InvalidData([_error(("bill_of_lading",), message, "manifest_mismatch", data.bill_of_lading)])
    if bill is not None and bill.status is not BillStatus.WRITTEN_OFF:
        bill.status, bill.declaration_id, bill.clearance = BillStatus.DECLARED, event.declaration_id, Clearance.DECLARED
    await session.flush()
    kind = "declaration_submitted" if event.revision == 1 else "declaration_amended"
    detail = {"reference": event.reference, "type": event.type, "match": link.match.value, "problems": problems}
    await timeline.record(
        session,
        timeline.subjects(data.bill_of_lading, containers),
        Happening(
            kind, "declarant", event.at, detail, event.declaration_id, flagged=bool(problems) and bill is not None
        ),
    )
    await _report(session, link, bill, problems)
    if bill is not None and bill.declaration_id == event.declaration_id:
        berthed = await repository.berthed_at(session, BILL, bill.number)
        if berthed is not None:
            await events.publish(session, GoodsArrived(event.declaration_id, berthed))


async def _link(
    session: AsyncSession, event: DeclarationSubmitted, data: CargoData, containers: list[str]
) -> CargoDeclarationLink:
    link = await session.get(CargoDeclarationLink, event.declaration_id)
    if link is None:
        link = CargoDeclarationLink(
            declaration_id=event.declaration_id, party_id=event.party_id, match=MatchResult.UNCHECKED
        )
        session.add(link)
    elif link.bill_of_lading != data.bill_of_lading:
        await _release_bill(session, link)
    link.revision, link.bill_of_lading, link.containers = event.revision, data.bill_of_lading, containers
    link.package_count, link.gross_weight_kg = data.package_count, data.gross_weight_kg
    link.clearance, link.updated_at = Clearance.DECLARED, utcnow()
    await repository.declare_containers(session, containers, data.bill_of_lading)
    await repository.add_stakes(
        session, timeline.subjects(data.bill_of_lading, containers), event.party_id, "declarant"
    )
    return link


async def _release_bill(session: AsyncSession, link: CargoDeclarationLink) -> None:
    """The declaration no longer names this bill of lading: it is free to be declared again."""
    bill = await repository.bill(session, link.bill_of_lading)
    if bill is not None and bill.declaration_id == link.declaration_id and bill.status is BillStatus.DECLARED:
        bill.status, bill.declaration_id, bill.clearance = BillStatus.REGISTERED, None, Clearance.NOT_DECLARED


async def _report(
    session: AsyncSession, link: CargoDeclarationLink, bill: BillOfLading | None, problems: list[str]
) -> None:
    """A mismatch is a warning to both parties; a missing bill is a note to the declarant (the manifest may follow)."""
    if not problems:
        return
    if bill is None:
        await timeline.notify(
            session,
            [link.party_id],
            severity="info",
            kind="manifest_missing",
            subject=(BILL, link.bill_of_lading),
            message=f"bill of lading {link.bill_of_lading} is on no registered manifest yet; "
            "it is matched when the carrier files it",
            declaration_id=link.declaration_id,
        )
        return
    await timeline.notify(
        session,
        [link.party_id, bill.carrier_party_id],
        severity="warning",
        kind="manifest_mismatch",
        subject=(BILL, bill.number),
        message=f"declaration and manifest disagree on bill of lading {bill.number}: {'; '.join(problems)}",
        declaration_id=link.declaration_id,
    )


async def _match_waiting(session: AsyncSession, settings: Settings, bills: list[BillOfLading]) -> None:
    """Declarations filed before this manifest are matched now that their bills of lading exist."""
    if settings.manifest_matching == "off" or not bills:
        return
    by_number = {b.number: b for b in bills}
    waiting = await session.scalars(
        select(CargoDeclarationLink).where(
            CargoDeclarationLink.bill_of_lading.in_(sorted(by_number)),
            CargoDeclarationLink.match == MatchResult.MISSING,
        )
    )
    for link in waiting:
        bill = by_number[link.bill_of_lading]
        problems = quantity_problems(settings, bill, link.package_count, link.gross_weight_kg, link.containers)
        link.match = MatchResult.MISMATCH if problems else MatchResult.MATCHED
        if bill.status is BillStatus.REGISTERED:
            bill.status, bill.declaration_id, bill.clearance = BillStatus.DECLARED, link.declaration_id, link.clearance
        await timeline.record(
            session,
            [(BILL, bill.number)],
            Happening(
                "declaration_matched",
                "platform",
                utcnow(),
                {"match": link.match.value, "problems": problems},
                link.declaration_id,
                flagged=bool(problems),
            ),
        )
        await _report(session, link, bill, problems)
