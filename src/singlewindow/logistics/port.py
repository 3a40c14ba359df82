"""Port data: terminals and carriers report what happened to vessels and containers.

Events arrive as inbound exchange messages of kind ``port_event``; the exchange keeps each
sender's message id, so a repeated message changes nothing. A gate-out of a container whose
goods are not released is recorded, flagged, and told to everyone with a stake in it.
"""

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.errors import InvalidData
from singlewindow.exchange.schemas import InboundEnvelope
from singlewindow.kit import events
from singlewindow.kit.clock import utcnow
from singlewindow.logistics import repository, timeline
from singlewindow.logistics.events import ContainerEventRecorded, GoodsArrived, GoodsGatedOut
from singlewindow.logistics.models import ContainerState
from singlewindow.logistics.schemas import PortEvent
from singlewindow.logistics.status import Clearance, Location, PortEventKind, gate_out_flagged, next_location
from singlewindow.logistics.timeline import BILL, CONTAINER, Happening

KIND = "port_event"


def _parse(envelope: InboundEnvelope) -> PortEvent:
    try:
        return PortEvent.model_validate(envelope.payload)
    except ValidationError as exc:
        raise InvalidData([{**e, "loc": ("payload", *e["loc"])} for e in exc.errors()]) from exc


async def receive(session: AsyncSession, sender: str, envelope: InboundEnvelope) -> str:
    """Apply one port event; the outcome is kept in the exchange inbox with the message."""
    event = _parse(envelope)
    if event.container is None:
        return await _vessel_event(session, sender, event)
    return await _container_event(session, sender, event, event.container)


def _detail(event: PortEvent) -> dict[str, str]:
    fields = ("location", "imo_number", "voyage_number", "detail")
    return {name: value for name in fields if (value := getattr(event, name))}


async def _vessel_event(session: AsyncSession, sender: str, event: PortEvent) -> str:
    """A berthing or departure reaches the containers it moves and every bill of lading of the voyage."""
    assert event.imo_number
    assert event.voyage_number
    bills = await repository.bills_of_voyage(session, event.imo_number, event.voyage_number)
    if event.event is PortEventKind.DEPARTED:
        candidates = await repository.on_board(session, event.imo_number, event.voyage_number)
    else:
        numbers = [c["number"] for b in bills for c in b.containers]
        candidates = list((await repository.containers(session, numbers)).values())
    moved = [c for c in candidates if _move(c, event)]
    what = Happening(event.event.value, sender, event.occurred_at, _detail(event))
    await timeline.record(session, [(BILL, b.number) for b in bills] + [(CONTAINER, c.number) for c in moved], what)
    for state in moved:
        await _recorded(session, state.number, state.bill_of_lading, event)
    if event.event is PortEventKind.VESSEL_BERTHED:
        for declaration_id in dict.fromkeys(b.declaration_id for b in bills if b.declaration_id):
            await events.publish(session, GoodsArrived(declaration_id, event.occurred_at))
    return f"recorded {event.event}: {len(bills)} bills of lading, {len(moved)} containers moved"


def _move(state: ContainerState, event: PortEvent) -> bool:
    """Move the container if the event follows from where it is and is not older than what moved it last."""
    if state.last_event_at is not None and event.occurred_at < state.last_event_at:
        return False
    target = next_location(state.location, event.event)
    if target is None:
        return False
    state.location, state.last_event_at, state.updated_at = target, event.occurred_at, utcnow()
    if event.imo_number and event.voyage_number:
        state.imo_number, state.voyage_number = event.imo_number, event.voyage_number
    return True


def _first_location(event: PortEventKind) -> Location:
    """Where a container the platform has not heard of is after its first event."""
    location = next_location(None, event)
    assert location is not None
    return location


async def _container_event(session: AsyncSession, sender: str, event: PortEvent, number: str) -> str:
    state = (await repository.containers(session, [number])).get(number)
    if state is None:
        state = ContainerState(
            number=number,
            location=_first_location(event.event),
            clearance=Clearance.NOT_DECLARED,
            bill_of_lading=event.bill_of_lading,
        )
        state.last_event_at, state.imo_number, state.voyage_number = (
            event.occurred_at,
            event.imo_number,
            event.voyage_number,
        )
        session.add(state)
        moved = True
    else:
        moved = _move(state, event)
    flagged = gate_out_flagged(event.event, state.clearance)
    detail = {**_detail(event), "moved": moved, "location": state.location.value, "clearance": state.clearance.value}
    bill = event.bill_of_lading or state.bill_of_lading
    await timeline.record(
        session,
        timeline.subjects(bill, [number]),
        Happening(event.event.value, sender, event.occurred_at, detail, flagged=flagged),
    )
    await _recorded(session, number, bill, event)
    if event.event is PortEventKind.GATE_OUT:
        await _gated_out(session, bill, event)
    if flagged:
        await timeline.notify(
            session,
            await repository.stakeholders(session, CONTAINER, number),
            severity="warning",
            kind="gate_out_before_release",
            subject=(CONTAINER, number),
            message=f"container {number} left the terminal ({sender}) while its goods are {state.clearance.value}",
        )
    outcome = f"recorded {event.event} of {number}" + ("" if moved else " (out of sequence: status kept)")
    return outcome + (" FLAGGED: not released" if flagged else "")


async def _gated_out(session: AsyncSession, bill_number: str | None, event: PortEvent) -> None:
    declared = await repository.bill(session, bill_number) if bill_number else None
    if declared is not None and declared.declaration_id is not None:
        await events.publish(session, GoodsGatedOut(declared.declaration_id, event.occurred_at))


async def _recorded(session: AsyncSession, number: str, bill: str | None, event: PortEvent) -> None:
    await events.publish(
        session,
        ContainerEventRecorded(
            number, event.event.value, event.occurred_at, event.location, bill, event.imo_number, event.voyage_number
        ),
    )
