"""The catalogue pages: elements, code lists (paged) and document types, searchable in both languages."""

import re
from collections.abc import Awaitable, Callable

import httpx
from support.portal import Portal


def _codes(html: str) -> list[str]:
    table = html.split('id="codes"')[1].split("</table>")[0]
    return re.findall(r"<tr><td><code>([^<]+)</code>", table)


async def test_the_catalogue_is_public_and_linked_from_the_menu(
    browser: Callable[[], Awaitable[Portal]], trader_portal: Portal
) -> None:
    anonymous = await browser()
    page = await anonymous.get("/catalogue")
    assert page.status_code == 200
    assert "cargo_declaration" in page.text
    assert 'href="/portal/catalogue"' in (await trader_portal.get("/dashboard")).text


async def test_elements_show_both_names_definition_representation_code_list_and_wco_id(trader_portal: Portal) -> None:
    page = await trader_portal.get("/catalogue/elements")
    row = page.text.split('<tr id="SW0002">')[1].split("</tr>")[0]
    assert "企业内部编号" in row
    assert "Trader reference" in row
    assert "an..35" in row
    assert "<td>D026</td>" in row
    assert "The declarant&#39;s own reference" in row
    hs = page.text.split('<tr id="SW0018">')[1].split("</tr>")[0]
    assert 'href="/portal/catalogue/code-lists/hs"' in hs


async def test_elements_are_found_in_chinese_and_in_english(trader_portal: Portal) -> None:
    chinese = await trader_portal.get("/catalogue/elements", params={"q": "毛重"})
    assert '<tr id="SW0022">' in chinese.text
    assert '<tr id="SW0023">' not in chinese.text
    english = await trader_portal.get("/catalogue/elements", params={"q": "net weight"})
    assert '<tr id="SW0023">' in english.text
    assert '<tr id="SW0022">' not in english.text
    nothing = await trader_portal.get("/catalogue/elements", params={"q": "no such element"})
    assert "<tr id=" not in nothing.text


async def test_the_hs_nomenclature_is_paged(trader_portal: Portal) -> None:
    first = await trader_portal.get("/catalogue/code-lists/hs")
    second = await trader_portal.get("/catalogue/code-lists/hs", params={"page": 2})
    assert len(_codes(first.text)) == 50
    assert len(_codes(second.text)) == 50
    assert not set(_codes(first.text)) & set(_codes(second.text))
    assert 'rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    assert "6939" in first.text


async def test_code_lists_are_searched_in_chinese_including_ports(trader_portal: Portal) -> None:
    countries = await trader_portal.get("/catalogue/code-lists/country", params={"q": "德国"})
    assert _codes(countries.text) == ["DE"]
    ports = await trader_portal.get("/catalogue/code-lists/locode", params={"q": "宁波"})
    assert "CNNBO" in _codes(ports.text)
    assert all(code.startswith("CN") for code in _codes(ports.text))
    english = await trader_portal.get("/catalogue/code-lists/hs", params={"q": "horses"})
    assert "0101" in _codes(english.text)


async def test_a_document_type_shows_its_groups_and_mandatory_and_conditional_rules(trader_portal: Portal) -> None:
    page = await trader_portal.get("/catalogue/document-types/vessel_declaration")
    assert page.status_code == 200
    assert "运输工具进出境申报" in page.text
    mode = page.text.split("<code>transport_mode</code>")[1].split("</tr>")[0]
    assert "<strong>" in mode, "every means of transport declares its mode"
    imo = page.text.split("<code>imo_number</code>")[1].split("</tr>")[0]
    assert "SW0030" in imo
    assert "<strong>" not in imo, "only a vessel has an IMO number: a rule asks for it, not the schema"
    rules = page.text.split('id="h-conditions"')[1].split("</section>")[0]
    assert "movement" in rules
    assert "transport_mode" in rules
    assert "estimated_arrival" in rules
    manifest = await trader_portal.get("/catalogue/document-types/cargo_manifest")
    assert "<code>consignments[]</code>" in manifest.text
    assert "<code>consignments[].goods[]</code>" in manifest.text
    cargo = await trader_portal.get("/catalogue/document-types/cargo_declaration")
    quantity = cargo.text.split("<code>goods[].quantity</code>")[1].split("</tr>")[0]
    assert "<strong>" in quantity, "a required decimal field is mandatory, not optional"


async def test_document_types_are_searched_in_both_languages(trader_portal: Portal, client: httpx.AsyncClient) -> None:
    found = await trader_portal.get("/catalogue/document-types", params={"q": "原产地"})
    assert "origin_certificate_application" in found.text
    assert "vessel_declaration" not in found.text
    found = await trader_portal.get("/catalogue/document-types", params={"q": "vessel"})
    assert "vessel_declaration" in found.text
    assert "origin_certificate_application" not in found.text
    assert (await trader_portal.get("/catalogue/document-types/nothing_here")).status_code == 404
