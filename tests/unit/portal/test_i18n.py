"""Every message the portal shows has a Chinese translation, and the catalog compiles."""

from importlib.resources import files
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from singlewindow.portal.i18n import translations

PORTAL = Path(str(files("singlewindow.portal")))
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}


def _source_messages() -> set[str]:
    found = extract_from_dir(str(PORTAL), METHODS, OPTIONS, keywords={"_": None, "gettext": None, "N_": None})
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def _catalog() -> dict[str, str]:
    po = PORTAL / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        return {str(m.id): str(m.string) for m in read_po(f) if m.id}


def test_every_message_in_templates_and_code_is_translated_to_chinese() -> None:
    catalog = _catalog()
    missing = sorted(m for m in _source_messages() if not catalog.get(m))
    assert not missing, f"add to locale/zh_CN/LC_MESSAGES/messages.po: {missing}"


def test_the_catalog_holds_no_stale_messages() -> None:
    stale = sorted(set(_catalog()) - _source_messages())
    assert not stale, f"no longer used, remove from messages.po: {stale}"


@pytest.mark.parametrize(
    ("message", "chinese"), [("Sign in", "登录"), ("Page %(page)s of %(pages)s", "第 %(page)s 页，共 %(pages)s 页")]
)
def test_the_compiled_catalog_translates(message: str, chinese: str) -> None:
    assert translations("zh_CN").gettext(message) == chinese
    assert translations("en").gettext(message) == message
