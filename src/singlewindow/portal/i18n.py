"""zh-CN first, English one click away: Babel catalogs compiled in memory at import.

The ``.po`` files are the only source: they are compiled when the portal starts (a few
milliseconds), so there is no ``.mo`` to forget to rebuild and no build step.
"""

import gettext
import io
from functools import cache
from importlib.resources import files

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = {"zh_CN": "中文", "en": "English"}
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


@cache
def translations(language: str) -> gettext.NullTranslations:
    """English is the source language of every message; other languages come from their catalog."""
    if language == "en":
        return NullTranslations()
    po = files("singlewindow.portal").joinpath(f"locale/{language}/LC_MESSAGES/messages.po")
    catalog = read_po(io.BytesIO(po.read_bytes()), locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def language_of(value: object) -> str:
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE
