"""Logistics use cases: following declarations through their events, tracking, subscriptions, notices, permits.

The declarations context publishes; this context keeps what it needs in its own tables and
never reads the declarations' rows.
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.declarations.events import AgencyDecided, DeclarationStatusChanged, DeclarationSubmitted
from singlewindow.errors import InvalidData
from singlewindow.exchange import service as exchange
from singlewindow.exchange.service import NewMessage
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.logistics import config, manifests, permits, repository, timeline
from singlewindow.logistics.errors import NotFollowed, PermitNotFound, SubscriptionNotFound
from singlewindow.logistics.models import (
    BillOfLading,
    BillStatus,
    CargoDeclarationLink,
    Manifest,
    Notice,
    Permit,
    Subscription,
    VehicleCall,
)
from singlewindow.logistics.schemas import (
    BillTracking,
    ContainerTracking,
    SubscriptionCreate,
    TimelineEntry,
    VehicleData,
    container_number,
)
from singlewindow.logistics.status import Clearance, clearance_of
from singlewindow.logistics.timeline import BILL, CONTAINER, Happening

CARGO, MANIFEST, VESSEL = "cargo_declaration", "cargo_manifest", "vessel_declaration"
RELEASE_INSTRUCTION = "release_instruction"


async def on_declaration_submitted(session: AsyncSession, event: DeclarationSubmitted) -> None:
    """Register manifests (refusing late ones), match cargo declarations, keep arrivals and departures."""
    if event.document_type == MANIFEST:
        await manifests.register(session, event)
    elif event.document_type == CARGO:
        await manifests.match(session, event)
    elif event.document_type == VESSEL:
        await _keep_vehicle_call(session, event)


async def _keep_vehicle_call(session: AsyncSession, event: DeclarationSubmitted) -> None:
    data = VehicleData.model_validate(event.data)
    call = await session.get(VehicleCall, event.declaration_id)
    if call is None:
        call = VehicleCall(declaration_id=event.declaration_id, party_id=event.party_id)
        session.add(call)
    for name, value in data.model_dump(exclude={"dangerous_goods", "ships_stores"}).items():
        setattr(call, name, value)
    call.journey = data.journey
    call.dangerous_goods = [g.model_dump(mode="json", exclude_none=True) for g in data.dangerous_goods]
    call.ships_stores = [s.model_dump(mode="json", exclude_none=True) for s in data.ships_stores]
    call.revision, call.clearances, call.status, call.updated_at = event.revision, {}, "submitted", utcnow()
    await session.flush()


async def on_agency_decided(session: AsyncSession, event: AgencyDecided) -> None:
    """An agency's decision joins the timeline of the goods it covers, and the vessel call it clears."""
    if event.document_type == VESSEL:
        call = await session.get(VehicleCall, event.declaration_id)
        if call is not None and call.revision == event.revision:
            call.clearances = {**call.clearances, event.agency: event.decision}
        return
    link = await session.get(CargoDeclarationLink, event.declaration_id)
    if link is None or link.revision != event.revision:
        return
    detail = {"agency": event.agency, "decision": event.decision, "status": event.status}
    await timeline.record(
        session,
        timeline.subjects(link.bill_of_lading, link.containers),
        Happening("agency_decision", f"agency:{event.agency}", event.at, detail, event.declaration_id),
    )


async def on_status_changed(session: AsyncSession, event: DeclarationStatusChanged) -> None:
    if event.document_type == VESSEL:
        call = await session.get(VehicleCall, event.declaration_id)
        if call is not None:
            call.status, call.updated_at = event.status, utcnow()
            if event.status == "released" and call.movement == "D":
                await permits.issue(session, call)
        return
    link = await session.get(CargoDeclarationLink, event.declaration_id)
    if event.document_type != CARGO or link is None:
        return
    await _clear(session, link, event)


async def _clear(session: AsyncSession, link: CargoDeclarationLink, event: DeclarationStatusChanged) -> None:
    """The declaration's status becomes its goods' clearance; a release writes off the bill and tells the terminal."""
    link.clearance, link.updated_at = clearance_of(event.status), utcnow()
    for state in (await repository.containers(session, link.containers)).values():
        state.clearance, state.updated_at = link.clearance, utcnow()
    bill = await repository.bill(session, link.bill_of_lading, for_update=True)
    ours = bill is not None and bill.declaration_id == link.declaration_id
    if bill is not None and ours:
        bill.clearance, bill.updated_at = link.clearance, utcnow()
        if event.status == "cancelled" and bill.status is BillStatus.DECLARED:
            bill.status, bill.declaration_id = BillStatus.REGISTERED, None
    detail = {"status": event.status, "previous": event.previous, "reference": event.reference}
    await timeline.record(
        session,
        timeline.subjects(link.bill_of_lading, link.containers),
        Happening("declaration_status", "platform", event.at, detail, event.declaration_id),
    )
    if event.status == "released" and bill is not None and ours:
        await _write_off(session, bill, link, event)


async def _write_off(
    session: AsyncSession, bill: BillOfLading, link: CargoDeclarationLink, event: DeclarationStatusChanged
) -> None:
    bill.status, bill.written_off_at = BillStatus.WRITTEN_OFF, utcnow()
    containers = sorted({c["number"] for c in bill.containers} | set(link.containers))
    terminal = config.current().terminal_counterparty
    payload = {
        "bill_of_lading": bill.number,
        "containers": containers,
        "declaration_id": str(link.declaration_id),
        "reference": event.reference,
        "released_at": event.at.isoformat(),
    }
    await exchange.enqueue(
        session, [NewMessage(terminal, RELEASE_INSTRUCTION, payload, link.declaration_id, event.revision)]
    )
    await timeline.record(
        session,
        timeline.subjects(bill.number, containers),
        Happening("release_instruction", "platform", event.at, {"to": terminal}, link.declaration_id),
    )
    await audit.record(session, actor="system:logistics", action="logistics.written_off", subject=bill.number)


def _checked_container(number: str) -> str:
    try:
        return container_number(number)
    except ValueError as exc:
        raise InvalidData([{"type": "iso6346", "loc": ("number",), "msg": str(exc), "input": number}]) from exc


async def _followed(session: AsyncSession, principal: Principal, kind: str, number: str) -> None:
    if not await repository.may_follow(session, principal, kind, number):
        raise NotFollowed(f"no {kind.replace('_', ' ')} {number} that you carry, declare or receive")


async def _entries(session: AsyncSession, kind: str, number: str) -> list[TimelineEntry]:
    return [TimelineEntry.model_validate(e) for e in await repository.timeline(session, kind, number)]


async def track_container(session: AsyncSession, principal: Principal, number: str) -> ContainerTracking:
    """One container end to end: where it is, whether its goods are cleared, and everything that happened."""
    ensure(principal, "logistics:read")
    number = _checked_container(number)
    await _followed(session, principal, CONTAINER, number)
    state = (await repository.containers(session, [number])).get(number)
    return ContainerTracking(
        number=number,
        location=state.location if state else None,
        clearance=state.clearance if state else Clearance.NOT_DECLARED,
        bill_of_lading=state.bill_of_lading if state else None,
        timeline=await _entries(session, CONTAINER, number),
    )


async def track_bill(session: AsyncSession, principal: Principal, number: str) -> BillTracking:
    ensure(principal, "logistics:read")
    number = number.strip()
    await _followed(session, principal, BILL, number)
    bill = await repository.bill(session, number)
    manifest = await session.get(Manifest, bill.manifest_id) if bill else None
    numbers = [c["number"] for c in bill.containers] if bill else []
    states = await repository.containers(session, numbers)
    return BillTracking(
        number=number,
        status=bill.status.value if bill else None,
        clearance=bill.clearance if bill else Clearance.NOT_DECLARED,
        declaration_id=bill.declaration_id if bill else None,
        transport_mode=manifest.transport_mode if manifest else None,
        journey=manifest.journey if manifest else None,
        vessel_name=manifest.vessel_name if manifest else None,
        consignee=bill.consignee if bill else None,
        notify_party=bill.notify_party if bill else None,
        voyage_number=manifest.voyage_number if manifest else None,
        containers={n: states[n].location if n in states else None for n in numbers},
        package_count=bill.package_count if bill else None,
        gross_weight_kg=bill.gross_weight_kg if bill else None,
        timeline=await _entries(session, BILL, number),
    )


async def subscribe(session: AsyncSession, principal: Principal, data: SubscriptionCreate) -> Subscription:
    """Follow a container or bill of lading one has a stake in; each new event goes to one's webhooks."""
    ensure(principal, "logistics:subscribe")
    kind, number = data.subject
    await _followed(session, principal, kind, number)
    found = await repository.subscription(session, principal.party_id, kind, number)
    if found is None:
        found = Subscription(party_id=principal.party_id, subject_kind=kind, number=number)
        session.add(found)
    found.active = True
    await session.flush()
    await audit.record(session, actor=principal.actor, action="logistics.subscribed", subject=f"{kind}:{number}")
    return found


async def subscriptions(session: AsyncSession, principal: Principal) -> list[Subscription]:
    """One's own subscriptions; the operator's are everyone's."""
    ensure(principal, "logistics:read")
    return await repository.subscriptions_of(session, None if principal.is_operator else principal.party_id)


async def unsubscribe(session: AsyncSession, principal: Principal, subscription_id: uuid.UUID) -> Subscription:
    ensure(principal, "logistics:subscribe")
    found = await session.get(Subscription, subscription_id)
    if found is None or found.party_id != principal.party_id:
        raise SubscriptionNotFound(f"no subscription {subscription_id}")
    found.active = False
    await session.flush()
    await audit.record(session, actor=principal.actor, action="logistics.unsubscribed", subject=str(subscription_id))
    return found


async def notices(session: AsyncSession, principal: Principal, limit: int = 100) -> list[Notice]:
    ensure(principal, "logistics:read")
    return await repository.notices_of(session, None if principal.is_operator else principal.party_id, limit)


async def permits_of(session: AsyncSession, principal: Principal) -> list[Permit]:
    ensure(principal, "logistics:read")
    return await repository.permits_of(session, None if principal.is_operator else principal.party_id)


async def permit_numbered(session: AsyncSession, principal: Principal, number: str) -> Permit:
    ensure(principal, "logistics:read")
    found = await repository.permit_by_number(session, number)
    if found is None or not (principal.is_operator or found.party_id == principal.party_id):
        raise PermitNotFound(f"no departure permit {number}")
    return found


async def permit(session: AsyncSession, principal: Principal, permit_id: uuid.UUID) -> Permit:
    ensure(principal, "logistics:read")
    found = await session.get(Permit, permit_id)
    if found is None or not (principal.is_operator or found.party_id == principal.party_id):
        raise PermitNotFound(f"no departure permit {permit_id}")
    return found
