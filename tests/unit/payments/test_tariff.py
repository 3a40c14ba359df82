"""The shipped tariff: every line valid, agreements known, the demo's codes found by prefix."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from singlewindow.payments.tariff import Rate, choose, parse, shipped


@pytest.mark.parametrize("hs", ["847130", "610910", "6109100011", "020230", "87032342"])
def test_the_demo_and_test_codes_are_in_the_shipped_tariff(hs: str) -> None:
    key, _ = shipped().line(hs)
    assert hs.startswith(key)


def test_beef_from_australia_has_a_conventional_rate_but_only_with_proof() -> None:
    tariff = shipped()
    _, beef = tariff.line("020230")
    assert tariff.agreements_for("AU", beef) == ["ChAFTA"]
    assert choose(beef, None, None).rate.ad_valorem == Decimal("12")
    assert choose(beef, "ChAFTA", "CO-123").rate.ad_valorem == Decimal("0")


def test_a_rate_names_its_unit_when_specific() -> None:
    with pytest.raises(ValidationError):
        Rate(specific=Decimal("1"))
    with pytest.raises(ValidationError):
        Rate()
    assert Rate(ad_valorem=Decimal("3"), specific=Decimal("4374"), per="C62").kind == "compound"


def test_a_line_may_not_name_an_unknown_agreement() -> None:
    line = {
        "name_zh": "x",
        "name_en": "x",
        "mfn": {"ad_valorem": "1"},
        "conventional": {"NOPE": {"ad_valorem": "0"}},
        "vat": "13",
    }
    with pytest.raises(ValueError, match="unknown agreements"):
        parse({"edition": "t", "agreements": {}, "lines": {"01": line}})
