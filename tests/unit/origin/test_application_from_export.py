"""An export cargo declaration becomes a certificate of origin application the catalogue accepts."""

import pytest
from support.trade_documents import export_declaration

from singlewindow.catalogue import document_types
from singlewindow.errors import InvalidData
from singlewindow.origin.service import DOCUMENT_TYPE, application_from_export


def test_a_preferential_application_carries_the_criterion_on_every_item() -> None:
    body = application_from_export(
        export_declaration(), agreement="RCEP", invoice_number="INV-1", invoice_date="2026-11-20", origin_criterion="WO"
    )
    accepted = document_types.validate(DOCUMENT_TYPE, body)
    assert accepted["exporter"]["uscc"] == "91310000MA1FL8TQ36"
    assert (accepted["country"], accepted["port_of_discharge"], accepted["agreement"]) == ("TH", "THLCH", "RCEP")
    assert [g["origin_criterion"] for g in accepted["goods"]] == ["WO", "WO", "WO"]


def test_a_non_preferential_application_has_no_agreement_or_criterion() -> None:
    body = application_from_export(
        export_declaration(), agreement=None, invoice_number="INV-1", invoice_date="2026-11-20", origin_criterion="WO"
    )
    accepted = document_types.validate(DOCUMENT_TYPE, body)
    assert "agreement" not in accepted
    assert all("origin_criterion" not in g for g in accepted["goods"])


def test_an_agreement_without_a_criterion_is_refused_by_the_catalogue() -> None:
    body = application_from_export(
        export_declaration(), agreement="RCEP", invoice_number="INV-1", invoice_date="2026-11-20", origin_criterion=""
    )
    with pytest.raises(InvalidData):
        document_types.validate(DOCUMENT_TYPE, body)
