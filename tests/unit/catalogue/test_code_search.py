"""Searching code lists in either language, also lists published in English only."""

import pytest

from singlewindow.catalogue import service
from singlewindow.catalogue.service import CodeListNotFound


def _codes(name: str, text: str, limit: int = 10) -> list[str]:
    return [e.code for e in service.search_codes(name, text, limit)]


@pytest.mark.parametrize(("text", "code"), [("上海", "CNSGH"), ("宁波", "CNNBO"), ("青岛", "CNQIN"), ("重庆", "CNCQI")])
def test_chinese_place_names_find_their_un_locode(text: str, code: str) -> None:
    assert code in _codes("locode", text)


def test_a_romanised_name_matches_a_word_start_not_the_middle_of_a_word() -> None:
    assert "DKDRO" not in _codes("locode", "宁波", limit=20)  # Dronningborg contains "ningbo"


def test_a_chinese_country_name_lists_that_countrys_places() -> None:
    found = _codes("locode", "德国")
    assert len(found) == 10
    assert all(code.startswith("DE") for code in found)


def test_lists_with_chinese_names_match_them_and_english_still_works() -> None:
    assert _codes("country", "德国") == ["DE"]
    assert _codes("currency", "人民币") == ["CNY"]
    assert "DEHAM" in _codes("locode", "hamburg")


def test_english_only_lists_find_codes_and_english_names() -> None:
    assert "0101" in _codes("hs", "horses")
    assert _codes("hs", "马") == []


def test_a_page_of_a_large_list_and_whether_more_follow() -> None:
    first = service.code_page("hs", None, offset=0, limit=50)
    second = service.code_page("hs", None, offset=50, limit=50)
    assert len(first.entries) == 50
    assert first.has_more
    assert not {e.code for e in first.entries} & {e.code for e in second.entries}
    last = service.code_page("incoterm", None, offset=0, limit=50)
    assert not last.has_more
    with pytest.raises(CodeListNotFound):
        service.code_page("nonsense", None, offset=0, limit=5)
