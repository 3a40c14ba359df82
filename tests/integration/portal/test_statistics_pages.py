"""The statistics pages render their figures with server-drawn SVG charts, in Chinese and English."""

import io
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from openpyxl import load_workbook
from support.documents import beef_import, import_declaration
from support.exchange import submit
from support.portal import Portal

from singlewindow import demo


async def test_the_statistics_page_charts_volumes_and_rates(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, browser: Callable[[], Awaitable[Portal]]
) -> None:
    await submit(client, trader, import_declaration())
    await submit(client, trader, beef_import())
    await run()
    operator = await browser()
    await operator.login(demo.DEMO_OPERATOR)

    page = await operator.get("/statistics", params={"group_by": "agency", "period": "day"})
    assert page.status_code == 200, page.text
    assert page.text.count('<svg class="chart"') == 2
    assert "<title>Declarations by Agency</title>" not in page.text  # zh-CN is the default
    assert "统计分析" in page.text
    assert "按部门统计的申报" in page.text
    assert '<g class="bar"><title>customs: 2</title>' in page.text
    await operator.get("/lang/en")
    english = await operator.get("/statistics", params={"group_by": "port"})
    assert "<title>Declarations by Port</title>" in english.text
    assert '<g class="bar"><title>CNSGH: 2</title>' in english.text

    download = await operator.get("/statistics/rates", params={"group_by": "port", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[1][1:3] == ("CNSGH", 2)


async def test_the_clearance_time_page_names_the_dominant_step(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, trader_portal: Portal
) -> None:
    await submit(client, trader, import_declaration())
    await run()
    page = await trader_portal.get("/statistics/clearance-times")
    assert page.status_code == 200, page.text
    assert '<svg class="chart"' in page.text
    assert "申报 → 各部门决定" in page.text
    assert "耗时最长环节" in page.text
    mine = await trader_portal.get("/statistics", params={"group_by": "type"})
    assert "仅显示本企业的申报" in mine.text


async def test_a_window_the_pages_cannot_answer_is_named_with_the_filters_kept(trader_portal: Portal) -> None:
    per_day = {"period": "day", "since": "2026-01-01", "until": "2026-12-01"}
    page = await trader_portal.get("/statistics/clearance-times", params=per_day)
    assert page.status_code == 422
    assert "since: per day, at most 31 days (per month for a longer window)" in page.text
    assert 'value="2026-01-01"' in page.text
    assert 'id="intervals"' not in page.text
    backwards = await trader_portal.get("/statistics", params={"since": "2026-02-01", "until": "2026-01-01"})
    assert backwards.status_code == 422
    assert "since: must not be after until" in backwards.text
