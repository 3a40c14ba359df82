"""One declaration of the means of transport for sea, rail, road and air, each mode with its own identity."""

from typing import Any

import pytest
from support.documents import sample
from support.logistics import vehicle

from singlewindow.catalogue import document_types
from singlewindow.catalogue.identifiers import (
    aircraft_registration_problem,
    flight_number_problem,
    train_number_problem,
    un_number_problem,
    vehicle_plate_problem,
)
from singlewindow.declarations.documents import accept
from singlewindow.errors import InvalidData

VEHICLE = "vessel_declaration"


def refused(document: dict[str, Any], code: str = VEHICLE) -> dict[str, str]:
    with pytest.raises(InvalidData) as caught:
        document_types.validate(code, document)
    return {e["loc"]: e["msg"] for e in caught.value.errors}


@pytest.mark.parametrize(("mode", "reference"), [("1", "051E"), ("2", "X8024"), ("3", "粤B12345"), ("4", "CA931")])
@pytest.mark.parametrize("movement", ["A", "D"])
def test_each_mode_is_accepted_with_its_own_identity_and_reference(mode: str, reference: str, movement: str) -> None:
    document = accept(VEHICLE, vehicle(mode, movement), "CN")
    assert (document.data["transport_mode"], document.type, document.reference) == (mode, movement, reference)


@pytest.mark.parametrize(
    ("mode", "missing"),
    [
        ("1", {"$.vessel_name", "$.imo_number", "$.call_sign", "$.flag_state", "$.voyage_number", "$.gross_tonnage"}),
        ("2", {"$.train_number"}),
        ("3", {"$.plate_number", "$.vehicle_country"}),
        ("4", {"$.aircraft_registration", "$.flight_number"}),
    ],
)
def test_each_mode_names_the_identity_fields_it_lacks(mode: str, missing: set[str]) -> None:
    document = {k: v for k, v in vehicle(mode).items() if f"$.{k}" not in missing}
    errors = refused(document)
    assert set(errors) == missing
    assert all(msg == f"required because transport_mode is '{mode}'" for msg in errors.values())


def test_another_modes_identity_is_refused_by_name() -> None:
    errors = refused(vehicle("3", imo_number="9795610", flight_number="CA931"))
    assert errors == {
        "$.imo_number": "not used because transport_mode is '3'",
        "$.flight_number": "not used because transport_mode is '3'",
    }


def test_only_the_four_modes_of_a_means_of_transport_are_taken() -> None:
    assert refused(vehicle("2", transport_mode="5")) == {
        "$.transport_mode": "'5' is not allowed here; use one of 1, 2, 3, 4"
    }
    assert "$.transport_mode" in refused({**vehicle("1"), "transport_mode": "X"})


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("imo_number", "9795611", "not a valid IMO ship identification number: check digit is 1, expected 0"),
        ("flight_number", "CA-931", "not a valid flight number"),
        ("aircraft_registration", "b-2482", "not a valid aircraft registration mark"),
        ("train_number", "X 8024", "not a valid train number"),
        ("plate_number", "粤B_12345", "not a valid vehicle registration plate"),
        ("port_of_call", "CNXXX", "is not in code list 'locode'"),
    ],
)
def test_identifiers_are_checked_and_the_error_names_the_field(field: str, value: str, reason: str) -> None:
    mode = {"imo_number": "1", "flight_number": "4", "aircraft_registration": "4", "train_number": "2"}
    document = vehicle(mode.get(field, "3"), **{field: value})
    assert reason in refused(document)[f"$.{field}"]


def test_dangerous_goods_and_ships_stores_are_validated_item_by_item() -> None:
    document = sample(VEHICLE)
    assert document_types.validate(VEHICLE, document)["dangerous_goods"][0]["un_number"] == "1203"
    document["dangerous_goods"][0] |= {"un_number": "12A3", "hazard_class": "10", "packing_group": "IV"}
    document["ships_stores"][1].pop("unit")
    errors = refused(document)
    assert "must be 4 digits, e.g. 1203" in errors["$.dangerous_goods[0].un_number"]
    assert "not in code list 'dangerous_goods_class'" in errors["$.dangerous_goods[0].hazard_class"]
    assert "not in code list 'packing_group'" in errors["$.dangerous_goods[0].packing_group"]
    assert errors["$.ships_stores[1].unit"] == "Field required"


def test_ships_stores_are_for_vessels_only() -> None:
    stores = [{"description": "Water", "quantity": "2", "unit": "TNE"}]
    assert refused(vehicle("4", ships_stores=stores)) == {"$.ships_stores": "not used because transport_mode is '4'"}


def test_a_manifest_names_the_means_of_transport_of_its_mode() -> None:
    manifest = sample("cargo_manifest")
    assert document_types.validate("cargo_manifest", manifest)["consignments"][0]["notify_party"]["country"] == "CN"
    air = {k: v for k, v in manifest.items() if k not in {"vessel_name", "imo_number", "voyage_number"}}
    assert refused({**air, "transport_mode": "4"}, "cargo_manifest") == {
        "$.flight_number": "required because transport_mode is '4'"
    }
    assert accept("cargo_manifest", {**air, "transport_mode": "4", "flight_number": "CA931"}, "CN").reference == "CA931"


@pytest.mark.parametrize(
    ("problem", "good", "bad"),
    [
        (flight_number_problem, ["CA931", "CCA931", "MU5101", "3U8633", "CA931A"], ["931", "CA", "CA12345", "11931"]),
        (aircraft_registration_problem, ["B-2482", "N123AB", "9V-SKA", "JA8089"], ["B", "1234", "B--12", "b-2482"]),
        (train_number_problem, ["X8024", "G1", "T5691-2"], ["X", "X 8024", "X8024-"]),
        (vehicle_plate_problem, ["粤B12345", "粤B·12345", "AB 12 CD", "B-MW 1234"], ["粤B", "ab12", "A  1", "A_1"]),
        (un_number_problem, ["1203", "0004", "3549"], ["UN1203", "123", "0000", "12a3"]),
    ],
)
def test_identifier_shapes(problem: Any, good: list[str], bad: list[str]) -> None:
    assert [v for v in good if problem(v)] == []
    assert [v for v in bad if not problem(v)] == []
