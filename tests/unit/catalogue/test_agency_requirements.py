"""One form, many reports: what each agency receives of one declaration."""

from typing import Any

import pytest
from support.documents import beef_import, import_declaration

from singlewindow.catalogue.agency_requirements import FORMATS, conversions, derive, requirements
from singlewindow.declarations.schemas import CargoDeclaration

CARGO = "cargo_declaration"
Document = dict[str, Any]


@pytest.fixture
def mixed() -> Document:
    """Laptops, T-shirts, then beef: only the third item is under inspection and quarantine (A/B)."""
    document = import_declaration(goods=[*import_declaration()["goods"], *beef_import()["goods"]])
    return CargoDeclaration.model_validate(document).model_dump(mode="json", exclude_none=True)


def test_customs_gets_everything_with_each_item_numbered(mixed: Document) -> None:
    view = derive(CARGO, "customs", mixed)
    assert {k: v for k, v in view.items() if k != "goods"} == {k: v for k, v in mixed.items() if k != "goods"}
    assert view["goods"] == [{"seq": n, **item} for n, item in enumerate(mixed["goods"], start=1)]


def test_inspection_quarantine_gets_only_items_under_conditions_a_or_b_keeping_their_seq(mixed: Document) -> None:
    view = derive(CARGO, "inspection_quarantine", mixed)
    assert [item["seq"] for item in view["goods"]] == [3]
    assert view["goods"][0]["hs_code"] == "020230"
    assert "value" not in view["goods"][0]
    assert "currency" not in view
    assert view["containers"] == mixed["containers"]


def test_commerce_gets_licensed_items_with_their_licence(mixed: Document) -> None:
    view = derive(CARGO, "commerce", mixed)
    assert [(item["seq"], item["licence_number"]) for item in view["goods"]] == [(3, "24-AL-000001")]
    assert "bill_of_lading" not in view


def test_maritime_gets_every_item_but_no_values(mixed: Document) -> None:
    view = derive(CARGO, "maritime", mixed)
    assert [item["seq"] for item in view["goods"]] == [1, 2, 3]
    assert not any("value" in item for item in view["goods"])
    assert not {"currency", "incoterm", "trade_mode", "consignee"} & view.keys()
    assert view["goods"][0]["package_count"] == 20


def test_absent_optional_fields_are_left_out(mixed: Document) -> None:
    beef = derive(CARGO, "maritime", mixed)["goods"][2]
    assert "package_count" not in beef
    assert "package_type" not in beef


@pytest.mark.parametrize("agency", sorted(requirements()[CARGO]))
def test_every_agency_view_names_only_fields_of_the_declaration(agency: str, mixed: Document) -> None:
    view = derive(CARGO, agency, mixed)
    assert set(view) <= set(mixed)
    for item in view["goods"]:
        assert set(item) - {"seq"} <= set(mixed["goods"][item["seq"] - 1])


def test_an_agency_without_requirements_is_a_key_error(mixed: Document) -> None:
    with pytest.raises(KeyError, match="no requirements for agency 'tax'"):
        derive(CARGO, "tax", mixed)


def test_comments_in_the_requirements_file_are_not_document_types() -> None:
    assert CARGO in requirements()
    assert not [name for name in requirements() if name.startswith("_")]


def test_every_requirement_row_names_a_known_format_and_known_conversions() -> None:
    rows = [rule for agencies in requirements().values() for rule in agencies.values()]
    assert {rule.get("format") for rule in rows} <= FORMATS
    assert {table for rule in rows for table in rule.get("conversions", {}).values()} <= set(conversions())


def test_customs_receives_the_duty_exemption_and_attached_documents_others_do_not(mixed: Document) -> None:
    documents = [{"code": "A", "number": "310000126000123000"}]
    document = CargoDeclaration.model_validate({**mixed, "duty_exemption": "101", "documents": documents})
    dumped = document.model_dump(mode="json", exclude_none=True)
    customs = derive(CARGO, "customs", dumped)
    assert (customs["duty_exemption"], customs["documents"]) == ("101", documents)
    for agency in ("inspection_quarantine", "commerce", "maritime", "border_control", "treasury"):
        view = derive(CARGO, agency, dumped)
        assert not {"duty_exemption", "documents"} & view.keys(), agency
