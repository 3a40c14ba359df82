"""The harmonization report follows the data; the catalogue goes out and back in intact."""

import copy
import csv
import io
import json
from pathlib import Path

import pytest

from singlewindow.catalogue import transfer
from singlewindow.catalogue.agency_requirements import ConversionMissing, derive, requirements
from singlewindow.catalogue.harmonization import harmonization
from singlewindow.declarations.schemas import CargoDeclaration

CANONICAL = CargoDeclaration
"""Importing it registers the cargo declaration's model, which the report and the field table read."""


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


def test_json_export_import_and_export_again_lose_nothing(tmp_path: Path) -> None:
    exported = transfer.export_json()
    source = tmp_path / "catalogue.json"
    source.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    counts = transfer.import_catalogue(source, tmp_path / "out")
    assert counts["document_types"] == 6
    assert counts["code_list_entries"] == sum(len(spec["rows"]) for spec in exported["code_lists"].values())
    assert transfer.read_layout(tmp_path / "out") == exported
    written = (tmp_path / "out" / "elements.csv").read_text(encoding="utf-8")
    shipped = Path(transfer.__file__).parent.joinpath("data", "elements.csv").read_text(encoding="utf-8")
    assert list(csv.reader(written.splitlines())) == list(csv.reader(shipped.splitlines()))


def test_the_export_is_the_whole_catalogue() -> None:
    exported = transfer.export_json()
    assert {"elements", "code_lists", "hs_regulatory_conditions", "groups", "document_types"} < exported.keys()
    assert {"agency_requirements", "conversions"} < exported.keys()
    assert exported["code_lists"]["locode"]["columns"] == ["code", "name", "function"]
    assert ["CNSGH", "Shanghai", "12345---"] in exported["code_lists"]["locode"]["rows"]
    assert exported["document_types"]["vessel_declaration"]["conditions"]
    assert exported["conversions"]["cn_customs_country"]["from_list"] == "country"


def test_csv_export_import_and_export_again_lose_nothing(tmp_path: Path) -> None:
    paths = {p.relative_to(tmp_path).as_posix(): p for p in transfer.export_csv(tmp_path / "csv")}
    rows = list(csv.DictReader(paths["csv/document_type_fields.csv"].read_text(encoding="utf-8").splitlines()))
    assert {
        "document_type": "cargo_declaration",
        "path": "goods[].hs_code",
        "element": "SW0018",
        "required": "true",
    } in rows
    assert "csv/code_lists/currency.csv" in paths
    transfer.import_catalogue(tmp_path / "csv", tmp_path / "out")
    assert transfer.read_layout(tmp_path / "out") == transfer.export_json()


def test_one_edited_csv_row_is_what_the_import_writes(tmp_path: Path) -> None:
    transfer.export_csv(tmp_path / "csv")
    table = tmp_path / "csv" / "agency_requirements.csv"
    rows = list(csv.reader(table.read_text(encoding="utf-8").splitlines()))
    maritime = next(r for r in rows if r[:2] == ["cargo_declaration", "maritime"])
    rule = json.loads(maritime[3])
    maritime[3] = json.dumps({**rule, "format": "edifact"})
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    table.write_text(out.getvalue(), encoding="utf-8")
    transfer.import_catalogue(tmp_path / "csv", tmp_path / "out")
    written = json.loads((tmp_path / "out" / "agency_requirements.json").read_text(encoding="utf-8"))
    assert written["cargo_declaration"]["maritime"]["format"] == "edifact"


def test_edifact_is_refused_for_a_type_with_no_un_edifact_form() -> None:
    catalogue = transfer.export_json()
    catalogue["agency_requirements"]["vessel_declaration"]["maritime"]["format"] = "edifact"
    with pytest.raises(
        transfer.CatalogueRejected, match="vessel_declaration/maritime: a vessel_declaration has no UN/EDIFACT"
    ):
        transfer.check(catalogue)


def test_an_import_that_does_not_hang_together_is_refused(tmp_path: Path) -> None:
    elements = tmp_path / "elements.csv"
    rows = [transfer.ELEMENT_COLUMNS, ["SW0001", "x", "x", "an..9", "no_such_list", "", "", "x"]]
    elements.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(transfer.CatalogueRejected, match="no_such_list"):
        transfer.import_catalogue(elements, tmp_path / "out")
    assert not (tmp_path / "out").exists()
