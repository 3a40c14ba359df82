"""Assessment arithmetic: valuation by delivery term, ad valorem, specific and compound duty,
consumption tax on the composite price, VAT, conversion, and preferential rates with proof."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from singlewindow.payments.assessment import (
    Charge,
    ExchangeRate,
    Goods,
    Item,
    ItemAssessment,
    assess,
    consumption_tax_of,
    duty_of,
)
from singlewindow.payments.errors import CannotAssess, NoExchangeRate, NotInTariff
from singlewindow.payments.money import fen
from singlewindow.payments.tariff import Rate, parse, shipped
from singlewindow.payments.valuation import includes
from singlewindow.payments.valuation import shipped as shipped_rules

RULES = shipped_rules()
EUR = {"EUR": ExchangeRate("EUR", Decimal("7.8123"), "2025-01", "2024-12-18")}
USD = {"USD": ExchangeRate("USD", Decimal("7.1884"), "2025-01", "2024-12-18")}
TEST_TARIFF = parse(
    {
        "edition": "test",
        "agreements": {"RCEP": {"name_en": "RCEP", "name_zh": "区域全面经济伙伴关系协定", "members": ["JP", "AU"]}},
        "lines": {
            "2203": {
                "name_zh": "啤酒",
                "name_en": "Beer (specific rate, invented for the test)",
                "mfn": {"specific": "0.5", "per": "LTR"},
                "consumption_tax": {"specific": "0.25", "per": "LTR"},
                "vat": "13",
            },
            "852589": {
                "name_zh": "摄像机",
                "name_en": "Cameras (compound rate, invented for the test)",
                "mfn": {"ad_valorem": "3", "specific": "4374", "per": "C62"},
                "vat": "13",
            },
            "330300": {
                "name_zh": "香水",
                "name_en": "Perfume (rates invented for the test)",
                "mfn": {"ad_valorem": "3"},
                "provisional": {"ad_valorem": "2"},
                "conventional": {"RCEP": {"ad_valorem": "1.5"}},
                "consumption_tax": {"ad_valorem": "15"},
                "vat": "13",
            },
        },
    }
)


def item(hs: str = "847130", value: str = "1000.00", **changes: object) -> Item:
    fields: dict[str, object] = {
        "seq": 1,
        "hs_code": hs,
        "description": "goods",
        "quantity": Decimal("10"),
        "unit": "C62",
        "net_weight_kg": Decimal("20"),
        "value": Decimal(value),
        "origin": "DE",
    }
    fields.update(changes)
    return Item(**fields)  # type: ignore[arg-type]


def goods(*items: Item, incoterm: str = "CIF", currency: str = "EUR", **changes: object) -> Goods:
    return Goods("REF", currency, incoterm, "1", list(items), **changes)  # type: ignore[arg-type]


def test_cif_is_converted_once_and_taxed() -> None:
    result, _ = assess(goods(item("610910", "9000.00")), shipped(), RULES, EUR)
    (shirts,) = result.items
    assert shirts.customs_value == fen(Decimal("9000.00") * Decimal("7.8123")) == Decimal("70310.70")
    assert shirts.duty == Decimal("4218.64")  # 70310.70 × 6% = 4218.642
    assert shirts.vat == fen((Decimal("70310.70") + Decimal("4218.64")) * Decimal("0.13"))
    assert result.total == shirts.duty + shirts.vat


def test_fob_adds_standard_freight_and_the_three_per_mille_insurance() -> None:
    result, notes = assess(goods(item(value="1000.00"), incoterm="FOB", currency="CNY"), shipped(), RULES, {})
    (laptop,) = result.items
    freight = Decimal("50.00")  # 5% by sea, the illustrative standard
    insurance = fen((Decimal("1000.00") + freight) * Decimal("0.003"))
    assert laptop.customs_value == Decimal("1000.00") + freight + insurance == Decimal("1053.15")
    assert {n.code for n in notes} == {"freight_standard", "insurance_standard"}


def test_cfr_adds_only_insurance_on_the_price_that_holds_freight() -> None:
    result, _ = assess(goods(item(value="2000.00"), incoterm="CFR", currency="CNY"), shipped(), RULES, {})
    assert result.items[0].customs_value == Decimal("2006.00")


def test_declared_freight_in_another_currency_is_shared_by_value() -> None:
    declared = goods(
        item(value="3000.00"),
        item(value="1000.00", seq=2),
        incoterm="FOB",
        freight=Charge(Decimal("100.00"), "USD"),
        insurance=Charge(Decimal("10.00"), "EUR"),
    )
    result, notes = assess(declared, shipped(), RULES, EUR | USD)
    freight = fen(Decimal("100.00") * Decimal("7.1884"))
    shares = [line.amount for i in result.items for line in i.lines if line.code == "freight_share"]
    assert sum(shares) == freight
    assert shares[0] == fen(freight * 3 / 4)
    assert {n.code for n in notes} >= {"freight_declared", "insurance_declared"}


def test_specific_duty_and_specific_consumption_tax_are_per_litre() -> None:
    beer = item("22030000", "500.00", quantity=Decimal("1000"), unit="LTR")
    result, _ = assess(goods(beer, currency="CNY"), TEST_TARIFF, RULES, {})
    (line,) = result.items
    assert line.duty == Decimal("500.00")
    assert line.consumption_tax == Decimal("250.00")
    assert line.vat == fen((Decimal("500.00") + Decimal("500.00") + Decimal("250.00")) * Decimal("0.13"))


def test_a_specific_rate_per_kilogram_takes_the_net_weight() -> None:
    rate = Rate(specific=Decimal("1.3"), per="KGM")
    assert duty_of(Decimal("100"), Decimal("20"), rate)[0] == Decimal("26.00")


def test_compound_duty_adds_both_parts_and_rounds_once() -> None:
    cameras = item("85258900", "100000.00", quantity=Decimal("3"))
    result, _ = assess(goods(cameras, currency="CNY"), TEST_TARIFF, RULES, {})
    assert result.items[0].duty == Decimal("3000.00") + 3 * Decimal("4374")


def test_consumption_tax_on_the_composite_price() -> None:
    """(value + duty) / (1 − 15%) × 15%, the method of the Consumption Tax Regulations."""
    amount, formula = consumption_tax_of(Decimal("1000.00"), Decimal("20.00"), None, Rate(ad_valorem=Decimal("15")))
    assert amount == fen(Decimal("1020.00") / Decimal("0.85") * Decimal("0.15")) == Decimal("180.00")
    assert "/ (1 − 15%)" in formula


def test_the_car_pays_duty_consumption_tax_and_vat() -> None:
    car = item("87032342", "200000.00", quantity=Decimal("1"))
    result, _ = assess(goods(car, currency="CNY"), shipped(), RULES, {})
    (line,) = result.items
    assert line.duty == Decimal("30000.00")
    assert line.consumption_tax == fen(Decimal("230000.00") / Decimal("0.95") * Decimal("0.05")) == Decimal("12105.26")
    assert line.vat == fen((Decimal("230000.00") + line.consumption_tax) * Decimal("0.13"))


def test_provisional_rate_replaces_mfn_and_the_conventional_rate_needs_proof() -> None:
    perfume = item("33030000", "1000.00", origin="JP")
    without, _ = assess(goods(perfume, currency="CNY"), TEST_TARIFF, RULES, {})
    assert (without.items[0].duty_rate.column, without.items[0].duty) == ("provisional", Decimal("20.00"))
    proven, _ = assess(goods(perfume, currency="CNY"), TEST_TARIFF, RULES, {}, {(1, "RCEP"): "RCEP-JP-0001"})
    assert proven.items[0].duty_rate.agreement == "RCEP"
    assert proven.items[0].duty == Decimal("15.00")


def test_a_proof_for_a_country_outside_the_agreement_changes_nothing() -> None:
    perfume = item("33030000", "1000.00", origin="DE")
    result, _ = assess(goods(perfume, currency="CNY"), TEST_TARIFF, RULES, {}, {(1, "RCEP"): "RCEP-X"})
    assert result.items[0].duty_rate.column == "provisional"


def test_zero_value_goods_owe_nothing() -> None:
    result, _ = assess(goods(item("610910", "0.00")), shipped(), RULES, EUR)
    assert result.total == Decimal("0.00")


def test_unknown_codes_currencies_and_units_are_refused() -> None:
    with pytest.raises(NotInTariff):
        assess(goods(item("999999")), shipped(), RULES, EUR)
    with pytest.raises(NoExchangeRate):
        assess(goods(item(), currency="CHF"), shipped(), RULES, EUR)
    with pytest.raises(CannotAssess):
        assess(goods(item("22030000", unit="C62"), currency="CNY"), TEST_TARIFF, RULES, {})


values = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999999999999.99"), places=2, allow_nan=False)
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1000"), places=4, allow_nan=False)
incoterms = st.sampled_from(["EXW", "FOB", "FCA", "CFR", "CPT", "CIF", "CIP", "DAP", "DDP"])


@given(st.lists(values, min_size=1, max_size=8), rates, incoterms)
def test_every_figure_is_in_fen_and_the_total_is_the_sum_of_the_lines(
    item_values: list[Decimal], rate: Decimal, incoterm: str
) -> None:
    items = [item("610910", str(v), seq=n + 1) for n, v in enumerate(item_values)]
    table = {"EUR": ExchangeRate("EUR", rate, "2025-01", "2024-12-18")}
    result, _ = assess(goods(*items, incoterm=incoterm), shipped(), RULES, table)
    for line in result.items:
        for figure in (line.customs_value, line.duty, line.consumption_tax, line.vat):
            assert figure.as_tuple().exponent == -2
            assert figure >= 0
        assert line.customs_value >= fen(Decimal(item_values[line.seq - 1]) * rate)
        assert line.duty == fen(line.customs_value * Decimal("0.06"))
    assert result.total == sum((i.duty + i.consumption_tax + i.vat for i in result.items), Decimal(0))


@given(
    values,
    st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=3),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("99.9"), places=1),
)
def test_compound_duty_and_consumption_tax_are_monotonic_in_the_value(
    value: Decimal, specific: Decimal, ct: Decimal
) -> None:
    duty_rate = Rate(ad_valorem=Decimal("5"), specific=specific, per="C62")
    higher = value + Decimal("0.01")
    low, _ = duty_of(value, Decimal("2"), duty_rate)
    high, _ = duty_of(higher, Decimal("2"), duty_rate)
    assert low <= high
    tax_rate = Rate(ad_valorem=ct)
    assert consumption_tax_of(value, low, None, tax_rate)[0] <= consumption_tax_of(higher, high, None, tax_rate)[0]


ALL_INCOTERMS = st.sampled_from(["EXW", "FCA", "FAS", "FOB", "CFR", "CPT", "CIF", "CIP", "DAP", "DPU", "DDP"])
percentages = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=4, allow_nan=False)
charges = st.one_of(
    st.none(),
    st.builds(
        Charge,
        amount=st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999999.99"), places=2, allow_nan=False),
        currency=st.sampled_from(["CNY", "EUR", "USD"]),
    ),
    st.builds(Charge, rate_percent=percentages),
)


def _share(line: ItemAssessment, code: str) -> Decimal:
    return next(x.amount for x in line.lines if x.code == code)


@given(st.lists(values, min_size=1, max_size=6), rates, ALL_INCOTERMS, charges, charges)
def test_fob_and_cfr_prices_reach_cif_to_the_fen_with_nothing_gained_or_lost(
    item_values: list[Decimal], rate: Decimal, incoterm: str, freight: Charge | None, insurance: Charge | None
) -> None:
    items = [item("610910", str(v), seq=n + 1) for n, v in enumerate(item_values)]
    table = {"EUR": ExchangeRate("EUR", rate, "2025-01", "2024-12-18"), **USD}
    result, notes = assess(
        goods(*items, incoterm=incoterm, freight=freight, insurance=insurance), shipped(), RULES, table
    )
    has_freight, has_insurance = includes(incoterm)
    freights, insurances = [], []
    for line, declared in zip(result.items, item_values, strict=True):
        value, freight_share, insurance_share = (_share(line, c) for c in ("value", "freight_share", "insurance_share"))
        for figure in (value, freight_share, insurance_share, line.customs_value):
            assert figure.as_tuple().exponent == -2
            assert figure >= 0
        assert value == fen(declared * rate)
        assert line.customs_value == value + freight_share + insurance_share
        assert [x.code for x in line.lines[:4]] == ["value", "freight_share", "insurance_share", "customs_value"]
        assert line.lines[3].formula.endswith(f"= {line.customs_value}")
        if freight is not None and freight.rate_percent is not None and not has_freight:
            assert freight_share == fen(value * freight.rate_percent / 100)
        if not has_insurance and insurance is None:
            assert insurance_share == fen((value + freight_share) * Decimal("0.3") / 100)
        if not has_insurance and insurance is not None and insurance.rate_percent is not None:
            assert insurance_share == fen((value + freight_share) * insurance.rate_percent / 100)
        freights.append(freight_share)
        insurances.append(insurance_share)
    if has_freight:
        assert set(freights) == {Decimal("0.00")}
    elif freight is not None and freight.amount is not None and freight.currency is not None:
        expected = freight.amount if freight.currency == "CNY" else fen(freight.amount * table[freight.currency].rate)
        assert sum(freights) == fen(expected)
    if has_insurance:
        assert set(insurances) == {Decimal("0.00")}
    elif insurance is not None and insurance.amount is not None and insurance.currency is not None:
        expected = (
            insurance.amount if insurance.currency == "CNY" else fen(insurance.amount * table[insurance.currency].rate)
        )
        assert sum(insurances) == fen(expected)
    assert {n.code for n in notes} & {"freight_included", "freight_declared", "freight_rate", "freight_standard"}


@given(st.lists(values, min_size=1, max_size=4), rates, percentages, percentages)
def test_the_fewer_costs_a_price_includes_the_higher_its_customs_value(
    item_values: list[Decimal], rate: Decimal, freight_rate: Decimal, insurance_rate: Decimal
) -> None:
    items = [item("610910", str(v), seq=n + 1) for n, v in enumerate(item_values)]
    table = {"EUR": ExchangeRate("EUR", rate, "2025-01", "2024-12-18")}
    freight, insurance = Charge(rate_percent=freight_rate), Charge(rate_percent=insurance_rate)
    value = {
        term: assess(goods(*items, incoterm=term, freight=freight, insurance=insurance), shipped(), RULES, table)[
            0
        ].sum("customs_value")
        for term in ("FOB", "CFR", "CIF")
    }
    assert value["FOB"] >= value["CFR"] >= value["CIF"]


def test_a_declared_rate_is_explained_on_each_item() -> None:
    declared = goods(
        item(value="3000.00"),
        item(value="1000.00", seq=2),
        incoterm="FOB",
        currency="CNY",
        freight=Charge(rate_percent=Decimal("2.5")),
        insurance=Charge(rate_percent=Decimal("0.3")),
    )
    result, notes = assess(declared, shipped(), RULES, {})
    first = {x.code: x for x in result.items[0].lines}
    assert first["freight_share"].formula == "3000.00 × 2.5% = 75.00 (declared freight rate)"
    assert first["insurance_share"].formula == "(3000.00 + 75.00) × 0.3% = 9.23 (declared insurance rate)"
    assert first["customs_value"].formula == "3000.00 + 75.00 + 9.23 = 3084.23"
    assert {n.code for n in notes} == {"freight_rate", "insurance_rate"}


def test_a_declared_total_is_shared_by_value_and_the_last_item_takes_the_remainder() -> None:
    thirds = [item(value="1.00", seq=n) for n in (1, 2, 3)]
    nothing = Charge(Decimal("0.00"), "CNY")
    declared = goods(*thirds, incoterm="FOB", currency="CNY", freight=Charge(Decimal("1.00"), "CNY"), insurance=nothing)
    result, _ = assess(declared, shipped(), RULES, {})
    shares = [next(x for x in i.lines if x.code == "freight_share") for i in result.items]
    assert [s.amount for s in shares] == [Decimal("0.33"), Decimal("0.33"), Decimal("0.34")]
    assert shares[0].formula == "1.00 × 1.00 / 3.00 = 0.33 (declared freight, by value)"
    assert shares[2].formula == "1.00 − the other items' shares = 0.34 (declared freight, the remainder)"
