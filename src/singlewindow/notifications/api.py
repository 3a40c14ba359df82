"""Webhook subscription endpoints."""

import uuid
from typing import Annotated

from fastapi import APIRouter, status

from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession
from singlewindow.notifications import service
from singlewindow.notifications.schemas import WebhookCreate, WebhookCreated, WebhookOut

router = APIRouter(prefix="/api/v1/webhooks", tags=["notifications"])
WebhookManager = Annotated[Principal, requires("webhook:manage")]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=WebhookCreated)
async def subscribe(data: WebhookCreate, principal: WebhookManager, session: DbSession) -> WebhookCreated:
    """Receive every status change, signed (header SW-Signature: t=<unix>,v1=<HMAC-SHA256 hex>)."""
    webhook = await service.subscribe(session, principal, data)
    await session.commit()
    return WebhookCreated(**WebhookOut.model_validate(webhook).model_dump(), secret=webhook.secret)


@router.get("", response_model=list[WebhookOut])
async def list_webhooks(
    principal: Annotated[Principal, requires("webhook:read")], session: DbSession
) -> list[WebhookOut]:
    return [WebhookOut.model_validate(w) for w in await service.webhooks_of(session, principal)]


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(webhook_id: uuid.UUID, principal: WebhookManager, session: DbSession) -> None:
    await service.unsubscribe(session, principal, webhook_id)
    await session.commit()
