"""Agency officers publish a data class of their agency and query the data a live grant gives them.

Like the other sharing pages, these call the sharing services; a refused query is logged
(its entry committed) and shown as a page saying why, with status 403.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from singlewindow.catalogue import service as catalogue
from singlewindow.errors import InvalidData
from singlewindow.kit.web import DbSession
from singlewindow.portal.i18n import N_
from singlewindow.portal.sharing import PAGE_SIZE, element_names, form_problems
from singlewindow.portal.web import Officer, flash, language, render
from singlewindow.sharing import service as sharing
from singlewindow.sharing.errors import AccessDenied
from singlewindow.sharing.models import DataClass, Source
from singlewindow.sharing.projection import leaf_paths, values_at
from singlewindow.sharing.schemas import DataClassIn, SharedRecordOut

router = APIRouter(prefix="/sharing")


@router.get("/publish", response_class=HTMLResponse)
async def publish_form(request: Request, user: Officer) -> HTMLResponse:
    return _publish_page(request, problems=[], given={})


def _publish_page(request: Request, problems: list[str], given: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    lang = language(request)
    types = [(t.code, t.name_en if lang == "en" else t.name_zh) for t in catalogue.list_document_types()]
    return render(
        request,
        "sharing/publish.html",
        status_code=status_code,
        sources=list(Source),
        document_types=types,
        elements=sorted(element_names(lang).items()),
        problems=problems,
        given=given,
    )


@router.post("/publish")
async def publish(
    request: Request,
    user: Officer,
    session: DbSession,
    code: Annotated[str, Form(max_length=40)] = "",
    name_zh: Annotated[str, Form(max_length=100)] = "",
    name_en: Annotated[str, Form(max_length=200)] = "",
    description: Annotated[str, Form(max_length=1000)] = "",
    source: Annotated[str, Form(max_length=30)] = "",
    document_type: Annotated[list[str] | None, Form()] = None,
    element: Annotated[list[str] | None, Form()] = None,
) -> Response:
    given: dict[str, Any] = {"code": code, "name_zh": name_zh, "name_en": name_en, "description": description}
    given |= {"source": source, "document_types": document_type or [], "elements": element or []}
    try:
        await sharing.publish(session, user.principal, DataClassIn.model_validate(given))
    except (ValidationError, InvalidData) as exc:
        return _publish_page(request, form_problems(exc), given, status_code=422)
    await session.commit()
    flash(request, N_("Data class published."))
    return RedirectResponse(f"{request.scope.get('root_path', '')}/sharing#class-{code}", status_code=303)


def _rows(record: SharedRecordOut, data_class: DataClass) -> list[tuple[str, str, str]]:
    """``(element, path, values)`` of each granted field the record holds, in document order."""
    elements = dict(data_class.fields.get(record.document_type, []))
    paths = dict.fromkeys(leaf_paths(record.data))
    return [(elements.get(path, ""), path, ", ".join(str(v) for v in values_at(record.data, path))) for path in paths]


@router.get("/{code}/records", response_class=HTMLResponse)
async def records(
    request: Request,
    code: str,
    user: Officer,
    session: DbSession,
    enterprise: Annotated[str, Query(max_length=18)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """The records our live grant on ``code`` covers, only the granted fields; optionally one enterprise's."""
    wanted = enterprise.strip().upper() or None
    try:
        held, data_class, items, total = await sharing.query(
            session, user.principal, code, enterprise=wanted, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
    except AccessDenied as exc:
        await session.commit()
        return render(request, "sharing/records.html", status_code=403, code=code, denied=exc.detail, enterprise="")
    await session.commit()
    return render(
        request,
        "sharing/records.html",
        code=code,
        denied=None,
        data_class=data_class,
        held=held,
        records=[(item, _rows(item, data_class)) for item in items],
        names=element_names(language(request)),
        enterprise=wanted or "",
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        query={"enterprise": wanted} if wanted else {},
    )
