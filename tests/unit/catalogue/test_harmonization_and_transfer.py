"""The harmonization report follows the data; the catalogue goes out and back in intact."""

import copy
import csv
import json
from pathlib import Path

import pytest

from singlewindow.catalogue import transfer
from singlewindow.catalogue.agency_requirements import ConversionMissing, derive, requirements
from singlewindow.catalogue.harmonization import harmonization


def test_one_more_field_for_one_agency_raises_the_sum_of_separate_forms_by_one() -> None:
    before = {r.document_type: r for r in harmonization()}["vessel_declaration"]
    table = copy.deepcopy(requirements())
    table["vessel_declaration"]["customs"]["header"].append("gross_tonnage")
    after = {r.document_type: r for r in harmonization(table)}["vessel_declaration"]
    assert after.separate_forms == before.separate_forms + 1
    assert after.entered_once == before.entered_once
    assert after.reduction_percent > before.reduction_percent


def test_both_sides_count_distinct_data_elements_not_fields() -> None:
    table = copy.deepcopy(requirements())
    rule = table["cargo_declaration"]["maritime"]
    rule["header"] = [f for f in rule["header"] if f not in {"consignor", "consignee"}]
    without = {r.document_type: r for r in harmonization(table)}["cargo_declaration"]
    rule["header"].append("consignor")
    one_party = {r.document_type: r for r in harmonization(table)}["cargo_declaration"]
    rule["header"].append("consignee")
    both = {r.document_type: r for r in harmonization(table)}["cargo_declaration"]
    party_elements = 4  # SW0003-SW0006: name, country, address, USCC
    assert one_party.per_agency["maritime"] - without.per_agency["maritime"] <= party_elements
    assert both.per_agency["maritime"] == one_party.per_agency["maritime"]
    assert both.entered_once < both.fields


def test_a_code_without_a_conversion_is_refused_by_name() -> None:
    table = {"licence_application": requirements()["licence_application"]}
    document = {"country": "ZW", "goods": []}
    with pytest.raises(ConversionMissing, match="'ZW'"):
        derive("licence_application", "customs", document, table)
    assert derive("licence_application", "customs", {"country": "AU", "goods": []}, table)["country"] == "601"


def test_json_export_imports_into_the_same_package_layout(tmp_path: Path) -> None:
    exported = tmp_path / "catalogue.json"
    exported.write_text(json.dumps(transfer.export_json(), ensure_ascii=False), encoding="utf-8")
    counts = transfer.import_catalogue(exported, tmp_path / "out")
    assert counts["document_types"] == 6
    written = (tmp_path / "out" / "elements.csv").read_text(encoding="utf-8")
    shipped = Path(transfer.__file__).parent.joinpath("data", "elements.csv").read_text(encoding="utf-8")
    assert list(csv.reader(written.splitlines())) == list(csv.reader(shipped.splitlines()))


def test_csv_export_has_one_row_per_field(tmp_path: Path) -> None:
    paths = {p.name: p for p in transfer.export_csv(tmp_path)}
    rows = list(csv.DictReader(paths["document_type_fields.csv"].read_text(encoding="utf-8").splitlines()))
    assert {
        "document_type": "cargo_declaration",
        "path": "goods[].hs_code",
        "element": "SW0018",
        "required": "true",
    } in rows


def test_an_import_that_does_not_hang_together_is_refused(tmp_path: Path) -> None:
    elements = tmp_path / "elements.csv"
    rows = [transfer.ELEMENT_COLUMNS, ["SW0001", "x", "x", "an..9", "no_such_list", "", "", "x"]]
    elements.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(transfer.CatalogueRejected, match="no_such_list"):
        transfer.import_catalogue(elements, tmp_path / "out")
    assert not (tmp_path / "out").exists()
