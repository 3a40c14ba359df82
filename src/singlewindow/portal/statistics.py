"""Statistics pages: volumes and rates, clearance times, each with its chart and its CSV / Excel download.

The pages call the analytics service, as the API does, so an enterprise sees its own history
and an agency its own agency's rows here too.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from singlewindow.analytics import export, histogram, reporting
from singlewindow.analytics import service as analytics
from singlewindow.analytics.schemas import ClearanceQuery, ClearanceRow, RateRow, StatisticsQuery, VolumeRow, Window
from singlewindow.analytics.timeline import INTERVALS, STEPS
from singlewindow.errors import InvalidData
from singlewindow.kit.web import DbSession
from singlewindow.portal.charts import bar_chart, line_chart
from singlewindow.portal.i18n import N_, translations
from singlewindow.portal.web import User, language, render

router = APIRouter()
GROUPS = {
    "document_type": N_("Document type"),
    "type": N_("Type"),
    "agency": N_("Agency"),
    "port": N_("Port"),
    "trade_mode": N_("Trade mode"),
    "country": N_("Country"),
}
PERIODS = {"day": N_("Day"), "month": N_("Month"), "year": N_("Year")}
INTERVAL_NAMES = {
    "arrival_to_submission": N_("Arrival → declaration"),
    "submission_to_decision": N_("Declaration → agency decisions"),
    "decision_to_payment": N_("Decisions → payment"),
    "payment_to_release": N_("Payment → release"),
    "decision_to_release": N_("Decisions → release"),
    "release_to_gate_out": N_("Release → gate-out"),
    "submission_to_release": N_("Declaration → release"),
    "arrival_to_release": N_("Arrival → release"),
    "arrival_to_gate_out": N_("Arrival → gate-out"),
}
assert set(INTERVAL_NAMES) == set(INTERVALS), "every interval has a name on the page"
ERROR_PERCENT = f"{histogram.RELATIVE_ERROR * 100:.1f}"


def duration(seconds: float | None) -> str:
    """Days and h:mm:ss, the same in every language."""
    if seconds is None:
        return ""
    whole = round(seconds)
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3_600)
    clock = f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{days}d {clock}" if days else clock


def _download(name: str, fmt: str, rows: list[BaseModel], model: type[BaseModel]) -> Response:
    header, values = export.table(rows, model)
    body, media = (
        (export.to_csv(header, values), export.CSV)
        if fmt == "csv"
        else (export.to_xlsx(name, header, values), export.XLSX)
    )
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _refused(request: Request, template: str, query: Window, exc: InvalidData, **context: Any) -> HTMLResponse:
    """The page again with the filters as given and what is wrong with them, nothing else (422)."""
    problems = [f"{e['loc'].removeprefix('$.query.')}: {e['msg']}" for e in exc.errors]
    return render(
        request, template, status_code=422, query=query, result=None, problems=problems, periods=PERIODS, **context
    )


@router.get("/statistics", response_class=HTMLResponse)
async def statistics(
    request: Request, user: User, session: DbSession, query: Annotated[StatisticsQuery, Query()]
) -> Response:
    try:
        volumes = await analytics.volumes(session, user.principal, query)
    except InvalidData as exc:
        return _refused(request, "statistics.html", query, exc, groups=GROUPS, reporting_zone=reporting.zone().key)
    if query.format != "json":
        return _download("volumes", query.format, list(volumes.rows), VolumeRow)
    rates = await analytics.rates(session, user.principal, query)
    gettext = translations(language(request)).gettext
    totals: dict[str, float] = {}
    per_period: dict[str, float] = {}
    for row in volumes.rows:
        totals[row.value] = totals.get(row.value, 0) + row.declarations
        per_period[row.period] = per_period.get(row.period, 0) + row.declarations
    bars = sorted(totals.items(), key=lambda item: -item[1])[:20]
    return render(
        request,
        "statistics.html",
        query=query,
        result=volumes,
        rates=rates.rows,
        groups=GROUPS,
        periods=PERIODS,
        bars=bar_chart(gettext("Declarations by %(group)s") % {"group": gettext(GROUPS[query.group_by])}, bars),
        trend=line_chart(gettext("Declarations per period"), sorted(per_period.items())) if query.period else None,
        reporting_zone=reporting.zone().key,
        problems=[],
    )


@router.get("/statistics/rates")
async def rates_download(user: User, session: DbSession, query: Annotated[StatisticsQuery, Query()]) -> Response:
    rates = await analytics.rates(session, user.principal, query)
    return _download("rates", "xlsx" if query.format == "xlsx" else "csv", list(rates.rows), RateRow)


@router.get("/statistics/clearance-times", response_class=HTMLResponse)
async def clearance_times(
    request: Request, user: User, session: DbSession, query: Annotated[ClearanceQuery, Query()]
) -> Response:
    try:
        result = await analytics.clearance_times(session, user.principal, query)
    except InvalidData as exc:
        return _refused(request, "clearance_times.html", query, exc, error_percent=ERROR_PERCENT)
    if query.format != "json":
        return _download("clearance-times", query.format, list(result.rows), ClearanceRow)
    gettext = translations(language(request)).gettext
    steps = [r for r in result.rows if r.interval in STEPS and r.agency == "*" and r.median_seconds is not None]
    first = steps[0] if steps else None
    shown = [r for r in steps if first and (r.period, r.port) == (first.period, first.port)]
    chart = bar_chart(
        gettext("Median hours per step"),
        [(gettext(INTERVAL_NAMES[r.interval]), round((r.median_seconds or 0) / 3_600, 2)) for r in shown],
        unit=" h",
    )
    return render(
        request,
        "clearance_times.html",
        query=query,
        result=result,
        names=INTERVAL_NAMES,
        periods=PERIODS,
        chart=chart,
        duration=duration,
        error_percent=ERROR_PERCENT,
        problems=[],
    )
