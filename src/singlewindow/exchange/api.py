"""Exchange endpoints: agencies answer here; operators watch and replay."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Request, status
from sqlalchemy.exc import IntegrityError

from singlewindow.exchange import service
from singlewindow.exchange.errors import SenderMismatch
from singlewindow.exchange.schemas import CounterpartyIn, ExchangeHealth, InboundAck, InboundEnvelope, OutboxOut
from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit import metrics
from singlewindow.kit.pagination import Limit, Offset, Page
from singlewindow.kit.web import DbSession

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange"])
AgencySystem = Annotated[Principal, requires("exchange:inbound")]
ExchangeReader = Annotated[Principal, requires("exchange:read")]
ExchangeOperator = Annotated[Principal, requires("exchange:operate")]


@router.post("/inbound", status_code=status.HTTP_202_ACCEPTED, response_model=InboundAck)
async def inbound(
    envelope: InboundEnvelope, request: Request, principal: AgencySystem, session: DbSession
) -> InboundAck:
    """An agency system's message (decision, inspection result); idempotent on its message id."""
    sender = principal.agency
    if not sender:
        raise SenderMismatch("these credentials belong to no agency")
    raw = await request.body()
    content_type = request.headers.get("content-type", "application/json")
    ack = await service.receive(session, sender, envelope, raw, content_type)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        ack = await service.receive(session, sender, envelope, raw, content_type)
    metrics.INBOUND.labels(sender, str(ack.duplicate).lower()).inc()
    return ack


@router.get("/dead-letters", response_model=Page[OutboxOut])
async def dead_letters(_: ExchangeReader, session: DbSession, limit: Limit = 50, offset: Offset = 0) -> Page[OutboxOut]:
    rows, total = await service.dead_letters(session, limit=limit, offset=offset)
    return Page(items=[OutboxOut.model_validate(m) for m in rows], total=total, limit=limit, offset=offset)


@router.post("/dead-letters/{message_id}/replay", response_model=OutboxOut)
async def replay(message_id: uuid.UUID, principal: ExchangeOperator, session: DbSession) -> OutboxOut:
    message = await service.replay(session, message_id, actor=principal.actor)
    await session.commit()
    return OutboxOut.model_validate(message)


@router.get("/health", response_model=list[ExchangeHealth])
async def health(_: ExchangeReader, session: DbSession) -> list[ExchangeHealth]:
    """Messages pending, retrying, dead-lettered and delivered, per counterparty."""
    return await service.health(session)


@router.get("/counterparties", response_model=list[CounterpartyIn])
async def counterparties(_: ExchangeReader, session: DbSession) -> list[CounterpartyIn]:
    return [
        CounterpartyIn(code=c.code, name=c.name, adapter=c.adapter, endpoint=c.endpoint, enabled=c.enabled)
        for c in await service.counterparties(session)
    ]


@router.put("/counterparties/{code}", response_model=CounterpartyIn)
async def put_counterparty(
    code: str, data: CounterpartyIn, principal: ExchangeOperator, session: DbSession
) -> CounterpartyIn:
    await service.put_counterparty(session, data.model_copy(update={"code": code}), actor=principal.actor)
    await session.commit()
    return data.model_copy(update={"code": code, "auth_token": None})
