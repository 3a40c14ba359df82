"""The container's location as a state machine of port events, and what a gate-out before release means."""

import pytest

from singlewindow.logistics.status import (
    Clearance,
    Location,
    PortEventKind,
    clearance_of,
    gate_out_flagged,
    next_location,
)

E = PortEventKind


def walk(start: Location | None, *steps: PortEventKind) -> Location | None:
    location = start
    for step in steps:
        moved = next_location(location, step)
        if moved is not None:
            location = moved
    return location


def test_an_import_box_goes_from_the_manifest_to_the_gate() -> None:
    steps = (E.VESSEL_BERTHED, E.CONTAINER_DISCHARGED, E.GATE_OUT)
    assert walk(Location.EXPECTED, *steps) is Location.GATED_OUT


def test_an_export_box_appears_at_the_gate_and_leaves_on_the_vessel() -> None:
    assert walk(None, E.GATE_IN, E.LOADED, E.DEPARTED) is Location.DEPARTED


@pytest.mark.parametrize(
    ("current", "event"),
    [
        (Location.GATED_OUT, E.CONTAINER_DISCHARGED),
        (Location.IN_TERMINAL, E.VESSEL_BERTHED),
        (Location.DEPARTED, E.LOADED),
        (Location.IN_TERMINAL, E.DEPARTED),
        (Location.ON_BOARD, E.GATE_OUT),
    ],
)
def test_an_event_that_would_move_a_box_back_does_not_apply(current: Location, event: PortEventKind) -> None:
    assert next_location(current, event) is None


@pytest.mark.parametrize(
    ("current", "event", "target"),
    [
        (Location.EXPECTED, E.GATE_OUT, Location.GATED_OUT),
        (Location.ARRIVED, E.GATE_OUT, Location.GATED_OUT),
        (Location.EXPECTED, E.CONTAINER_DISCHARGED, Location.IN_TERMINAL),
        (Location.EXPECTED, E.LOADED, Location.ON_BOARD),
        (Location.GATED_OUT, E.GATE_IN, Location.IN_TERMINAL),
    ],
)
def test_a_step_nobody_reported_is_implied_by_the_next(
    current: Location, event: PortEventKind, target: Location
) -> None:
    assert next_location(current, event) is target


def test_every_event_places_a_box_the_platform_has_not_heard_of() -> None:
    assert all(next_location(None, event) is not None for event in PortEventKind)


@pytest.mark.parametrize(
    ("status", "clearance"),
    [
        ("submitted", Clearance.DECLARED),
        ("in_review", Clearance.DECLARED),
        ("inspection", Clearance.INSPECTION),
        ("released", Clearance.RELEASED),
        ("rejected", Clearance.REJECTED),
        ("cancelled", Clearance.NOT_DECLARED),
    ],
)
def test_a_declaration_status_is_its_goods_clearance(status: str, clearance: Clearance) -> None:
    assert clearance_of(status) is clearance


@pytest.mark.parametrize("clearance", [c for c in Clearance if c is not Clearance.RELEASED])
def test_only_a_released_box_may_gate_out_unflagged(clearance: Clearance) -> None:
    assert gate_out_flagged(E.GATE_OUT, clearance)
    assert not gate_out_flagged(E.GATE_OUT, Clearance.RELEASED)
    assert not gate_out_flagged(E.GATE_IN, clearance)
