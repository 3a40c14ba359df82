"""Pre-arrival deadlines per transport mode, and quantities within tolerance of the bill of lading."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from singlewindow.logistics.manifests import deadline_problem, quantity_problems
from singlewindow.logistics.models import BillOfLading, BillStatus
from singlewindow.settings import Settings

ETA = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
SETTINGS = Settings(manifest_weight_tolerance_percent=Decimal(2), manifest_package_tolerance=1)


@pytest.mark.parametrize(
    ("mode", "hours_before", "late"),
    [("1", 24, False), ("1", 23.9, True), ("4", 4, False), ("4", 3, True), ("3", 1, False), ("2", 1.5, True)],
)
def test_a_manifest_is_due_the_modes_hours_before_arrival(mode: str, hours_before: float, late: bool) -> None:
    problem = deadline_problem(SETTINGS, mode, ETA, ETA - timedelta(hours=hours_before))
    assert (problem is not None) is late


def test_a_mode_without_a_deadline_is_never_late() -> None:
    assert deadline_problem(SETTINGS, "5", ETA, ETA + timedelta(days=3)) is None


def bill(**changes: object) -> BillOfLading:
    found = BillOfLading(
        number="COSU1",
        package_count=35,
        gross_weight_kg=Decimal("1000"),
        containers=[{"number": "CSQU3054383"}],
        status=BillStatus.REGISTERED,
    )
    for name, value in changes.items():
        setattr(found, name, value)
    return found


@pytest.mark.parametrize(
    ("packages", "weight", "problems"),
    [
        (35, Decimal("1000"), 0),
        (36, Decimal("1020"), 0),
        (34, Decimal("980"), 0),
        (37, Decimal("1000"), 1),
        (35, Decimal("1020.01"), 1),
        (None, Decimal("979.99"), 1),
        (33, Decimal("900"), 2),
    ],
)
def test_packages_and_gross_weight_within_tolerance_match(packages: int | None, weight: Decimal, problems: int) -> None:
    assert len(quantity_problems(SETTINGS, bill(), packages, weight, ["CSQU3054383"])) == problems


def test_a_container_not_on_the_bill_or_a_written_off_bill_is_a_problem() -> None:
    found = quantity_problems(SETTINGS, bill(status=BillStatus.WRITTEN_OFF), 35, Decimal(1000), ["TGHU1234567"])
    assert found == ["containers not on the bill of lading: TGHU1234567", "already written off by declaration None"]
