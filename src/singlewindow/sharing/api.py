"""Sharing endpoints: the catalogue, requests and grants, subscribers' queries and the access log."""

import uuid
from collections.abc import Awaitable
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, status
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.kit.pagination import Limit, Offset
from singlewindow.kit.web import DbSession
from singlewindow.sharing import service
from singlewindow.sharing.errors import AccessDenied
from singlewindow.sharing.schemas import (
    AccessLogPage,
    AccessRequestIn,
    AccessRequestOut,
    DataClassIn,
    DataClassOut,
    GrantIn,
    GrantOut,
    ReasonIn,
    RecordPage,
    data_class_out,
    grant_out,
    log_out,
    request_out,
)

router = APIRouter(prefix="/api/v1/sharing", tags=["sharing"])
T = TypeVar("T")


async def logged(session: AsyncSession, work: Awaitable[T]) -> T:
    """A refused attempt is part of the access log: commit its entry, then answer 403."""
    try:
        return await work
    except AccessDenied:
        await session.commit()
        raise


@router.get("/data-classes", response_model=list[DataClassOut])
async def data_classes(
    principal: Annotated[Principal, requires("sharing:read")], session: DbSession
) -> list[DataClassOut]:
    """The catalogue of published data classes, with the catalogue elements each carries."""
    return [data_class_out(c) for c in await service.data_classes(session, principal)]


@router.post("/data-classes", status_code=status.HTTP_201_CREATED, response_model=DataClassOut)
async def publish(
    data: DataClassIn, principal: Annotated[Principal, requires("sharing:publish")], session: DbSession
) -> DataClassOut:
    """Publish a data class of the caller's agency; the code is unique, so a repeat answers 409."""
    published = await service.publish(session, principal, data)
    await session.commit()
    return data_class_out(published)


@router.get("/data-classes/{code}", response_model=DataClassOut)
async def data_class(
    code: str, principal: Annotated[Principal, requires("sharing:read")], session: DbSession
) -> DataClassOut:
    return data_class_out(await service.data_class(session, principal, code))


@router.post("/data-classes/{code}/requests", status_code=status.HTTP_201_CREATED, response_model=AccessRequestOut)
async def request_access(
    code: str,
    data: AccessRequestIn,
    principal: Annotated[Principal, requires("sharing:subscribe")],
    session: DbSession,
) -> AccessRequestOut:
    """Ask the publisher for access; one request per class may wait at a time (a repeat answers 409)."""
    request, data_class = await service.request_access(session, principal, code, data)
    await session.commit()
    return request_out(request, data_class)


@router.get("/data-classes/{code}/records", response_model=RecordPage)
async def records(
    code: str,
    principal: Annotated[Principal, requires("sharing:subscribe")],
    session: DbSession,
    since: Annotated[datetime | None, Query(description="Only records shared at or after this time")] = None,
    enterprise: Annotated[
        str | None, Query(pattern=r"^[0-9A-Z]{18}$", description="Only this enterprise's records (its USCC)")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> RecordPage:
    """Records the caller's live grant covers, projected onto the granted elements; 403 (and logged) without one."""
    held, data_class, items, total = await logged(
        session,
        service.query(session, principal, code, since=since, enterprise=enterprise, limit=limit, offset=offset),
    )
    await session.commit()
    return RecordPage(
        data_class=data_class.code,
        grant_id=held.id,
        expires_at=held.expires_at,
        items=items,
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/requests", response_model=list[AccessRequestOut])
async def my_requests(
    principal: Annotated[Principal, requires("sharing:subscribe")], session: DbSession
) -> list[AccessRequestOut]:
    """The caller's agency's own requests."""
    return [request_out(r, c) for r, c in await service.requests(session, principal, incoming=False)]


@router.get("/requests/incoming", response_model=list[AccessRequestOut])
async def incoming_requests(
    principal: Annotated[Principal, requires("sharing:publish")], session: DbSession
) -> list[AccessRequestOut]:
    """Requests for the caller's agency's data classes, newest first."""
    return [request_out(r, c) for r, c in await service.requests(session, principal, incoming=True)]


@router.post("/requests/{request_id}/grant", status_code=status.HTTP_201_CREATED, response_model=GrantOut)
async def grant(
    request_id: uuid.UUID,
    data: GrantIn,
    principal: Annotated[Principal, requires("sharing:publish")],
    session: DbSession,
) -> GrantOut:
    """Grant a subset of the requested elements, optional filters and an expiry; supersedes an earlier grant."""
    made, data_class = await service.grant(session, principal, request_id, data)
    await session.commit()
    return grant_out(made, data_class, utcnow())


@router.post("/requests/{request_id}/refuse", response_model=AccessRequestOut)
async def refuse(
    request_id: uuid.UUID,
    data: ReasonIn,
    principal: Annotated[Principal, requires("sharing:publish")],
    session: DbSession,
) -> AccessRequestOut:
    refused, data_class = await service.refuse(session, principal, request_id, data.reason)
    await session.commit()
    return request_out(refused, data_class)


@router.get("/grants", response_model=list[GrantOut])
async def grants(principal: Annotated[Principal, requires("sharing:read")], session: DbSession) -> list[GrantOut]:
    """Grants the caller's agency made and holds (the operator sees every grant)."""
    now = utcnow()
    return [grant_out(g, c, now) for g, c in await service.grants(session, principal)]


@router.post("/grants/{grant_id}/revoke", response_model=GrantOut)
async def revoke(
    grant_id: uuid.UUID,
    data: ReasonIn,
    principal: Annotated[Principal, requires("sharing:publish")],
    session: DbSession,
) -> GrantOut:
    """The grant stops working at once, for queries and for pushes."""
    revoked, data_class = await service.revoke(session, principal, grant_id, data.reason)
    await session.commit()
    return grant_out(revoked, data_class, utcnow())


@router.get("/access-log", response_model=AccessLogPage)
async def access_log(
    principal: Annotated[Principal, requires("sharing:log")],
    session: DbSession,
    data_class: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> AccessLogPage:
    """Every query, push and refused attempt on the caller's agency's classes, newest first."""
    entries, total = await service.access_log(session, principal, data_class, limit=limit, offset=offset)
    return AccessLogPage(items=[log_out(e, code) for e, code in entries], total=total, limit=limit, offset=offset)
