"""Errors as RFC 9457 problems: every failing field by JSON path and JSON pointer."""

import pytest
from pydantic_core import ErrorDetails

from singlewindow.errors import (
    Conflict,
    InvalidData,
    NotFound,
    ServiceUnavailable,
    SingleWindowError,
    Unauthorized,
    field_error,
    json_path,
)


def details(loc: tuple[str | int, ...], msg: str = "Field required", type_: str = "missing") -> ErrorDetails:
    return ErrorDetails(type=type_, loc=loc, msg=msg, input=None)


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        ((), "$"),
        (("reference",), "$.reference"),
        (("goods", 0, "hs_code"), "$.goods[0].hs_code"),
        (("containers", 12), "$.containers[12]"),
        (("consignee", "uscc"), "$.consignee.uscc"),
        (("0",), "$.0"),
    ],
)
def test_json_path(loc: tuple[str | int, ...], path: str) -> None:
    assert json_path(loc) == path


def test_a_field_error_names_the_field_by_path_and_pointer() -> None:
    error = details(("goods", 0, "hs_code"), "Value error, '999998' is not an HS subheading", "value_error")
    assert field_error(error) == {
        "loc": "$.goods[0].hs_code",
        "pointer": "/goods/0/hs_code",
        "msg": "'999998' is not an HS subheading",
        "type": "value_error",
    }


def test_an_error_on_the_whole_document_points_at_the_root() -> None:
    rendered = field_error(details((), "Input should be a valid dictionary", "model_attributes_type"))
    assert (rendered["loc"], rendered["pointer"]) == ("$", "")


@pytest.mark.parametrize(
    ("loc", "pointer"),
    [
        (("goods", 0, "body"), "/goods/0/body"),
        (("a/b",), "/a~1b"),
        (("~x",), "/~0x"),
        (("~1",), "/~01"),
        (("",), "/"),
    ],
)
def test_pointers_escape_as_rfc_6901_says(loc: tuple[str | int, ...], pointer: str) -> None:
    assert field_error(details(loc))["pointer"] == pointer


def test_only_the_value_error_prefix_is_removed_from_messages() -> None:
    assert field_error(details(("a",), "Value error, x"))["msg"] == "x"
    assert field_error(details(("a",), "Field required, Value error, x"))["msg"] == "Field required, Value error, x"


def test_invalid_data_is_a_422_problem_listing_every_field() -> None:
    problem = InvalidData([details(("reference",)), details(("goods", 1, "unit"))]).problem()
    assert problem["status"] == 422
    assert problem["type"] == "about:blank#invaliddata"
    assert problem["title"] == "Invalid data"
    assert problem["detail"] == "2 field(s) failed validation"
    assert [e["loc"] for e in problem["errors"]] == ["$.reference", "$.goods[1].unit"]


def test_invalid_data_takes_an_explicit_detail() -> None:
    detail = "the declaration breaks 1 rule"
    assert InvalidData([details(("x",))], detail=detail).detail == detail


@pytest.mark.parametrize(
    ("error", "status", "slug"),
    [
        (NotFound("no declaration 42"), 404, "notfound"),
        (Conflict("already released"), 409, "conflict"),
        (SingleWindowError("bad"), 400, "singlewindow"),
    ],
)
def test_domain_errors_carry_their_status(error: SingleWindowError, status: int, slug: str) -> None:
    assert error.problem() == {
        "type": f"about:blank#{slug}",
        "title": error.title,
        "status": status,
        "detail": error.detail,
    }


def test_errors_that_tell_the_client_what_to_do_next_carry_headers() -> None:
    assert Unauthorized().headers == {"WWW-Authenticate": "Bearer"}
    assert ServiceUnavailable("database down", retry_after=5).headers == {"Retry-After": "5"}
