"""Container numbers as people type them: spaces and lower case are forgiven, a wrong check digit is not."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from singlewindow.catalogue.check_digits import iso6346_problem
from singlewindow.logistics.schemas import PortEvent, SubscriptionCreate, container_number

owners = st.text(string.ascii_uppercase, min_size=3, max_size=3)
serials = st.text(string.digits, min_size=6, max_size=6)


def with_check_digit(owner: str, category: str, serial: str) -> str:
    base = f"{owner}{category}{serial}"
    return next(base + d for d in string.digits if iso6346_problem(base + d) is None)


@given(owners, st.sampled_from("UJZ"), serials)
def test_every_well_formed_number_is_accepted_however_it_is_typed(owner: str, category: str, serial: str) -> None:
    number = with_check_digit(owner, category, serial)
    typed = f"{number[:4].lower()} {number[4:10]} {number[10]}"
    assert container_number(typed) == number


@given(owners, st.sampled_from("UJZ"), serials, st.integers(1, 9))
def test_a_changed_check_digit_is_refused(owner: str, category: str, serial: str, shift: int) -> None:
    number = with_check_digit(owner, category, serial)
    wrong = number[:10] + str((int(number[10]) + shift) % 10)
    with pytest.raises(ValueError, match="check digit"):
        container_number(wrong)


def test_a_port_event_names_its_container_or_its_voyage() -> None:
    at = "2026-03-01T06:00:00+08:00"
    assert PortEvent.model_validate({"event": "gate_out", "occurred_at": at, "container": "csqu3054383"}).container == (
        "CSQU3054383"
    )
    berthed = {"event": "vessel_berthed", "occurred_at": at, "imo_number": "9795610", "voyage_number": "043E"}
    assert PortEvent.model_validate(berthed).container is None
    with pytest.raises(ValueError, match="needs the container number"):
        PortEvent.model_validate({"event": "gate_out", "occurred_at": at})
    with pytest.raises(ValueError, match="needs imo_number and voyage_number"):
        PortEvent.model_validate({"event": "departed", "occurred_at": at, "imo_number": "9795610"})
    with pytest.raises(ValueError, match="timezone"):
        PortEvent.model_validate({"event": "gate_in", "occurred_at": "2026-03-01T06:00:00", "container": "CSQU3054383"})


def test_a_subscription_is_to_one_container_or_one_bill() -> None:
    assert SubscriptionCreate(bill_of_lading=" COSU1 ").subject == ("bill_of_lading", "COSU1")
    with pytest.raises(ValueError, match="either"):
        SubscriptionCreate()
