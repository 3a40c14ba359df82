"""Rounding to the fen and splitting a total over items: exact, half up, never losing a fen."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from singlewindow.payments.money import allocate, fen, percent

amounts = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=6, allow_nan=False)
positive = st.decimals(min_value=Decimal("0"), max_value=Decimal("1e14"), places=2, allow_nan=False)


def test_half_up_at_the_fen() -> None:
    assert fen(Decimal("0.005")) == Decimal("0.01")
    assert fen(Decimal("0.0049999")) == Decimal("0.00")
    assert fen(Decimal("-0.005")) == Decimal("-0.01")
    assert fen(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67


@given(amounts)
def test_fen_is_within_half_a_fen_and_idempotent(amount: Decimal) -> None:
    rounded = fen(amount)
    assert abs(rounded - amount) <= Decimal("0.005")
    assert rounded.as_tuple().exponent == -2
    assert fen(rounded) == rounded


@given(positive, st.decimals(min_value=Decimal("0"), max_value=Decimal("1000"), places=4, allow_nan=False))
def test_percent_is_exact(amount: Decimal, rate: Decimal) -> None:
    assert percent(amount, rate) * 100 == amount * rate


@given(positive, st.lists(positive, min_size=1, max_size=50))
def test_allocation_adds_up_exactly(total: Decimal, weights: list[Decimal]) -> None:
    shares = allocate(total, weights)
    assert len(shares) == len(weights)
    assert sum(shares, Decimal(0)) == total
    assert all(s.as_tuple().exponent == -2 for s in shares)


@given(
    positive, st.lists(st.decimals(min_value=Decimal("1"), max_value=Decimal("1e9"), places=2), min_size=2, max_size=20)
)
def test_allocation_is_proportional_to_within_the_remainder(total: Decimal, weights: list[Decimal]) -> None:
    shares = allocate(total, weights)
    whole = sum(weights, Decimal(0))
    for share, weight in zip(shares[:-1], weights[:-1], strict=True):
        assert abs(share - total * weight / whole) <= Decimal("0.005")


def test_allocation_without_weight_puts_everything_on_the_first_item() -> None:
    assert allocate(Decimal("10.00"), [Decimal(0), Decimal(0)]) == [Decimal("10.00"), Decimal("0.00")]
