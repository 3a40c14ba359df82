import csv
import io
from importlib.resources import files

import pytest

from singlewindow.catalogue.code_lists import CodeEntry, CodeList, CodeLists, code_lists

ALL_LISTS = {
    "vessel_movement",
    "dangerous_goods_class",
    "packing_group",
    "country",
    "currency",
    "unit",
    "package_type",
    "transport_mode",
    "incoterm",
    "trade_mode",
    "regulatory_condition",
    "duty_exemption",
    "locode",
    "hs",
}


@pytest.fixture(scope="module")
def lists() -> CodeLists:
    return code_lists()


def test_loads_once_per_process() -> None:
    assert code_lists() is code_lists()


def test_every_list_is_present_with_version_and_source(lists: CodeLists) -> None:
    assert set(lists.names()) == ALL_LISTS
    for name in ALL_LISTS:
        code_list = lists.get(name)
        assert isinstance(code_list, CodeList)
        assert code_list.name == name
        assert code_list.version
        assert code_list.source
        assert len(code_list) > 0


def test_unknown_list_raises_key_error_naming_it(lists: CodeLists) -> None:
    with pytest.raises(KeyError, match=r"no code list named 'ports'.*country"):
        lists.get("ports")


def test_countries_have_english_and_chinese_names(lists: CodeLists) -> None:
    countries = lists.get("country")
    assert countries.get("CN") == CodeEntry("CN", "China", "中国")
    assert "US" in countries
    assert "DE" in countries
    assert "XX" not in countries
    assert "cn" not in countries
    assert countries.version == "ISO 3166-1 (pycountry 26.2.16)"
    assert len(countries) == 249


def test_membership_of_non_strings_is_false(lists: CodeLists) -> None:
    countries = lists.get("country")
    assert None not in countries
    assert ["CN"] not in countries


def test_iteration_yields_every_entry_once(lists: CodeLists) -> None:
    currencies = lists.get("currency")
    codes = [entry.code for entry in currencies]
    assert len(codes) == len(set(codes)) == len(currencies)


def test_currencies_are_active_iso_4217_codes(lists: CodeLists) -> None:
    currencies = lists.get("currency")
    assert "CNY" in currencies
    assert "USD" in currencies
    assert "EUR" in currencies
    assert "XXY" not in currencies
    assert "DEM" not in currencies, "the Deutsche Mark was withdrawn in 2002"
    cny = currencies.get("CNY")
    assert cny is not None
    assert cny.name_zh == "人民币元"


def test_units_keep_current_rec_20_codes_only(lists: CodeLists) -> None:
    units = lists.get("unit")
    kilogram = units.get("KGM")
    assert kilogram is not None
    assert kilogram.name_en == "kilogram"
    assert "C62" in units
    assert "MTQ" in units
    assert "ARE" not in units, "deprecated (D) in Rec 20"
    assert "5I" not in units, "deleted (X) in Rec 20"


def test_package_types_are_trimmed_and_exclude_deleted_codes(lists: CodeLists) -> None:
    packages = lists.get("package_type")
    assert packages.get("CT") == CodeEntry("CT", "Carton")
    assert "OD" in packages, "changed (¦) entries stay current"
    assert "SX" not in packages, "deleted (X) in Rec 21"


def test_transport_modes_follow_rec_19(lists: CodeLists) -> None:
    modes = lists.get("transport_mode")
    assert [entry.code for entry in modes] == [str(digit) for digit in range(10)]
    assert modes.get("1") == CodeEntry("1", "Maritime transport", "水路运输")
    assert modes.get("4") == CodeEntry("4", "Air transport", "航空运输")


def test_incoterms_are_the_eleven_2020_rules(lists: CodeLists) -> None:
    rules = {entry.code for entry in lists.get("incoterm")}
    expected = {"EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR"}
    assert rules == expected | {"CIF"}
    assert "DAT" not in rules, "DAT was replaced by DPU in 2020"


def test_trade_modes_and_regulatory_conditions(lists: CodeLists) -> None:
    general_trade = lists.get("trade_mode").get("0110")
    assert general_trade == CodeEntry("0110", "General trade", "一般贸易")
    assert "9610" in lists.get("trade_mode")
    conditions = lists.get("regulatory_condition")
    assert len(conditions) == 32
    assert conditions.get("A") == CodeEntry(
        "A", "Entry inspection and quarantine (formerly inbound goods clearance)", "入境检验检疫"
    )
    assert conditions.get("E") == CodeEntry("E", "Endangered species export permit", "濒危物种允许出口证明书")
    assert conditions.get("F") == CodeEntry("F", "Endangered species import permit", "濒危物种允许进口证明书")
    assert {"b", "B"} <= {entry.code for entry in conditions}
    assert "5" not in conditions


def test_duty_exemption_natures_are_the_published_table(lists: CodeLists) -> None:
    natures = lists.get("duty_exemption")
    assert len(natures) == 30
    assert "征免性质" in natures.version
    names = {entry.code: entry.name_zh for entry in natures}
    assert [names[c] for c in ("101", "299", "301", "789")] == [
        "一般征税",
        "其他法定",
        "特定区域",
        "鼓励项目",
    ]
    assert "102" not in natures


def test_hs_conditions_are_the_union_over_prefixes(lists: CodeLists) -> None:
    assert {"A", "7"} <= lists.hs_conditions("0201")
    assert lists.hs_conditions("02013000") == frozenset({"A", "B", "7"})
    assert lists.hs_conditions("290321") == frozenset({"1", "4"})
    assert lists.hs_conditions("010121") == frozenset({"A", "B"})


def test_demo_goods_carry_no_conditions(lists: CodeLists) -> None:
    assert lists.hs_conditions("847130") == frozenset()
    assert lists.hs_conditions("6109100011") == frozenset()
    assert lists.hs_conditions("") == frozenset()


def test_hs_condition_file_uses_known_hs_codes_and_conditions(lists: CodeLists) -> None:
    data = files("singlewindow.catalogue") / "data" / "hs-regulatory-conditions.csv"
    rows = list(csv.DictReader(io.StringIO(data.read_text(encoding="utf-8"))))
    assert 30 <= len(rows) <= 50
    known = {entry.code for entry in lists.get("regulatory_condition")}
    for row in rows:
        assert row["hs_prefix"] in lists.get("hs"), row
        assert row["conditions"], row
        assert set(row["conditions"]) <= known, row


@pytest.mark.parametrize("code", ["010121", "01012100", "0101210090", "847130"])
def test_hs_subheadings_with_national_digits(lists: CodeLists, code: str) -> None:
    assert lists.is_hs_subheading(code)


@pytest.mark.parametrize(
    "code",
    ["999998", "0101", "01012", "0101210", "010121000", "01012a", "０１０１２１", ""],
)
def test_not_hs_subheadings(lists: CodeLists, code: str) -> None:
    assert not lists.is_hs_subheading(code)


def test_hs_keeps_chapters_headings_and_subheadings(lists: CodeLists) -> None:
    hs = lists.get("hs")
    lengths = [len(entry.code) for entry in hs]
    assert (lengths.count(2), lengths.count(4), lengths.count(6)) == (97, 1229, 5613)
    chapter = hs.get("01")
    assert chapter is not None
    assert chapter.name_en == "Animals; live"
    assert "TOTAL" not in hs
    assert hs.version == "HS2022"


def test_locodes_are_five_character_codes_with_names(lists: CodeLists) -> None:
    locodes = lists.get("locode")
    assert 115_000 < len(locodes) < 117_000
    hamburg = locodes.get("DEHAM")
    assert hamburg == CodeEntry("DEHAM", "Hamburg")
    los_angeles = locodes.get("USLAX")
    assert los_angeles is not None
    assert los_angeles.name_en == "Los Angeles"
    assert "XXXXX" not in locodes
    assert locodes.get("XXXXX") is None
    assert all(len(entry.code) == 5 for entry in locodes)


def test_shanghai_locodes(lists: CodeLists) -> None:
    """In this UN/LOCODE edition CNSHA is the Hongqiao airport and CNSGH the city port."""
    locodes = lists.get("locode")
    hongqiao = locodes.get("CNSHA")
    assert hongqiao is not None
    assert hongqiao.name_en.startswith("Shanghai")
    assert locodes.get("CNSGH") == CodeEntry("CNSGH", "Shanghai")
    assert lists.locode_function("CNSHA") == "---4----"
    assert lists.locode_function("CNSGH") == "12345---"
    assert lists.locode_function("XXXXX") is None


def test_locodes_drop_deleted_and_keep_first_of_duplicates(lists: CodeLists) -> None:
    locodes = lists.get("locode")
    assert "CNXNT" not in locodes, "marked X (use CNXNN) in the source"
    assert "DEBR2" not in locodes, "marked lowercase x (use DEBNY) in the source"
    assert locodes.get("BEBRU") == CodeEntry("BEBRU", "Brussel (Bruxelles)")


def test_search_on_locode_names(lists: CodeLists) -> None:
    found = [entry.code for entry in lists.get("locode").search("shang")]
    assert "CNSHA" in found
    assert "CNSGH" in found
    by_code = [entry.code for entry in lists.get("locode").search("cnsh", limit=5)]
    assert by_code[0] == "CNSHA"
    assert len(by_code) == 5
    assert all(code.startswith("CNSH") for code in by_code)


def test_search_puts_code_prefix_matches_first(lists: CodeLists) -> None:
    found = lists.get("country").search("de")
    assert found[0].code == "DE"
    assert "BD" in [entry.code for entry in found], "Bangladesh contains 'de'"


def test_search_on_chinese_names(lists: CodeLists) -> None:
    assert [entry.code for entry in lists.get("country").search("德国")] == ["DE"]
    found = [entry.code for entry in lists.get("country").search("中国")]
    assert found[0] == "CN"
    assert "TW" in found
    assert lists.get("trade_mode").search("一般")[0].code == "0110"


def test_search_limits_and_ignores_blank_text(lists: CodeLists) -> None:
    hs = lists.get("hs")
    assert len(hs.search("live", limit=3)) == 3
    assert hs.search("   ") == []
    assert hs.search("HORSES")[0].code == "0101"
    assert hs.search("no such goods anywhere") == []
