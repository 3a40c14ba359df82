"""Where a container is and whether it may leave, as pure functions of the events that reach the platform.

Terminals and carriers report what happened; their messages can arrive late, out of order,
or not at all. A step nobody reported is implied by the next one (a gate-out proves the
discharge); an event that would move the container back (a discharge reported after the
gate-out) is kept on the timeline but does not change its location.
"""

import enum
from types import MappingProxyType


class Location(enum.StrEnum):
    EXPECTED = "expected"
    """Announced on a manifest, not yet seen at the port."""
    ARRIVED = "arrived"
    """On board a vessel that has berthed."""
    IN_TERMINAL = "in_terminal"
    GATED_OUT = "gated_out"
    ON_BOARD = "on_board"
    DEPARTED = "departed"


class Clearance(enum.StrEnum):
    NOT_DECLARED = "not_declared"
    DECLARED = "declared"
    INSPECTION = "inspection"
    RELEASED = "released"
    REJECTED = "rejected"


class PortEventKind(enum.StrEnum):
    VESSEL_BERTHED = "vessel_berthed"
    CONTAINER_DISCHARGED = "container_discharged"
    GATE_IN = "gate_in"
    GATE_OUT = "gate_out"
    LOADED = "loaded"
    DEPARTED = "departed"


VESSEL_EVENTS = frozenset({PortEventKind.VESSEL_BERTHED, PortEventKind.DEPARTED})
"""Events about a vessel: they reach every container announced on its voyage."""

_MOVES: MappingProxyType[PortEventKind, tuple[frozenset[Location], Location]] = MappingProxyType(
    {
        PortEventKind.VESSEL_BERTHED: (frozenset({Location.EXPECTED}), Location.ARRIVED),
        PortEventKind.CONTAINER_DISCHARGED: (frozenset({Location.EXPECTED, Location.ARRIVED}), Location.IN_TERMINAL),
        PortEventKind.GATE_OUT: (
            frozenset({Location.EXPECTED, Location.ARRIVED, Location.IN_TERMINAL}),
            Location.GATED_OUT,
        ),
        PortEventKind.GATE_IN: (frozenset({Location.EXPECTED, Location.GATED_OUT}), Location.IN_TERMINAL),
        PortEventKind.LOADED: (frozenset({Location.EXPECTED, Location.IN_TERMINAL}), Location.ON_BOARD),
        PortEventKind.DEPARTED: (frozenset({Location.ON_BOARD}), Location.DEPARTED),
    }
)


def next_location(current: Location | None, event: PortEventKind) -> Location | None:
    """The container's location after ``event``, or None when the event does not follow from ``current``.

    A container the platform has never heard of (``current`` None) starts wherever the event
    puts it: a gate-in of an export box is how most containers first appear.
    """
    allowed, target = _MOVES[event]
    if current is None or current in allowed:
        return target
    return None


_CLEARANCE_OF_STATUS = MappingProxyType(
    {
        "submitted": Clearance.DECLARED,
        "in_review": Clearance.DECLARED,
        "inspection": Clearance.INSPECTION,
        "released": Clearance.RELEASED,
        "rejected": Clearance.REJECTED,
        "cancelled": Clearance.NOT_DECLARED,
    }
)


def clearance_of(declaration_status: str) -> Clearance:
    """What a cargo declaration's consolidated status means for the goods it covers."""
    return _CLEARANCE_OF_STATUS.get(declaration_status, Clearance.DECLARED)


def gate_out_flagged(event: PortEventKind, clearance: Clearance) -> bool:
    """A container leaving the terminal before its declaration is released is the one thing a port must not miss."""
    return event is PortEventKind.GATE_OUT and clearance is not Clearance.RELEASED
