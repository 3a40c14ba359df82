"""Balance arithmetic: exact integer units, and no sequence of operations ever overdraws a line."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from singlewindow.licences.balance import QUANTITY_PLACES, VALUE_PLACES, Balance, from_units, to_units

MAX_UNITS = 10**18


def amounts(places: int, digits: int) -> st.SearchStrategy[Decimal]:
    top = Decimal(10) ** (digits - places) - Decimal(1).scaleb(-places)
    return st.decimals(min_value=0, max_value=top, places=places, allow_nan=False, allow_infinity=False)


@given(amounts(QUANTITY_PLACES, 18))
def test_a_catalogue_quantity_round_trips_exactly_and_fits_64_bits(amount: Decimal) -> None:
    units = to_units(amount, QUANTITY_PLACES)
    assert from_units(units, QUANTITY_PLACES) == amount
    assert 0 <= units < MAX_UNITS < 2**63


@given(amounts(VALUE_PLACES, 16))
def test_a_catalogue_value_round_trips_to_the_fen(amount: Decimal) -> None:
    assert from_units(to_units(amount, VALUE_PLACES), VALUE_PLACES) == amount


@pytest.mark.parametrize("amount", [Decimal("0.00001"), Decimal("-1"), Decimal("1.23456")])
def test_what_a_column_cannot_hold_exactly_is_refused(amount: Decimal) -> None:
    with pytest.raises(ValueError, match="decimal places"):
        to_units(amount, QUANTITY_PLACES)


def test_trailing_zeros_beyond_the_places_are_not_precision() -> None:
    assert to_units(Decimal("24000.000000"), QUANTITY_PLACES) == 240_000_000


Operation = tuple[str, int]
operations = st.lists(
    st.tuples(st.sampled_from(["reserve", "write_off", "release"]), st.integers(0, 2_000)), max_size=40
)


@given(st.integers(0, 5_000), operations)
def test_no_sequence_of_operations_overdraws_or_goes_negative(allowed: int, steps: list[Operation]) -> None:
    balance = Balance(allowed)
    for name, amount in steps:
        before = balance
        try:
            balance = getattr(balance, name)(amount)
        except ValueError:
            assert balance == before
            if name == "reserve":
                assert before.available < amount
            continue
        assert balance.used + balance.reserved <= balance.allowed
        assert min(balance.used, balance.reserved, balance.available) >= 0
        assert balance.used >= before.used


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
def test_reserve_then_release_restores_and_reserve_then_write_off_uses(allowed: int, used: int, amount: int) -> None:
    balance = Balance(allowed + used, used)
    if not balance.can_reserve(amount):
        assert balance.available < amount
        return
    reserved = balance.reserve(amount)
    assert reserved.available == balance.available - amount
    assert reserved.release(amount) == balance
    written = reserved.write_off(amount)
    assert (written.used, written.reserved, written.available) == (used + amount, 0, balance.available - amount)


def test_the_last_unit_can_be_taken_once() -> None:
    balance = Balance(allowed=5, used=4)
    taken = balance.reserve(1)
    assert not taken.can_reserve(1)
    assert taken.write_off(1).exhausted
