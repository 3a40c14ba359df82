"""The shipped refund-rate table: the rate in force on the export date, longest prefix first."""

from datetime import date
from decimal import Decimal

from singlewindow.refunds.rates import Rate, rate_for, table


def test_batteries_went_from_13_to_9_percent_on_1_december_2024() -> None:
    before = rate_for("8507600090", date(2024, 11, 30))
    after = rate_for("850760", date(2024, 12, 1))
    assert before is not None
    assert after is not None
    assert (before.refund_rate, after.refund_rate, after.levy_rate) == (Decimal(13), Decimal(9), Decimal(13))
    assert "2024 No. 15" in after.source


def test_aluminium_plates_earn_nothing_since_december_2024_and_unknown_goods_have_no_rate() -> None:
    aluminium = rate_for("760611", date(2026, 1, 5))
    assert aluminium is not None
    assert aluminium.refund_rate == 0
    assert rate_for("760611", date(2024, 1, 5)) is None
    assert rate_for("010121", date(2026, 1, 5)) is None


def test_the_longest_prefix_wins() -> None:
    rates = (
        Rate("8471", date(2019, 4, 1), Decimal(9), Decimal(13), "a"),
        Rate("847130", date(2019, 4, 1), Decimal(13), Decimal(13), "b"),
    )
    found = rate_for("8471300000", date(2025, 1, 1), rates)
    assert found is not None
    assert found.source == "b"
    other = rate_for("847141", date(2025, 1, 1), rates)
    assert other is not None
    assert other.source == "a"


def test_every_row_names_its_source_and_a_rate_no_higher_than_the_levy() -> None:
    for rate in table():
        assert rate.source
        assert Decimal(0) <= rate.refund_rate <= rate.levy_rate
