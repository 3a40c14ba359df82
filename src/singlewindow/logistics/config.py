"""The deployment's settings as the logistics event handlers see them.

Event handlers receive only a session and an event, so the composition root hands this
context its settings once (``configure``); commands that never built a platform read the
environment.
"""

from singlewindow.settings import Settings, get_settings

_configured: list[Settings] = []


def configure(settings: Settings) -> None:
    _configured[:] = [settings]


def current() -> Settings:
    return _configured[0] if _configured else get_settings()
