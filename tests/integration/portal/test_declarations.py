"""The trader's pages: the form validates like the API, submits through the service, drafts, copies, uploads."""

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update
from support.documents import beef_import, import_declaration, sample, with_goods_field
from support.portal import Portal

from singlewindow.app import Platform
from singlewindow.exchange import service as exchange
from singlewindow.exchange.models import OutboxMessage, OutboxStatus
from singlewindow.exchange.service import NewMessage
from singlewindow.formats.edifact import Envelope, build_cusdec
from singlewindow.kit.clock import utcnow
from singlewindow.portal.forms import to_form

WCO_DECLARATION = Path(__file__).resolve().parents[2] / "data" / "xml" / "wco-dm-import-cn.xml"

Submit = Callable[[dict[str, Any]], Awaitable[str]]
Run = Callable[[], Awaitable[None]]


def _form(document: dict[str, Any], action: str = "submit") -> list[tuple[str, str]]:
    return [*to_form(document).items(), ("action", action)]


async def test_a_submitted_form_is_a_declaration_that_reaches_release(
    trader_portal: Portal, submit: Submit, run: Run
) -> None:
    path = await submit(import_declaration())
    await run()
    page = await trader_portal.get(path)
    assert 'data-status="released"' in page.text.split('id="h-status"')[1].split("</h2>")[0]
    assert len(re.findall(r"<code>[0-9a-f]{64}</code>", page.text)) >= 4  # two sent, two answers, each with its hash
    assert "hx-trigger" not in page.text.split('id="status-panel"')[1].split(">")[0]  # final: no more polling


async def test_an_invalid_field_shows_the_apis_own_message_and_saves_nothing(
    trader_portal: Portal, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    document = with_goods_field(import_declaration(), 0, hs_code="12")
    api = await client.post("/api/v1/declarations", json=document, headers=trader)
    assert api.status_code == 422
    message = api.json()["errors"][0]["msg"]
    page = await trader_portal.post("/declarations/new", _form(document))
    assert page.status_code == 422
    slot = page.text.split('id="e-goods-0-hs_code"')[1].split("</p>")[0]
    assert message.replace("'", "&#39;") in slot
    assert 'value="12"' in page.text  # what was typed stays on the form
    listing = await client.get("/api/v1/declarations", headers=trader)
    assert listing.json()["total"] == 0


async def test_live_validation_answers_for_one_field_out_of_band(trader_portal: Portal) -> None:
    document = with_goods_field(import_declaration(), 0, net_weight_kg="9999")
    fields = [*to_form(document).items(), ("_field", "goods.0.net_weight_kg")]
    response = await trader_portal.client.post(
        "/portal/declarations/validate", data=dict(fields), headers={"X-CSRF-Token": trader_portal.csrf}
    )
    assert response.status_code == 200
    assert 'id="e-goods-0-net_weight_kg"' in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert "9999" in response.text
    fixed = await trader_portal.client.post(
        "/portal/declarations/validate",
        data=dict([*to_form(import_declaration()).items(), ("_field", "goods.0.net_weight_kg")]),
        headers={"X-CSRF-Token": trader_portal.csrf},
    )
    assert re.search(r'id="e-goods-0-net_weight_kg"[^>]*></p>', fixed.text)


async def test_code_lists_are_searched_as_you_type(trader_portal: Portal) -> None:
    ports = await trader_portal.get(
        "/codes/locode", params={"_field": "port_of_discharge", "port_of_discharge": "CNSG"}
    )
    assert 'value="CNSGH"' in ports.text
    countries = await trader_portal.get("/codes/country", params={"_field": "country", "country": "DE"})
    assert '<option value="DE">' in countries.text
    hs = await trader_portal.get("/codes/hs", params={"_field": "goods.0.hs_code", "goods.0.hs_code": "847130"})
    assert 'value="847130"' in hs.text
    assert (await trader_portal.get("/codes/nonsense")).status_code == 404


async def test_ports_are_found_by_their_chinese_names_as_you_type(trader_portal: Portal) -> None:
    ports = await trader_portal.get(
        "/codes/locode", params={"_field": "port_of_discharge", "port_of_discharge": "上海"}
    )
    assert 'value="CNSGH"' in ports.text
    chinese = await trader_portal.get("/codes/country", params={"_field": "country", "country": "德国"})
    assert '<option value="DE">' in chinese.text


async def test_a_draft_keeps_an_unfinished_form_until_it_is_submitted(
    trader_portal: Portal, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    unfinished = {"type": "import", "reference": "DRAFT-0001", "currency": "EUR"}
    saved = await trader_portal.post("/declarations/new", _form(unfinished, "draft"))
    assert saved.status_code == 303
    draft_path = saved.headers["location"].removeprefix("/portal")
    assert "DRAFT-0001" in (await trader_portal.get("/dashboard")).text
    reopened = await trader_portal.get(draft_path)
    assert 'value="DRAFT-0001"' in reopened.text
    draft_id = re.search(r'name="draft_id" value="([^"]+)"', reopened.text)
    assert draft_id
    complete = import_declaration(reference="DRAFT-0001")
    submitted = await trader_portal.post("/declarations/new", [*_form(complete), ("draft_id", draft_id.group(1))])
    assert submitted.status_code == 303
    assert (
        "DRAFT-0001"
        not in (await trader_portal.get("/dashboard")).text.split('id="h-drafts"')[1].split("</section>")[0]
    )
    assert (await client.get("/api/v1/declarations?reference=DRAFT-0001", headers=trader)).json()["total"] == 1


async def test_copy_fills_the_form_from_an_earlier_declaration_but_its_reference(
    trader_portal: Portal, submit: Submit
) -> None:
    path = await submit(import_declaration())
    copied = await trader_portal.get(f"/declarations/new?copy={path.rsplit('/', 1)[1]}")
    assert 'value="HLCUHAM2411001"' in copied.text
    assert 'id="f-reference" name="reference" value=""' in copied.text


async def test_a_json_file_opens_the_form_filled_in(trader_portal: Portal) -> None:
    import json

    body = json.dumps(import_declaration(reference="UPLOADED-1")).encode()
    await trader_portal.get("/declarations/new")
    response = await trader_portal.client.post(
        "/portal/declarations/upload",
        data={"csrf_token": trader_portal.csrf},
        files={"file": ("declaration.json", body, "application/json")},
    )
    assert response.status_code == 200
    assert 'value="UPLOADED-1"' in response.text
    refused = await trader_portal.client.post(
        "/portal/declarations/upload",
        data={"csrf_token": trader_portal.csrf},
        files={"file": ("declaration.pdf", b"%PDF", "application/pdf")},
    )
    assert refused.status_code == 422
    assert ".json" in refused.text


async def test_an_edifact_or_wco_file_opens_the_form_filled_in(trader_portal: Portal) -> None:
    cusdec = build_cusdec(
        import_declaration(reference="EDI-UPLOAD-1"), Envelope("TRADER", "SW", "1", datetime.now(UTC))
    )
    wco = WCO_DECLARATION.read_bytes()
    await trader_portal.get("/declarations/new")
    for name, body, reference in (("cusdec.edi", cusdec.encode(), "EDI-UPLOAD-1"), ("wco.xml", wco, "WCO-IMP-0001")):
        response = await trader_portal.client.post(
            "/portal/declarations/upload",
            data={"csrf_token": trader_portal.csrf},
            files={"file": (name, body, "application/octet-stream")},
        )
        assert response.status_code == 200, response.text
        assert f'value="{reference}"' in response.text
    broken = await trader_portal.client.post(
        "/portal/declarations/upload",
        data={"csrf_token": trader_portal.csrf},
        files={"file": ("broken.edi", b"UNA:+.? 'UNB+UNOW:4'", "application/octet-stream")},
    )
    assert broken.status_code == 422


async def test_rows_are_added_and_removed_without_javascript(trader_portal: Portal) -> None:
    document = import_declaration()
    added = await trader_portal.post("/declarations/new", _form(document, "add:goods"))
    assert 'id="f-goods-2-hs_code"' in added.text
    removed = await trader_portal.post("/declarations/new", _form(document, "remove:goods:0"))
    assert 'id="f-goods-1-hs_code"' not in removed.text
    assert 'value="610910"' in removed.text.split('id="f-goods-0-hs_code"')[1][:200]


async def test_the_list_filters_and_pages(trader_portal: Portal, submit: Submit) -> None:
    for n in range(3):
        await submit(import_declaration(reference=f"LIST-{n}"))
    everything = await trader_portal.get("/declarations")
    assert all(f"LIST-{n}" in everything.text for n in range(3))
    one = await trader_portal.get("/declarations", params={"reference": "LIST-1"})
    assert "LIST-1" in one.text
    assert "LIST-0" not in one.text
    none = await trader_portal.get("/declarations", params={"status": "released"})
    assert "LIST-" not in none.text
    exports = await trader_portal.get("/declarations", params={"type": "export"})
    assert "LIST-" not in exports.text


async def test_amend_and_cancel_where_the_lifecycle_allows(trader_portal: Portal, submit: Submit) -> None:
    path = await submit(import_declaration())
    amended = await trader_portal.post(f"{path}/amend", _form(import_declaration(bill_of_lading="AMENDED-BL")))
    assert amended.status_code == 303
    page = await trader_portal.get(path)
    assert "AMENDED-BL" in page.text
    assert "第 2 版" in page.text
    cancelled = await trader_portal.post(f"{path}/cancel", {"reason": "order withdrawn"})
    assert cancelled.status_code == 303
    page = await trader_portal.get(path)
    assert 'data-status="cancelled"' in page.text
    assert f'action="/portal{path}/cancel"' not in page.text
    again = await trader_portal.post(f"{path}/cancel", {"reason": "twice"})
    assert again.status_code == 409


async def test_another_enterprises_declaration_is_not_found(
    browser: Callable[[], Awaitable[Portal]], submit: Submit, other_trader: dict[str, str]
) -> None:
    path = await submit(import_declaration())
    other = await browser()
    await other.login("other-admin")
    assert (await other.get(path)).status_code == 404


async def test_a_vessel_declaration_shows_its_own_fields_and_no_cargo_form(
    trader_portal: Portal, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/declarations/vessel_declaration", json=sample("vessel_declaration"), headers=trader
    )
    assert response.status_code == 201, response.text
    page = await trader_portal.get(f"/declarations/{response.json()['id']}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "运输工具进出境申报" in page.text
    assert "COSCO SHIPPING UNIVERSE" in page.text
    assert "9795610" in page.text
    assert "/amend" not in page.text
    assert "?copy=" not in page.text


async def test_the_detail_page_lists_the_documents_the_declaration_cites(
    trader_portal: Portal, submit: Callable[[dict[str, Any]], Awaitable[str]]
) -> None:
    path = await submit(beef_import())
    documents = (await trader_portal.get(path)).text.split('id="h-documents"')[1].split("</section>")[0]
    licence = documents.split('data-kind="SW0028"')[1].split("</tr>")[0]
    assert '<a href="/portal/licences/24-AL-000001">24-AL-000001</a>' in licence
    assert "goods[1].licence_number" in licence
    assert "许可证" in licence
    bill = documents.split('data-kind="SW0014"')[1].split("</tr>")[0]
    assert f'href="/portal/logistics?number={beef_import()["bill_of_lading"]}"' in bill


async def test_the_dashboard_shows_notifications_that_have_not_reached_the_webhooks(
    trader_portal: Portal, client: httpx.AsyncClient, trader: dict[str, str], platform: Platform
) -> None:
    quiet = (await trader_portal.get("/dashboard")).text.split('id="h-undelivered"')[1].split("</section>")[0]
    assert 'id="undelivered"' not in quiet
    created = await client.post("/api/v1/webhooks", json={"url": "https://erp.example.com/hook"}, headers=trader)
    assert created.status_code == 201
    destination = f"webhook:{created.json()['id']}"
    async with platform.sessions() as session:
        [first, _] = await exchange.enqueue(
            session,
            [
                NewMessage(destination, "declaration.status_changed", {"status": "released"}, None, 1),
                NewMessage("customs", "declaration", {}, None, 1),
            ],
        )
        await session.commit()
    section = (await trader_portal.get("/dashboard")).text.split('id="h-undelivered"')[1].split("</section>")[0]
    assert "https://erp.example.com/hook" in section
    assert "declaration.status_changed" in section
    assert 'data-status="pending"' in section
    assert "<td>declaration</td>" not in section  # a message to an agency is not the trader's notification
    async with platform.sessions() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == first)
            .values(status=OutboxStatus.DELIVERED, delivered_at=utcnow())
        )
        await session.commit()
    delivered = (await trader_portal.get("/dashboard")).text.split('id="h-undelivered"')[1].split("</section>")[0]
    assert "declaration.status_changed" not in delivered


async def test_the_form_takes_the_duty_exemption_and_attached_documents(
    trader_portal: Portal, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    documents = [{"code": "A", "number": "310000126000123000"}]
    document = import_declaration(reference="FORM-DOCS-1", duty_exemption="101", documents=documents)
    blank = await trader_portal.get("/declarations/new")
    assert 'id="h-documents"' in blank.text
    assert 'value="add:documents"' in blank.text
    page = await trader_portal.post("/declarations/new", _form(document))
    assert page.status_code < 400, page.text
    [item] = (await client.get("/api/v1/declarations", headers=trader)).json()["items"]
    stored = (await client.get(f"/api/v1/declarations/{item['id']}", headers=trader)).json()["data"]
    assert (stored["duty_exemption"], stored["documents"]) == ("101", documents)
