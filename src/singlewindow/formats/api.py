"""Agency responses in UN/EDIFACT CUSRES or WCO DM XML, received like the JSON inbound envelope."""

from typing import Annotated

from fastapi import APIRouter, Header, Request, status
from sqlalchemy.exc import IntegrityError

from singlewindow.exchange import service as exchange
from singlewindow.exchange.errors import SenderMismatch
from singlewindow.exchange.schemas import InboundAck, InboundEnvelope
from singlewindow.formats.parsed import validate
from singlewindow.formats.responses import decode_response
from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange"])
AgencySystem = Annotated[Principal, requires("exchange:inbound")]
_BODIES = {
    "requestBody": {
        "required": True,
        "content": {
            "application/EDIFACT": {"schema": {"type": "string", "description": "a CUSRES interchange (D.96B+)"}},
            "application/xml": {"schema": {"type": "string", "description": "a WCO DM 3.x RES-DMS:2 response"}},
        },
    }
}


@router.post(
    "/inbound/formatted", status_code=status.HTTP_202_ACCEPTED, response_model=InboundAck, openapi_extra=_BODIES
)
async def inbound_formatted(
    request: Request,
    principal: AgencySystem,
    session: DbSession,
    content_type: Annotated[str, Header()] = "",
) -> InboundAck:
    """An agency decision as CUSRES or WCO DM: deduplicated and applied exactly like /inbound."""
    sender = principal.agency
    if not sender:
        raise SenderMismatch("these credentials belong to no agency")
    raw = await request.body()
    envelope = validate(decode_response(content_type, raw), InboundEnvelope)
    ack = await exchange.receive(session, sender, envelope, raw, content_type)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        ack = await exchange.receive(session, sender, envelope, raw, content_type)
    return ack
