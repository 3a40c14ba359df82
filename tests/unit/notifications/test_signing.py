"""Webhook signatures: HMAC-SHA256 over the timestamp and the body, refused when stale."""

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from singlewindow.notifications.signing import sign, verify

SECRET = "whsec-test-0123456789"
BODY = b'{"declaration_id":"0192","status":"released"}'
NOW = 1_760_000_000


def test_the_header_carries_the_timestamp_and_an_hmac_of_timestamp_dot_body() -> None:
    mac = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, NOW, BODY) == f"t={NOW},v1={mac}"


def test_a_signed_delivery_verifies() -> None:
    assert verify(SECRET, sign(SECRET, NOW, BODY), BODY, now=NOW)


@pytest.mark.parametrize(
    "body",
    [BODY.replace(b"released", b"rejected"), BODY + b" ", b"", BODY[:-1]],
    ids=["changed", "appended", "empty", "truncated"],
)
def test_a_tampered_body_is_refused(body: bytes) -> None:
    assert not verify(SECRET, sign(SECRET, NOW, BODY), body, now=NOW)


def test_another_secret_is_refused() -> None:
    assert not verify("whsec-someone-else", sign(SECRET, NOW, BODY), BODY, now=NOW)


def test_a_changed_timestamp_is_refused() -> None:
    forged = sign(SECRET, NOW, BODY).replace(f"t={NOW}", f"t={NOW + 1}")
    assert not verify(SECRET, forged, BODY, now=NOW)


@pytest.mark.parametrize(("age", "accepted"), [(0, True), (300, True), (301, False), (-300, True), (-301, False)])
def test_timestamps_older_or_newer_than_the_tolerance_are_refused(age: int, accepted: bool) -> None:
    assert verify(SECRET, sign(SECRET, NOW - age, BODY), BODY, now=NOW) is accepted


def test_the_tolerance_is_the_receivers_choice() -> None:
    header = sign(SECRET, NOW - 3600, BODY)
    assert not verify(SECRET, header, BODY, now=NOW)
    assert verify(SECRET, header, BODY, now=NOW, tolerance=3600)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "garbage",
        "v1=abc",
        f"t={NOW}",
        f"t=soon,v1={'0' * 64}",
        f"t={NOW},v1",
        f"t={NOW},v1={'0' * 64}",
        f"t={NOW},v1=é",
        sign(SECRET, NOW, BODY) + ",v0=legacy",
        sign(SECRET, NOW, BODY).upper(),
    ],
)
def test_malformed_headers_are_refused(header: str) -> None:
    assert verify(SECRET, header, BODY, now=NOW) is False


@given(st.text(max_size=100))
def test_any_header_gets_an_answer_never_an_exception(header: str) -> None:
    assert verify(SECRET, header, BODY, now=NOW) is False
