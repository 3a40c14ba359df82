"""The simulated agency systems' own HTTP endpoint, where the platform delivers to them."""

import json
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response, status

from singlewindow.errors import NotFound, Unauthorized, Unprocessable
from singlewindow.identity.dependencies import PUBLIC
from singlewindow.kit.web import AppSettings, DbSession
from singlewindow.simulators import service
from singlewindow.simulators.rules import SimulatorRules

router = APIRouter(prefix="/simulators", tags=["simulators"], include_in_schema=False, dependencies=[PUBLIC])


@router.post("/{agency}/messages")
async def receive(
    agency: str,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    authorization: Annotated[str, Header()] = "",
) -> Response:
    simulated = await service.agency(session, agency)
    if simulated is None:
        raise NotFound(f"no simulated agency {agency!r}")
    if not secrets.compare_digest(authorization, f"Bearer {simulated.inbound_token}"):
        raise Unauthorized("wrong token for this agency")
    try:
        message: dict[str, Any] = json.loads(await request.body())
    except json.JSONDecodeError as exc:
        raise Unprocessable(f"not JSON: {exc}") from exc
    rules: SimulatorRules = request.app.state.simulator_rules
    new = await service.receive(
        session, agency, message, rules.for_agency(agency), settings.simulator_inspection_delay_seconds
    )
    await session.commit()
    return Response(status_code=status.HTTP_202_ACCEPTED if new else status.HTTP_200_OK)
