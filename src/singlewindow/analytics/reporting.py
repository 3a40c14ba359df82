"""Which calendar day a declaration counts on: a day where the single window runs, not a UTC day.

A declaration lodged at 07:00 in Shanghai counts on that day for a deployment that reports
in Asia/Shanghai (``SW_REPORTING_TIMEZONE``), not on the UTC day before it. Event handlers
receive only a session and an event, so the composition root hands the zone over once
(``configure``); commands that never built a platform read the environment.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from singlewindow.kit.clock import utcnow
from singlewindow.settings import Settings, get_settings

_configured: list[ZoneInfo] = []


def configure(settings: Settings) -> None:
    _configured[:] = [ZoneInfo(settings.reporting_timezone)]


def zone() -> ZoneInfo:
    return _configured[0] if _configured else ZoneInfo(get_settings().reporting_timezone)


def day_of(at: datetime) -> date:
    return at.astimezone(zone()).date()


def today() -> date:
    return day_of(utcnow())
