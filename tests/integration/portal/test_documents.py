"""Every other document type in the portal: a form built from the catalogue, judged like the API."""

import httpx
from support.documents import sample
from support.portal import Portal

from singlewindow.portal.forms import to_form

API = "/api/v1/declarations"


async def test_the_index_links_each_fillable_type_and_explains_the_rest(trader_portal: Portal) -> None:
    page = await trader_portal.get("/documents")
    assert page.status_code == 200
    assert 'id="new-vessel_declaration"' in page.text
    assert 'id="new-licence_application"' in page.text
    assert 'id="new-cargo_manifest"' not in page.text
    assert "--document-type cargo_manifest" in page.text


async def test_a_vessel_movement_is_corrected_and_submitted_from_its_form(
    trader_portal: Portal, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    form = await trader_portal.get("/documents/vessel_declaration/new")
    assert 'name="imo_number"' in form.text
    assert 'name="crew_count"' in form.text
    bad = to_form(sample("vessel_declaration", imo_number="9795611"))
    refused = await trader_portal.post("/documents/vessel_declaration/new", bad)
    assert refused.status_code == 422
    api = await client.post(
        f"{API}/vessel_declaration", json=sample("vessel_declaration", imo_number="9795611"), headers=trader
    )
    slot = refused.text.split('id="e-imo_number"')[1].split("</p>")[0]
    assert api.json()["errors"][0]["msg"] in slot
    assert (await client.get(API, headers=trader)).json()["total"] == 0

    accepted = await trader_portal.post("/documents/vessel_declaration/new", to_form(sample("vessel_declaration")))
    assert accepted.status_code == 303
    [declaration] = (await client.get(API, headers=trader)).json()["items"]
    assert accepted.headers["location"].endswith(declaration["id"])
    assert (declaration["document_type"], declaration["type"]) == ("vessel_declaration", "A")


async def test_rows_are_added_without_javascript(trader_portal: Portal) -> None:
    page = await trader_portal.post("/documents/licence_application/new", {"action": "add:goods"})
    assert page.status_code == 200
    assert 'name="goods.1.hs_code"' in page.text
    assert 'name="goods.2.hs_code"' not in page.text


async def test_a_manifest_is_sent_to_the_file_route(trader_portal: Portal) -> None:
    redirected = await trader_portal.get("/documents/cargo_manifest/new")
    assert redirected.status_code == 303
    assert redirected.headers["location"].endswith("/documents")
    posted = await trader_portal.post("/documents/cargo_manifest/new", to_form(sample("cargo_manifest")))
    assert posted.status_code == 409
