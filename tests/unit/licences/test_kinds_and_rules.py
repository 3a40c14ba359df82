"""Which goods need which licence, and each reason a licence cannot cover an item."""

import uuid
from datetime import date

import pytest

from singlewindow.catalogue.code_lists import code_lists
from singlewindow.licences.kinds import kind_for_condition, kinds, required_kinds, requirements
from singlewindow.licences.models import Licence, LicenceGoods, LicenceStatus
from singlewindow.licences.rules import Want, check, covering_line, line_exhausted
from singlewindow.licences.service import number_for
from singlewindow.simulators.service import AGENCIES

HOLDER = uuid.uuid4()
TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("hs_code", "direction", "expected"),
    [
        ("020230", "import", ["automatic_import_licence"]),
        ("020230", "export", []),
        ("290321", "import", ["import_licence"]),
        ("290321", "export", ["export_licence"]),
        ("870323", "import", ["automatic_import_licence", "import_licence"]),
        ("847130", "import", []),
        ("010229", "import", ["quarantine_permit"]),
        ("010229", "export", []),
        ("080510", "import", ["quarantine_permit"]),
        ("284161", "export", ["dual_use_licence"]),
        ("28442000", "import", ["dual_use_licence"]),
    ],
)
def test_the_licences_an_item_needs_come_from_the_catalogues_conditions(
    hs_code: str, direction: str, expected: list[str]
) -> None:
    assert sorted(k.code for k in required_kinds(hs_code, direction)) == expected


def test_every_requirement_rule_names_an_hs_code_and_demands_exactly_one_kind() -> None:
    """An item cites one licence, so a rule may not make goods need two kinds at once (the limit in licences.md)."""
    hs = code_lists().get("hs")
    assert {r.kind for r in requirements()} == {"quarantine_permit", "dual_use_licence"}
    for rule in requirements():
        assert rule.hs_prefix in hs
        assert rule.basis
        for direction in rule.directions:
            assert [k.code for k in required_kinds(rule.hs_prefix + "0" * (6 - len(rule.hs_prefix)), direction)] == [
                rule.kind
            ]


def test_every_kind_names_a_catalogue_condition_and_a_known_agency() -> None:
    conditions = code_lists().get("regulatory_condition")
    for kind in kinds().values():
        assert kind.condition is None or kind.condition in conditions
        assert kind.agency in AGENCIES
        assert kind.directions <= {"import", "export"}
    assert len({k.prefix for k in kinds().values()}) == len(kinds())
    assert kind_for_condition("7") == kinds()["automatic_import_licence"]
    assert kind_for_condition("A") is None


def test_numbers_carry_the_year_the_prefix_and_six_digits() -> None:
    assert number_for(kinds()["automatic_import_licence"], date(2026, 12, 2), 42) == "26-AL-000042"


def licence(**changes: object) -> Licence:
    fields: dict[str, object] = {
        "number": "26-AL-000001",
        "kind": "automatic_import_licence",
        "agency": "commerce",
        "holder_party_id": HOLDER,
        "holder_uscc": "91310000MA1FL8TQ36",
        "holder_name": "Demo",
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2026, 12, 31),
        "status": LicenceStatus.VALID,
        **changes,
    }
    return Licence(**fields)


def line(hs_code: str = "0202", **changes: object) -> LicenceGoods:
    fields: dict[str, object] = {
        "line": 1,
        "hs_code": hs_code,
        "description": "Frozen bovine meat",
        "unit": "KGM",
        "quantity_allowed": 1_000,
        "quantity_used": 0,
        "quantity_reserved": 0,
        "currency": None,
        "value_allowed": None,
        "value_used": 0,
        "value_reserved": 0,
        **changes,
    }
    return LicenceGoods(**fields)


def want(**changes: object) -> Want:
    fields: dict[str, object] = {
        "hs_code": "020230",
        "direction": "import",
        "quantity": 600,
        "unit": "KGM",
        "value": 100,
        "currency": "AUD",
        "party_id": HOLDER,
        "today": TODAY,
        **changes,
    }
    return Want(**fields)  # type: ignore[arg-type]


NEEDED = [kinds()["automatic_import_licence"]]


@pytest.mark.parametrize(
    ("the_licence", "lines", "the_want", "reason"),
    [
        (licence(), [line()], want(direction="export"), "licence_kind"),
        (licence(kind="import_licence"), [line()], want(), "licence_kind"),
        (licence(), [line()], want(party_id=uuid.uuid4()), "licence_holder"),
        (licence(status=LicenceStatus.REVOKED, revoked_reason="fraud"), [line()], want(), "licence_revoked"),
        (licence(status=LicenceStatus.EXHAUSTED), [line()], want(), "licence_exhausted"),
        (licence(valid_from=date(2026, 7, 1)), [line()], want(), "licence_not_yet_valid"),
        (licence(valid_until=date(2026, 5, 31)), [line()], want(), "licence_expired"),
        (licence(), [line("1001")], want(), "licence_hs"),
        (licence(), [line()], want(unit="TNE"), "licence_unit"),
        (licence(), [line(value_allowed=500, currency="USD")], want(), "licence_currency"),
        (licence(), [line(quantity_used=300, quantity_reserved=200)], want(), "licence_balance"),
        (licence(), [line(quantity_allowed=None, value_allowed=99, currency="AUD")], want(), "licence_balance"),
    ],
)
def test_each_refusal_is_named(the_licence: Licence, lines: list[LicenceGoods], the_want: Want, reason: str) -> None:
    _, refusal = check(the_licence, lines, the_want, NEEDED)
    assert refusal is not None
    assert refusal.type == reason
    assert the_licence.number in refusal.msg


def test_the_last_of_a_balance_is_enough() -> None:
    covering, refusal = check(licence(), [line(quantity_used=400)], want(), NEEDED)
    assert refusal is None
    assert covering is not None
    assert covering.line == 1


def test_the_most_specific_line_covers_an_item() -> None:
    heading, subheading = line("0202"), line("020230", line=2)
    assert covering_line([heading, subheading], "020230") is subheading
    assert covering_line([heading, subheading], "020220") is heading
    assert covering_line([heading], "0201") is None


def test_a_line_is_exhausted_when_a_limited_dimension_is_used_up() -> None:
    assert line_exhausted(line(quantity_used=1_000))
    assert not line_exhausted(line(quantity_used=999, quantity_reserved=1))
    assert line_exhausted(line(value_allowed=10, value_used=10, currency="USD"))
