"""Trader pages: dashboard, declaration form (live validation, look-ups, drafts, copy, upload), list, detail."""

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from singlewindow.catalogue import document_types
from singlewindow.catalogue import service as catalogue
from singlewindow.declarations import documents
from singlewindow.declarations import repository as declarations_read
from singlewindow.declarations import service as declarations
from singlewindow.declarations.lifecycle import AMENDABLE, CANCELLABLE, FINAL, DeclarationStatus
from singlewindow.errors import InvalidData
from singlewindow.exchange import service as exchange
from singlewindow.identity.permissions import allowed
from singlewindow.kit.web import AppSettings, DbSession
from singlewindow.notifications import service as notifications
from singlewindow.payments import service as payments
from singlewindow.payments.models import OrderStatus
from singlewindow.portal import attachments, brokers, forms, uploads
from singlewindow.portal import service as drafts
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import Client, PortalUser, Trader, User, acting_as, day, flash, remember_acting, render

router = APIRouter()
PAGE_SIZE = 20
NEEDS_ACTION = (DeclarationStatus.REJECTED, DeclarationStatus.INSPECTION)
CONTROL_FIELDS = frozenset({"csrf_token", "action", "draft_id", "submission_key", "_field", "on_behalf_of"})


def _base(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def _raw_values(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.multi_items() if isinstance(v, str) and k not in CONTROL_FIELDS}


def _form_page(
    request: Request,
    values: dict[str, str],
    *,
    errors: dict[str, list[str]] | None = None,
    action: str,
    draft_id: str = "",
    extra_rows: dict[str, int] | None = None,
    title: str = N_("New declaration"),
    status_code: int = 200,
    clients: list[Client] | None = None,
) -> HTMLResponse:
    extra = extra_rows or {}
    rows = {
        g.name: max(forms.rows_typed(values, g.name) + extra.get(g.name, 0), 1 if g.name == "goods" else 0)
        for g in forms.layout()
        if g.repeating
    }
    return render(
        request,
        "declaration_form.html",
        status_code=status_code,
        groups=forms.layout(),
        values=values,
        errors=errors or {},
        rows=rows,
        form_action=action,
        draft_id=draft_id,
        submission_key=str(uuid.uuid4()),
        title=title,
        suffixes=uploads.accepted_suffixes(),
        clients=clients or [],
    )


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, user: Trader, session: DbSession) -> HTMLResponse:
    principal = user.principal
    needing: list[Any] = []
    for status in NEEDS_ACTION:
        rows, _ = await declarations_read.search(
            session, principal, declarations_read.Filters(status=status), limit=10, offset=0
        )
        needing.extend(rows)
    recent, total = await declarations_read.search(session, principal, declarations_read.Filters(), limit=10, offset=0)
    recent.sort(key=lambda d: d.updated_at, reverse=True)
    delegations = await brokers.delegations_of(session, user)
    unpaid = (
        await payments.orders(session, principal, status=OrderStatus.AWAITING_PAYMENT, limit=10)
        if allowed(principal, "payment:read")
        else []
    )
    undelivered = (
        await notifications.undelivered(session, principal, limit=10) if allowed(principal, "webhook:read") else None
    )
    return render(
        request,
        "dashboard.html",
        unpaid=unpaid,
        undelivered=undelivered,
        needing=needing,
        recent=recent,
        total=total,
        drafts=await drafts.drafts_of(session, principal, limit=10),
        clients=delegations.active_clients,
        brokers=[v for v in delegations.brokers if v.active] if user.acting_for is None else [],
        notifications=await notifications.portal_notifications(session, principal, unread_only=True, limit=10),
    )


@router.get("/declarations", response_class=HTMLResponse)
async def declaration_list(
    request: Request,
    user: User,
    session: DbSession,
    status: Annotated[DeclarationStatus | None, Query()] = None,
    type: Annotated[str | None, Query(pattern="^(import|export)?$")] = None,
    reference: Annotated[str | None, Query(max_length=35)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    filters = declarations_read.Filters(status, type or None, reference or None, day(date_from), day(date_to, end=True))
    rows, total = await declarations_read.search(
        session, user.principal, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    query = {
        "status": status.value if status else "",
        "type": type or "",
        "reference": reference or "",
        "from": date_from.isoformat() if date_from else "",
        "to": date_to.isoformat() if date_to else "",
    }
    return render(
        request,
        "declaration_list.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        query=query,
        statuses=list(DeclarationStatus),
    )


@router.get("/declarations/new", response_class=HTMLResponse)
async def new_declaration(
    request: Request,
    user: Trader,
    session: DbSession,
    copy: uuid.UUID | None = None,
    draft: uuid.UUID | None = None,
) -> HTMLResponse:
    """An empty form, a copy of an earlier declaration (new reference to type), or a saved draft."""
    values: dict[str, str] = {}
    draft_id = ""
    if copy:
        source = await declarations.read(session, user.principal, copy)
        values = forms.to_form({**source.data, "reference": ""})
    elif draft:
        saved = await drafts.get_draft(session, user.principal, draft)
        values, draft_id = forms.to_form(saved.data), str(saved.id)
    clients = (await brokers.delegations_of(session, user)).active_clients
    return _form_page(request, values, action=f"{_base(request)}/declarations/new", draft_id=draft_id, clients=clients)


@router.post("/declarations/validate", response_class=HTMLResponse)
async def validate_field(request: Request, user: Trader, settings: AppSettings) -> HTMLResponse:
    """htmx: the API's messages for one field, swapped out-of-band into its error slot."""
    form = await request.form()
    field = str(form.get("_field", ""))
    document = forms.to_document(_raw_values(form).items())
    _, problems = forms.validate(document, settings.country)
    shown = forms.errors_by_input(problems, document)
    names = {field} | ({field.rsplit(".", 1)[0] + ".net_weight_kg"} if field.endswith("_weight_kg") else set())
    return render(request, "fragments/field_errors.html", names=sorted(names), errors=shown)


@router.get("/codes/{name}", response_class=HTMLResponse)
def code_search(request: Request, user: User, name: str) -> HTMLResponse:
    """Search-as-you-type: the typed text arrives under the input's own name, which ``_field`` tells.

    A plain ``def``, so FastAPI runs it in its thread pool: the first search of a large list
    (UN/LOCODE) builds its index for about a second and must not stall the event loop.
    """
    text = request.query_params.get(request.query_params.get("_field", ""), "") or request.query_params.get("q", "")
    entries = catalogue.search_codes(name, text, limit=15)
    return render(request, "fragments/code_options.html", entries=entries)


async def _submit(
    request: Request,
    user: Trader,
    session: DbSession,
    settings: AppSettings,
    form: FormData,
    declaration_id: uuid.UUID | None,
    clients: list[Client] | None = None,
) -> Response:
    values = _raw_values(form)
    document = forms.to_document(values.items())
    data, problems = forms.validate(document, settings.country)
    action_url = (
        f"{_base(request)}/declarations/{declaration_id}/amend"
        if declaration_id
        else f"{_base(request)}/declarations/new"
    )
    if data is None:
        return _form_page(
            request,
            values,
            errors=forms.errors_by_input(problems, document),
            action=action_url,
            draft_id=str(form.get("draft_id", "")),
            status_code=422,
            clients=clients,
        )
    try:
        if declaration_id:
            declaration = await declarations.amend(
                session,
                user.principal,
                declaration_id,
                documents.cargo(data, settings.country),
                country=settings.country,
            )
        else:
            key = str(form.get("submission_key", "")) or None
            accepted = await declarations.submit(
                session, user.principal, documents.cargo(data, settings.country), idempotency_key=key
            )
            declaration = accepted.declaration
    except InvalidData as exc:
        await session.rollback()
        return _form_page(
            request,
            values,
            errors=forms.errors_by_input(exc.errors, document),
            action=action_url,
            status_code=422,
            clients=clients,
        )
    draft_id = str(form.get("draft_id", ""))
    if draft_id:
        await drafts.discard_draft(session, user.principal, uuid.UUID(draft_id))
    await session.commit()
    flash(request, N_("Declaration amended.") if declaration_id else N_("Declaration submitted."))
    return RedirectResponse(f"{_base(request)}/declarations/{declaration.id}", status_code=303)


def _row_action(action: str) -> tuple[str, str, int]:
    verb, _, rest = action.partition(":")
    group, _, row = rest.partition(":")
    return verb, group, int(row) if row.isdigit() else -1


def _without_row(values: dict[str, str], group: str, row: int) -> dict[str, str]:
    kept: dict[str, str] = {}
    for key, value in values.items():
        parts = key.split(".")
        if parts[0] == group and len(parts) > 2 and parts[1].isdigit():
            index = int(parts[1])
            if index == row:
                continue
            if index > row:
                key = ".".join([group, str(index - 1), *parts[2:]])
        kept[key] = value
    return kept


@router.post("/declarations/new", response_class=HTMLResponse)
async def post_declaration(request: Request, user: Trader, session: DbSession, settings: AppSettings) -> Response:
    """One form, several buttons: submit, save as draft, add or remove a row (works without JavaScript).

    A customs broker picks in the form whom it declares for; the choice is checked by identity
    and kept for the next pages, so the declaration it lands on is shown acting for that client.
    """
    form = await request.form()
    action = str(form.get("action", "submit"))
    values = _raw_values(form)
    url = f"{_base(request)}/declarations/new"
    verb, group, row = _row_action(action)
    clients = (await brokers.delegations_of(session, user)).active_clients
    user = await _declaring_for(request, session, user, form)
    draft_id = str(form.get("draft_id", ""))
    if verb == "add":
        return _form_page(request, values, action=url, draft_id=draft_id, extra_rows={group: 1}, clients=clients)
    if verb == "remove":
        return _form_page(request, _without_row(values, group, row), action=url, draft_id=draft_id, clients=clients)
    if action == "draft":
        raw_id = str(form.get("draft_id", ""))
        draft = await drafts.save_draft(
            session, user.principal, forms.to_document(values.items()), uuid.UUID(raw_id) if raw_id else None
        )
        await session.commit()
        flash(request, N_("Draft saved."))
        return RedirectResponse(f"{url}?draft={draft.id}", status_code=303)
    return await _submit(request, user, session, settings, form, None, clients)


async def _declaring_for(request: Request, session: DbSession, user: PortalUser, form: FormData) -> PortalUser:
    """The enterprise chosen in the form (own: empty), when the form offers the choice."""
    if "on_behalf_of" not in form:
        return user
    chosen = str(form["on_behalf_of"]).strip() or None
    if chosen == (user.acting_for.uscc if user.acting_for else None):
        return user
    user = await acting_as(session, user, chosen)
    remember_acting(request, user)
    return user


@router.post("/declarations/upload", response_class=HTMLResponse)
async def upload(
    request: Request, user: Trader, session: DbSession, settings: AppSettings, file: Annotated[UploadFile, File()]
) -> HTMLResponse:
    """A file instead of typing: the form opens filled in, with any problems already shown."""
    document = uploads.parse_upload(file.filename or "", await file.read())
    _, problems = forms.validate(document, settings.country)
    values = forms.to_form(document)
    return _form_page(
        request,
        values,
        errors=forms.errors_by_input(problems, document) if problems else {},
        action=f"{_base(request)}/declarations/new",
        clients=(await brokers.delegations_of(session, user)).active_clients,
    )


@router.post("/drafts/{draft_id}/discard")
async def discard(request: Request, draft_id: uuid.UUID, user: Trader, session: DbSession) -> Response:
    await drafts.discard_draft(session, user.principal, draft_id)
    await session.commit()
    flash(request, N_("Draft discarded."))
    return RedirectResponse(f"{_base(request)}/dashboard", status_code=303)


async def _detail_context(session: DbSession, user: User, declaration_id: uuid.UUID) -> dict[str, Any]:
    view = await declarations.view(session, user.principal, declaration_id)
    cargo = view["document_type"] == documents.CARGO
    return {
        "d": view,
        "document_type": document_types.get(view["document_type"]),
        "final": view["status"] in FINAL,
        "can_amend": user.principal.is_enterprise and cargo and view["status"] in AMENDABLE,
        "can_copy": user.principal.is_enterprise and cargo,
        "can_cancel": user.principal.is_enterprise and view["status"] in CANCELLABLE,
    }


@router.get("/declarations/{declaration_id}", response_class=HTMLResponse)
async def detail(request: Request, declaration_id: uuid.UUID, user: User, session: DbSession) -> HTMLResponse:
    context = await _detail_context(session, user, declaration_id)
    outbound, inbound = await exchange.messages_about(session, declaration_id)
    view = context["d"]
    return render(
        request,
        "declaration_detail.html",
        cited=attachments.cited(view["document_type"], view["data"]) if view["data"] else [],
        produced=await attachments.produced(session, user.principal, declaration_id, view["document_type"]),
        events=await declarations_read.events(session, declaration_id),
        outbound=[m for m in outbound if not m.destination.startswith("webhook:")],
        inbound=inbound,
        elements=forms.layout(context["d"]["document_type"]),
        **context,
    )


@router.get("/declarations/{declaration_id}/status", response_class=HTMLResponse)
async def status_panel(request: Request, declaration_id: uuid.UUID, user: User, session: DbSession) -> HTMLResponse:
    """htmx polls this until the declaration is final; without JavaScript, reload the page."""
    return render(request, "fragments/status_panel.html", **await _detail_context(session, user, declaration_id))


@router.get("/declarations/{declaration_id}/amend", response_class=HTMLResponse)
async def amend_form(request: Request, declaration_id: uuid.UUID, user: Trader, session: DbSession) -> HTMLResponse:
    declaration = await declarations.read(session, user.principal, declaration_id)
    return _form_page(
        request,
        forms.to_form(declaration.data),
        action=f"{_base(request)}/declarations/{declaration_id}/amend",
        title=N_("Amend declaration"),
    )


@router.post("/declarations/{declaration_id}/amend", response_class=HTMLResponse)
async def amend(
    request: Request, declaration_id: uuid.UUID, user: Trader, session: DbSession, settings: AppSettings
) -> Response:
    form = await request.form()
    verb, group, row = _row_action(str(form.get("action", "submit")))
    url = f"{_base(request)}/declarations/{declaration_id}/amend"
    if verb == "add":
        return _form_page(request, _raw_values(form), action=url, extra_rows={group: 1}, title=N_("Amend declaration"))
    if verb == "remove":
        values = _without_row(_raw_values(form), group, row)
        return _form_page(request, values, action=url, title=N_("Amend declaration"))
    return await _submit(request, user, session, settings, form, declaration_id)


@router.post("/declarations/{declaration_id}/cancel")
async def cancel(
    request: Request,
    declaration_id: uuid.UUID,
    user: Trader,
    session: DbSession,
    reason: Annotated[str, Form(min_length=1, max_length=500)],
) -> Response:
    await declarations.cancel(session, user.principal, declaration_id, reason)
    await session.commit()
    flash(request, N_("Declaration cancelled."))
    return RedirectResponse(f"{_base(request)}/declarations/{declaration_id}", status_code=303)
