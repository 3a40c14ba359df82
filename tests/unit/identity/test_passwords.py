"""NIST SP 800-63B: length rules, the common-password list, and no composition rules."""

from hypothesis import given
from hypothesis import strategies as st

from singlewindow.identity import passwords

COMMON = sorted(passwords._common())


@given(
    st.text(min_size=passwords.MIN_LENGTH, max_size=passwords.MAX_LENGTH).filter(lambda p: p.casefold() not in COMMON)
)
def test_any_long_enough_uncommon_password_is_accepted_whatever_its_characters(password: str) -> None:
    assert passwords.problem(password) is None


@given(st.sampled_from(COMMON), st.booleans())
def test_a_common_password_is_refused_in_any_case(password: str, upper: bool) -> None:
    problem = passwords.problem(password.upper() if upper else password)
    assert problem is not None
    assert "commonly used" in problem


@given(st.text(max_size=passwords.MIN_LENGTH - 1))
def test_short_passwords_are_refused(password: str) -> None:
    assert passwords.problem(password) == "must be at least 8 characters"


def test_at_least_64_characters_are_allowed_and_the_username_is_not_a_password() -> None:
    assert passwords.MAX_LENGTH >= 64
    assert passwords.problem("y" * 64) is None
    assert passwords.problem("x" * (passwords.MAX_LENGTH + 1)) == "must be at most 128 characters"
    assert passwords.problem("Ningbo-Admin", username="ningbo-admin") == "must not be the username"


def test_the_shipped_list_holds_only_passwords_the_length_rule_lets_through() -> None:
    assert len(COMMON) >= 50
    assert all(len(p) >= passwords.MIN_LENGTH for p in COMMON)
