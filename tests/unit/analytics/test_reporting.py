"""The reporting zone: which calendar day a declaration counts on, set once per deployment."""

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from singlewindow.analytics import reporting
from singlewindow.settings import Settings


def test_the_configured_zone_decides_the_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reporting, "_configured", [])
    evening = datetime(2026, 12, 31, 18, 0, tzinfo=UTC)
    reporting.configure(Settings(reporting_timezone="Asia/Shanghai"))
    assert reporting.day_of(evening) == date(2027, 1, 1)
    reporting.configure(Settings())
    assert reporting.day_of(evening) == date(2026, 12, 31)


def test_an_unknown_zone_is_refused_at_start_naming_the_setting() -> None:
    with pytest.raises(ValidationError, match="SW_REPORTING_TIMEZONE 'Asia/Peking' is no IANA time zone"):
        Settings(reporting_timezone="Asia/Peking")
