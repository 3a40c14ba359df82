"""Statistics endpoints: volumes, rates and clearance times, as JSON, CSV or Excel."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from singlewindow.analytics import export, service
from singlewindow.analytics.schemas import (
    ClearanceQuery,
    ClearanceRow,
    ClearanceTimes,
    RateRow,
    Rates,
    StatisticsQuery,
    VolumeRow,
    Volumes,
)
from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])
Reader = Annotated[Principal, requires("analytics:read")]
_EXPORTS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {export.CSV: {}, export.XLSX: {}},
        "description": "JSON, or a CSV / Excel download with `format=csv|xlsx`",
    }
}


def _download(name: str, fmt: str, rows: list[BaseModel], model: type[BaseModel]) -> Response:
    header, values = export.table(rows, model)
    if fmt == "csv":
        body, media = export.to_csv(header, values), export.CSV
    else:
        body, media = export.to_xlsx(name, header, values), export.XLSX
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/volumes", response_model=Volumes, responses=_EXPORTS)
async def volumes(
    query: Annotated[StatisticsQuery, Query()], principal: Reader, session: DbSession
) -> Volumes | Response:
    """Declarations per group (document type, type, agency, port, trade mode, country) and period.

    Days are UTC days of first submission; outcomes count on that day (a cohort).
    """
    result = await service.volumes(session, principal, query)
    if query.format != "json":
        return _download("volumes", query.format, list(result.rows), VolumeRow)
    return result


@router.get("/rates", response_model=Rates, responses=_EXPORTS)
async def rates(query: Annotated[StatisticsQuery, Query()], principal: Reader, session: DbSession) -> Rates | Response:
    """Inspection, rejection, amendment and release rates: each the share of the group's declarations."""
    result = await service.rates(session, principal, query)
    if query.format != "json":
        return _download("rates", query.format, list(result.rows), RateRow)
    return result


@router.get("/clearance-times", response_model=ClearanceTimes, responses=_EXPORTS)
async def clearance_times(
    query: Annotated[ClearanceQuery, Query()], principal: Reader, session: DbSession
) -> ClearanceTimes | Response:
    """Median, p90 and p99 of each interval from arrival to gate-out (WCO Time Release Study), and the dominant step."""
    result = await service.clearance_times(session, principal, query)
    if query.format != "json":
        return _download("clearance-times", query.format, list(result.rows), ClearanceRow)
    return result
