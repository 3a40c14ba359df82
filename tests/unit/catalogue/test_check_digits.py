"""Identifiers that carry their own check character: ISO 6346 containers and unified social credit codes."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from singlewindow.catalogue.check_digits import (
    USCC_ALPHABET,
    imo_problem,
    iso6346_problem,
    uscc_check_character,
    uscc_problem,
)

PUBLISHED_USCC = {
    "914403001922038216": "Huawei Technologies Co., Ltd.",
    "9144030071526726XG": "Shenzhen Tencent Computer Systems Co., Ltd.",
    "91330100799655058B": "Alibaba (China) Co., Ltd.",
}


@pytest.mark.parametrize("number", ["CSQU3054383", "MSCU1234566", "TGHU0000008"])
def test_valid_container_numbers(number: str) -> None:
    assert iso6346_problem(number) is None


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("CSQU3054384", "check digit is 4, expected 3"),
        ("CSQU3054380", "check digit is 0, expected 3"),
        ("CSQX3054383", "the equipment category (4th letter) must be U, J or Z"),
        ("CSQU305438", "must be 4 capital letters (owner code and category) and 7 digits"),
        ("csqu3054383", "must be 4 capital letters (owner code and category) and 7 digits"),
        ("CSQU30543A3", "must be 4 capital letters (owner code and category) and 7 digits"),
        ("ÄSQU3054383", "must be 4 capital letters (owner code and category) and 7 digits"),
        ("CSQU３054383", "must be 4 capital letters (owner code and category) and 7 digits"),
    ],
)
def test_invalid_container_numbers(number: str, reason: str) -> None:
    assert iso6346_problem(number) == reason


@given(
    st.text(string.ascii_uppercase, min_size=3, max_size=3),
    st.sampled_from("UJZ"),
    st.text(string.digits, min_size=6, max_size=6),
)
def test_exactly_one_check_digit_completes_a_container_number(owner: str, category: str, serial: str) -> None:
    valid = [d for d in string.digits if iso6346_problem(f"{owner}{category}{serial}{d}") is None]
    assert len(valid) == 1


@pytest.mark.parametrize("code", [*PUBLISHED_USCC, "91310000MA1FL8TQ36"])
def test_published_uscc_codes_are_valid(code: str) -> None:
    assert uscc_problem(code) is None
    assert uscc_check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("914403001922038217", "check character is '7', expected '6'"),
        ("9144030071526726XH", "check character is 'H', expected 'G'"),
        ("91330100799655085B", "check character is 'B', expected"),
        ("9133010079965505B", "must be 18 characters"),
        ("91330100799655058BB", "must be 18 characters"),
        ("9144030071526726IG", "contains characters outside GB 32100-2015: I"),
        ("9144030071526726xg", "contains characters outside GB 32100-2015: gx"),
    ],
)
def test_altered_uscc_codes_are_invalid(code: str, reason: str) -> None:
    problem = uscc_problem(code)
    assert problem is not None
    assert problem.startswith(reason)


def test_the_uscc_alphabet_leaves_out_letters_mistaken_for_digits() -> None:
    assert len(USCC_ALPHABET) == 31
    assert not set("IOSVZ") & set(USCC_ALPHABET)


@given(st.text(USCC_ALPHABET, min_size=17, max_size=17), st.sampled_from(USCC_ALPHABET))
def test_the_check_character_completes_any_17_characters(first17: str, last: str) -> None:
    check = uscc_check_character(first17)
    assert uscc_problem(first17 + check) is None
    assert (uscc_problem(first17 + last) is None) == (last == check)


LOOKS_LIKE_A_CONTAINER = st.tuples(
    st.text(st.characters(categories=["Lu"]), min_size=4, max_size=4),
    st.text(st.characters(categories=["Nd"]), min_size=7, max_size=7),
).map("".join)
"""Any script's capital letters and decimal digits: ``str.isupper`` and ``str.isdigit`` accept them all."""


@given(LOOKS_LIKE_A_CONTAINER | st.text(max_size=20))
def test_any_text_gets_an_answer_never_an_exception(text: str) -> None:
    for problem in (iso6346_problem(text), uscc_problem(text)):
        assert problem is None or isinstance(problem, str)


@pytest.mark.parametrize("number", ["9074729", "9795610"])
def test_real_imo_numbers_pass(number: str) -> None:
    assert imo_problem(number) is None


@pytest.mark.parametrize(
    ("number", "why"), [("9074728", "expected 9"), ("907472", "7 digits"), ("IMO9074729", "7 digits")]
)
def test_bad_imo_numbers_say_why(number: str, why: str) -> None:
    problem = imo_problem(number)
    assert problem is not None
    assert why in problem
