"""Refund arithmetic to the fen: taxable amount × refund rate, rounded half up, never above the VAT paid."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from singlewindow.refunds.arithmetic import FEN, Line, refundable, total

money = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
rates = st.sampled_from([Decimal(r) for r in ("0", "5", "6", "9", "10", "13")])


def vat_at(taxable: Decimal, levy: Decimal) -> Decimal:
    return (taxable * levy / 100).quantize(FEN, rounding=ROUND_HALF_UP)


def test_the_worked_examples() -> None:
    assert refundable(Decimal("10000.00"), Decimal("1300.00"), Decimal(13)) == Decimal("1300.00")
    assert refundable(Decimal("10000.00"), Decimal("1300.00"), Decimal(9)) == Decimal("900.00")
    assert refundable(Decimal("123.45"), Decimal("16.05"), Decimal(9)) == Decimal("11.11")  # 11.1105 rounds down
    assert refundable(Decimal("123.50"), Decimal("16.06"), Decimal(9)) == Decimal("11.12")  # 11.115 rounds half up
    assert refundable(Decimal("5000.00"), Decimal("650.00"), Decimal(0)) == Decimal("0.00")


def test_a_refund_never_exceeds_the_vat_paid() -> None:
    assert refundable(Decimal("1000.00"), Decimal("60.00"), Decimal(13)) == Decimal("60.00")


@given(money, money, rates)
def test_a_refund_is_whole_fen_between_zero_and_the_vat_paid(taxable: Decimal, vat: Decimal, rate: Decimal) -> None:
    refund = refundable(taxable, vat, rate)
    assert refund == refund.quantize(FEN)
    assert Decimal(0) <= refund <= vat


@given(money, rates)
def test_at_the_levy_rate_the_refund_is_the_vat_on_the_invoice(taxable: Decimal, levy: Decimal) -> None:
    assert refundable(taxable, vat_at(taxable, levy), levy) == vat_at(taxable, levy)


@given(money, rates, rates)
def test_a_higher_rate_never_refunds_less(taxable: Decimal, a: Decimal, b: Decimal) -> None:
    vat = vat_at(taxable, Decimal(13))
    low, high = sorted((a, b))
    assert refundable(taxable, vat, low) <= refundable(taxable, vat, high)


@given(st.lists(st.tuples(money, rates), min_size=1, max_size=50))
def test_the_total_is_the_exact_sum_of_the_lines(rows: list[tuple[Decimal, Decimal]]) -> None:
    lines = [
        Line(i, "847130", "goods", f"INV{i:05d}", taxable, vat_at(taxable, Decimal(13)), rate, "test")
        for i, (taxable, rate) in enumerate(rows, start=1)
    ]
    assert total(lines) == sum((line.refund for line in lines), Decimal(0))
    assert total(lines) == total(lines).quantize(FEN)


def test_each_line_explains_its_figures() -> None:
    line = Line(2, "850760", "Li-ion batteries", "04412345", Decimal("200000.00"), Decimal("26000.00"), Decimal(9), "s")
    assert line.refund == Decimal("18000.00")
    assert line.explanation == (
        "item 2 HS 850760: invoice 04412345 taxable CNY 200000.00 × refund rate 9% = CNY 18000.00;"
        " VAT paid CNY 26000.00"
    )
