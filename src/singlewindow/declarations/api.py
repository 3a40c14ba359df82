"""Declaration endpoints: submit once, follow one status, amend or cancel before release."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.declarations import documents, repository, service
from singlewindow.declarations.intake import OPENAPI_BODIES, DeclarationFormatsRoute
from singlewindow.declarations.lifecycle import DeclarationStatus
from singlewindow.declarations.schemas import (
    CancelRequest,
    CargoDeclaration,
    DeclarationList,
    DeclarationOut,
    DeclarationSummary,
    EventOut,
)
from singlewindow.exchange import service as exchange
from singlewindow.exchange.schemas import InboxOut, MessageArchive, OutboxOut
from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.pagination import Limit, Offset
from singlewindow.kit.web import AppSettings, DbSession

router = APIRouter(prefix="/api/v1/declarations", tags=["declarations"], route_class=DeclarationFormatsRoute)
Declarant = Annotated[Principal, requires("declaration:submit")]
Reader = Annotated[Principal, requires("declaration:read")]
DOCUMENT_TYPE_PATTERN = "^[a-z][a-z_]{1,39}$"
DOCUMENT_BODY = "The document as JSON; its schema is GET /api/v1/catalogue/document-types/{document_type}/schema"
IdempotencyHeader = Annotated[
    str | None, Header(alias="Idempotency-Key", max_length=255, description="Repeat a request safely")
]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DeclarationOut, openapi_extra=OPENAPI_BODIES)
async def submit(
    data: CargoDeclaration,
    principal: Declarant,
    session: DbSession,
    settings: AppSettings,
    response: Response,
    idempotency_key: IdempotencyHeader = None,
) -> DeclarationOut | Response:
    """Submit one cargo declaration; it is routed to every agency that must act on it.

    With an ``Idempotency-Key``, a repeat of the same body gets the first response again
    (same status and body, plus ``Idempotent-Replayed: true``); another body under the key is 422.
    """
    document = documents.cargo(data, settings.country)
    return await _submitted(session, principal, document, response, idempotency_key)


@router.post(
    "/{document_type}",
    status_code=status.HTTP_201_CREATED,
    response_model=DeclarationOut,
    responses={404: {"description": "No such document type"}},
)
async def submit_document(
    document_type: Annotated[str, Path(pattern=DOCUMENT_TYPE_PATTERN, max_length=40)],
    body: Annotated[dict[str, Any], Body(description=DOCUMENT_BODY)],
    principal: Declarant,
    session: DbSession,
    settings: AppSettings,
    response: Response,
    idempotency_key: IdempotencyHeader = None,
) -> DeclarationOut | Response:
    """Submit a document of any catalogue type (manifest, vessel declaration, licence application, ...).

    It takes the same path as a cargo declaration: validated against its document type, routed
    by the rules for that type, one derived message per agency, one consolidated status.
    """
    document = documents.accept(document_type, body, settings.country)
    return await _submitted(session, principal, document, response, idempotency_key)


async def _submitted(
    session: AsyncSession,
    principal: Principal,
    document: documents.Document,
    response: Response,
    idempotency_key: str | None,
) -> DeclarationOut | Response:
    accepted = await service.submit(session, principal, document, idempotency_key=idempotency_key)
    if idempotency_key:
        return await _idempotent_response(session, principal, idempotency_key, accepted)
    await session.commit()
    assert accepted.view is not None, "a new declaration comes with its view"
    location = {"Location": f"{router.prefix}/{accepted.declaration.id}"}
    return Response(_json(accepted.view), status.HTTP_201_CREATED, location, media_type="application/json")


def _json(view: dict[str, Any]) -> bytes:
    """The body FastAPI would render for ``DeclarationOut``, without its second validation pass."""
    return DeclarationOut.model_validate(view).model_dump_json().encode()


async def _idempotent_response(
    session: AsyncSession, principal: Principal, key: str, accepted: service.Accepted
) -> Response:
    headers = {"Location": f"{router.prefix}/{accepted.declaration.id}"}
    stored = await service.stored_response(session, principal, key) if accepted.replayed else None
    if stored is not None:
        status_code, body = stored
    else:
        view = accepted.view or await service.view(session, principal, accepted.declaration.id)
        body = _json(view)
        status_code = status.HTTP_200_OK if accepted.replayed else status.HTTP_201_CREATED  # 200: no kept response
        if not accepted.replayed:
            await service.remember_response(session, principal, key, status_code, body)
    await session.commit()
    if accepted.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(body, status_code=status_code, headers=headers, media_type="application/json")


@router.get("", response_model=DeclarationList)
async def list_declarations(
    principal: Reader,
    session: DbSession,
    status_: Annotated[DeclarationStatus | None, Query(alias="status")] = None,
    type_: Annotated[str | None, Query(alias="type", max_length=16, description="import, export, A, D, ...")] = None,
    document_type: Annotated[str | None, Query(pattern=DOCUMENT_TYPE_PATTERN, max_length=40)] = None,
    reference: Annotated[str | None, Query(max_length=35)] = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> DeclarationList:
    filters = repository.Filters(status_, type_, reference, created_from, created_to, document_type)
    rows, total = await repository.search(session, principal, filters, limit=limit, offset=offset)
    items = [DeclarationSummary.model_validate(d) for d in rows]
    return DeclarationList(items=items, total=total, limit=limit, offset=offset)


@router.get("/{declaration_id}", response_model=DeclarationOut)
async def get_declaration(declaration_id: uuid.UUID, principal: Reader, session: DbSession) -> DeclarationOut:
    return DeclarationOut.model_validate(await service.view(session, principal, declaration_id))


@router.put("/{declaration_id}", response_model=DeclarationOut, openapi_extra=OPENAPI_BODIES)
async def amend(
    declaration_id: uuid.UUID,
    body: Annotated[dict[str, Any], Body(description=DOCUMENT_BODY)],
    principal: Declarant,
    session: DbSession,
    settings: AppSettings,
) -> DeclarationOut:
    """Amend before release: a new revision of the same document type, routed again; older decisions lapse."""
    await service.amend(session, principal, declaration_id, body, country=settings.country)
    await session.commit()
    return DeclarationOut.model_validate(await service.view(session, principal, declaration_id))


@router.post("/{declaration_id}/cancel", response_model=DeclarationOut)
async def cancel(
    declaration_id: uuid.UUID, body: CancelRequest, principal: Declarant, session: DbSession
) -> DeclarationOut:
    await service.cancel(session, principal, declaration_id, body.reason)
    await session.commit()
    return DeclarationOut.model_validate(await service.view(session, principal, declaration_id))


@router.get("/{declaration_id}/events", response_model=list[EventOut])
async def events(declaration_id: uuid.UUID, principal: Reader, session: DbSession) -> list[EventOut]:
    """The timeline: submission, each agency's decision, each status change."""
    declaration = await service.read(session, principal, declaration_id)
    return [EventOut.model_validate(e) for e in await repository.events(session, declaration.id)]


@router.get("/{declaration_id}/messages", response_model=MessageArchive)
async def messages(declaration_id: uuid.UUID, principal: Reader, session: DbSession) -> MessageArchive:
    """Every message exchanged about the declaration, with its SHA-256."""
    declaration = await service.read(session, principal, declaration_id)
    outbound, inbound = await exchange.messages_about(session, declaration.id)
    return MessageArchive(
        outbound=[OutboxOut.model_validate(m) for m in outbound if not m.destination.startswith("webhook:")],
        inbound=[InboxOut.model_validate(m) for m in inbound],
    )
