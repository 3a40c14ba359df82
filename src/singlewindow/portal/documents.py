"""Every other catalogue document type, filled in the portal: the form is the type's definition.

The cargo declaration has its own richer form (drafts, copies, uploads); a manifest, a vessel
movement, a licence or origin-certificate application or an export tax refund application is
entered here, validated by the same ``documents.accept`` as the API, and submitted through
the same service, so the portal and the API can never disagree about what is valid.
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from singlewindow.catalogue import document_types
from singlewindow.declarations import documents
from singlewindow.declarations import service as declarations
from singlewindow.declarations.errors import NotAllowedNow
from singlewindow.errors import InvalidData
from singlewindow.kit.web import AppSettings, DbSession
from singlewindow.portal import forms
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import Trader, flash, render

router = APIRouter()
DocumentType = Annotated[str, Path(pattern="^[a-z][a-z_]{1,39}$")]
CONTROL_FIELDS = frozenset({"csrf_token", "action", "submission_key"})


def _other_types() -> list[tuple[document_types.DocumentType, bool]]:
    """Each other type, and whether the portal's flat form can hold it."""
    types = document_types.document_types().items()
    return [(t, forms.fillable(code)) for code, t in types if code != documents.CARGO]


def _page(
    request: Request,
    document_type: str,
    values: dict[str, str],
    *,
    errors: dict[str, list[str]] | None = None,
    add: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    groups = forms.layout(document_type)
    rows = {
        g.name: max(forms.rows_typed(values, g.name), 1) + (1 if g.name == add else 0) for g in groups if g.repeating
    }
    return render(
        request,
        "document_form.html",
        status_code=status_code,
        document_type=document_types.get(document_type),
        groups=groups,
        values=values,
        errors=errors or {},
        rows=rows,
        submission_key=str(uuid.uuid4()),
    )


@router.get("/documents", response_class=HTMLResponse)
async def index(request: Request, user: Trader) -> HTMLResponse:
    return render(request, "documents.html", types=_other_types())


@router.get("/documents/{document_type}/new", response_class=HTMLResponse)
async def new(request: Request, document_type: DocumentType, user: Trader) -> Response:
    code = document_types.get(document_type).code
    if code == documents.CARGO or not forms.fillable(code):
        target = "/declarations/new" if code == documents.CARGO else "/documents"
        return RedirectResponse(f"{request.scope.get('root_path', '')}{target}", status_code=303)
    return _page(request, code, {})


@router.post("/documents/{document_type}/new", response_class=HTMLResponse)
async def submit(
    request: Request, document_type: DocumentType, user: Trader, session: DbSession, settings: AppSettings
) -> Response:
    code = document_types.get(document_type).code
    if not forms.fillable(code):
        raise NotAllowedNow(f"a {code} is submitted as a file or through the API")
    form = await request.form()
    values = {k: v for k, v in form.multi_items() if isinstance(v, str) and k not in CONTROL_FIELDS}
    action = str(form.get("action", "submit"))
    if action.startswith("add:"):
        return _page(request, code, values, add=action.removeprefix("add:"))
    document = forms.to_document(values.items(), code)
    try:
        accepted = await declarations.submit(
            session,
            user.principal,
            documents.accept(code, document, settings.country),
            idempotency_key=str(form.get("submission_key", "")) or None,
        )
    except InvalidData as exc:
        await session.rollback()
        errors = forms.errors_by_input(exc.errors, document, code)
        return _page(request, code, values, errors=errors, status_code=422)
    await session.commit()
    flash(request, N_("Declaration submitted."))
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/declarations/{accepted.declaration.id}", status_code=303)
