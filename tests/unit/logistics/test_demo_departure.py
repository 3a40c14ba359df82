"""The departure `singlewindow logistics demo-departure` files is one the catalogue accepts."""

from singlewindow.catalogue import document_types
from singlewindow.logistics.commands import departure_document


def test_the_demo_departure_is_a_valid_vessel_declaration() -> None:
    data = document_types.validate("vessel_declaration", departure_document())
    assert (data["movement"], data["imo_number"], data["next_port_of_call"]) == ("D", "9795610", "SGSIN")
