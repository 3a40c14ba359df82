"""Publish data classes, request and grant access, and query only what a live grant allows.

Sharing is the rule between agencies, but never without a grant: every query checks the
subscriber's grant at that moment (revoked or expired grants stop at once), projects each
record onto the granted elements, filters records by the grant's filters, and logs the
access, refused attempts included. Services flush; the edge commits (and commits a refused
attempt's log entry before answering 403).
"""

import json
import uuid
from datetime import datetime, timedelta
from importlib.resources import files
from typing import Any

from pydantic_core import ErrorDetails
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.catalogue import service as catalogue
from singlewindow.errors import InvalidData
from singlewindow.exchange import service as exchange
from singlewindow.identity import service as identity
from singlewindow.identity.models import PartyKind
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.sharing import feed, repository
from singlewindow.sharing.errors import (
    AccessDenied,
    AlreadyDecided,
    AlreadyRequested,
    AlreadyRevoked,
    DataClassNotFound,
    DuplicateDataClass,
    GrantNotFound,
    NotAnAgency,
    NotThePublisher,
    OwnDataClass,
    RequestNotFound,
)
from singlewindow.sharing.models import (
    AccessLogEntry,
    AccessRequest,
    Channel,
    DataClass,
    Grant,
    RequestStatus,
    Source,
)
from singlewindow.sharing.schemas import AccessRequestIn, DataClassIn, GrantIn, SharedRecordOut
from singlewindow.sharing.sources import FILTERS, document_types_of, field_map, filter_problem, known_document_type

DEMO_ACTOR = uuid.UUID(int=1)
"""The user id the demo's agencies act as when ``singlewindow demo`` publishes and grants."""


def _error(loc: tuple[str | int, ...], msg: str) -> ErrorDetails:
    return ErrorDetails(type="sharing", loc=loc, msg=msg, input=None)


def agency_of(principal: Principal) -> str:
    if principal.party_kind is not PartyKind.AGENCY or not principal.agency:
        raise NotAnAgency("data is published, requested and granted by agencies")
    return principal.agency


def _scope(principal: Principal) -> str | None:
    """Whose grants and log entries the principal sees: its agency's, or every one for the operator."""
    return None if principal.is_operator else agency_of(principal)


async def _class(session: AsyncSession, code: str) -> DataClass:
    found = await repository.data_class(session, code)
    if found is None:
        raise DataClassNotFound(f"no data class {code!r}; GET /api/v1/sharing/data-classes lists them")
    return found


# --- publishing ------------------------------------------------------------------------------


def _carried_fields(data: DataClassIn) -> dict[str, list[list[str]]]:
    """Each element's fields in the canonical document(s), or ``InvalidData`` naming what does not exist."""
    known = {e.id for e in catalogue.list_elements()}
    errors = [
        _error(("document_types", i), f"no document type {code!r} in the catalogue")
        for i, code in enumerate(data.document_types)
        if not known_document_type(code)
    ]
    if errors:
        raise InvalidData(errors)
    types = document_types_of(data.source, data.document_types)
    carried = {dt: [[p, e] for p, e in field_map(dt) if e in data.elements] for dt in types}
    for i, element in enumerate(data.elements):
        if element not in known:
            errors.append(_error(("elements", i), f"no data element {element} in the catalogue"))
        elif data.elements.index(element) < i:
            errors.append(_error(("elements", i), f"{element} is listed twice"))
        elif not any(e == element for pairs in carried.values() for _, e in pairs):
            errors.append(_error(("elements", i), f"{element} is not a field of {', '.join(types)}"))
    if errors:
        raise InvalidData(errors)
    return carried


async def publish(session: AsyncSession, principal: Principal, data: DataClassIn) -> DataClass:
    ensure(principal, "sharing:publish")
    agency = agency_of(principal)
    fields = _carried_fields(data)
    if await repository.data_class(session, data.code):
        raise DuplicateDataClass(f"a data class {data.code!r} is already published")
    published = DataClass(**data.model_dump(), fields=fields, publisher=agency, published_by=principal.actor)
    session.add(published)
    await session.flush()
    if published.source is Source.ENTERPRISE_CREDIT:
        await feed.follow_credit_levels(session)
    await audit.record(
        session,
        actor=principal.actor,
        action="sharing.published",
        subject=published.code,
        detail={"source": published.source, "document_types": published.document_types, "elements": data.elements},
    )
    return published


async def data_classes(session: AsyncSession, principal: Principal) -> list[DataClass]:
    """The whole catalogue: every agency may see what is published (and ask for it)."""
    ensure(principal, "sharing:read")
    return await repository.data_classes(session)


async def data_class(session: AsyncSession, principal: Principal, code: str) -> DataClass:
    ensure(principal, "sharing:read")
    return await _class(session, code)


# --- requests and grants ---------------------------------------------------------------------


async def request_access(
    session: AsyncSession, principal: Principal, code: str, data: AccessRequestIn
) -> tuple[AccessRequest, DataClass]:
    ensure(principal, "sharing:subscribe")
    agency = agency_of(principal)
    wanted = await _class(session, code)
    if wanted.publisher == agency:
        raise OwnDataClass(f"{code} is {agency}'s own data class")
    errors = [
        _error(("elements", i), f"{element} is not an element of {code}")
        for i, element in enumerate(data.elements)
        if element not in wanted.elements
    ]
    if errors:
        raise InvalidData(errors)
    if await repository.pending_request(session, wanted.id, agency):
        raise AlreadyRequested(f"{agency} already has a request for {code} waiting for {wanted.publisher}")
    request = AccessRequest(
        data_class_id=wanted.id, requester=agency, requested_by=principal.actor, **data.model_dump()
    )
    session.add(request)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="sharing.requested", subject=str(request.id))
    return request, wanted


async def requests(
    session: AsyncSession, principal: Principal, *, incoming: bool
) -> list[tuple[AccessRequest, DataClass]]:
    """The agency's own requests, or (``incoming``) the requests to decide on its data classes."""
    ensure(principal, "sharing:publish" if incoming else "sharing:subscribe")
    agency = agency_of(principal)
    if incoming:
        return await repository.requests_to(session, agency)
    return await repository.requests_by(session, agency)


async def _to_decide(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> tuple[str, AccessRequest, DataClass]:
    ensure(principal, "sharing:publish")
    agency = agency_of(principal)
    found = await repository.request_seen_by(session, agency, request_id, for_update=True)
    if found is None:
        raise RequestNotFound(f"no access request {request_id} to or from {agency}")
    request, data_class = found
    if data_class.publisher != agency:
        raise NotThePublisher(f"only {data_class.publisher} decides on requests for {data_class.code}")
    if request.status is not RequestStatus.PENDING:
        raise AlreadyDecided(f"the request is already {request.status}")
    return agency, request, data_class


def _scope_errors(data: GrantIn, request: AccessRequest, data_class: DataClass, now: datetime) -> list[ErrorDetails]:
    errors = [
        _error(("elements", i), f"{element} was not requested (requested: {', '.join(request.elements)})")
        for i, element in enumerate(data.elements)
        if element not in request.elements
    ]
    allowed = FILTERS[data_class.source]
    for name, values in data.filters.items():
        if name not in allowed:
            errors.append(_error(("filters", name), f"not a filter of this data class (filters: {', '.join(allowed)})"))
            continue
        for i, value in enumerate(values):
            problem = filter_problem(name, value, data_class.document_types)
            if problem:
                errors.append(_error(("filters", name, i), problem))
    if data.expires_at <= now:
        errors.append(_error(("expires_at",), "a grant must expire in the future"))
    return errors


async def grant(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, data: GrantIn
) -> tuple[Grant, DataClass]:
    """Grant a scope; a grant supersedes the subscriber's earlier one on the class (one live grant at a time)."""
    _, request, data_class = await _to_decide(session, principal, request_id)
    now = utcnow()
    push = request.push if data.push is None else data.push
    errors = _scope_errors(data, request, data_class, now)
    if push and not await _connected(session, request.requester):
        errors.append(_error(("push",), f"{request.requester} has no system connected to the exchange to push to"))
    if errors:
        raise InvalidData(errors)
    made = Grant(
        request_id=request.id,
        data_class_id=data_class.id,
        subscriber=request.requester,
        elements=list(dict.fromkeys(data.elements)),
        filters={name: sorted(set(values)) for name, values in sorted(data.filters.items())},
        push=push,
        expires_at=data.expires_at,
        granted_by=principal.actor,
    )
    for earlier in await repository.unrevoked_grants(session, data_class.id, request.requester):
        earlier.revoked_at, earlier.revoked_by, earlier.revoke_reason = now, principal.actor, "superseded"
    request.status, request.decided_by, request.decided_at = RequestStatus.GRANTED, principal.actor, now
    session.add(made)
    await session.flush()
    detail: dict[str, Any] = {"subscriber": made.subscriber, "data_class": data_class.code}
    detail |= {"elements": made.elements, "filters": made.filters, "push": made.push}
    detail["expires_at"] = made.expires_at.isoformat()
    await audit.record(session, actor=principal.actor, action="sharing.granted", subject=str(made.id), detail=detail)
    return made, data_class


async def _connected(session: AsyncSession, agency: str) -> bool:
    """Pushes go to the agency's counterparty of the same code; without an enabled one they would dead-letter."""
    return any(c.code == agency and c.enabled for c in await exchange.counterparties(session))


async def refuse(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, reason: str
) -> tuple[AccessRequest, DataClass]:
    _, request, data_class = await _to_decide(session, principal, request_id)
    request.status, request.reason = RequestStatus.REFUSED, reason
    request.decided_by, request.decided_at = principal.actor, utcnow()
    await session.flush()
    detail = {"subscriber": request.requester, "data_class": data_class.code, "reason": reason}
    await audit.record(session, actor=principal.actor, action="sharing.refused", subject=str(request.id), detail=detail)
    return request, data_class


async def revoke(
    session: AsyncSession, principal: Principal, grant_id: uuid.UUID, reason: str
) -> tuple[Grant, DataClass]:
    ensure(principal, "sharing:publish")
    agency = agency_of(principal)
    found = await repository.grant_seen_by(session, agency, grant_id, for_update=True)
    if found is None:
        raise GrantNotFound(f"no grant {grant_id} by or to {agency}")
    revoked, data_class = found
    if data_class.publisher != agency:
        raise NotThePublisher(f"only {data_class.publisher} revokes grants on {data_class.code}")
    if revoked.revoked_at is not None:
        raise AlreadyRevoked(f"the grant was revoked at {revoked.revoked_at.isoformat()}")
    revoked.revoked_at, revoked.revoked_by, revoked.revoke_reason = utcnow(), principal.actor, reason
    await session.flush()
    detail = {"subscriber": revoked.subscriber, "data_class": data_class.code, "reason": reason}
    await audit.record(session, actor=principal.actor, action="sharing.revoked", subject=str(revoked.id), detail=detail)
    return revoked, data_class


async def grants(session: AsyncSession, principal: Principal) -> list[tuple[Grant, DataClass]]:
    """Grants the agency made on its classes and grants it holds on others'."""
    ensure(principal, "sharing:read")
    return await repository.grants_seen_by(session, _scope(principal))


# --- subscribers' queries and the access log ----------------------------------------------------


async def query(
    session: AsyncSession,
    principal: Principal,
    code: str,
    *,
    since: datetime | None = None,
    enterprise: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Grant, DataClass, list[SharedRecordOut], int]:
    """The records the subscriber's live grant covers, each projected onto the granted elements.

    ``enterprise`` (a USCC) narrows them to one enterprise's records, e.g. its risk history;
    it never widens the grant, whose filters still apply.
    """
    ensure(principal, "sharing:subscribe")
    agency = agency_of(principal)
    data_class = await _class(session, code)
    now = utcnow()
    held = await repository.latest_grant(session, data_class.id, agency)
    if held is None or not held.is_live(now):
        reason = "no grant" if held is None else "grant revoked" if held.revoked_at else "grant expired"
        feed.log_access(session, data_class, agency, principal.actor, Channel.QUERY, None, 0, reason)
        await session.flush()
        raise AccessDenied(f"{agency} holds no live grant on {code} ({reason}); ask {data_class.publisher} for one")
    records, total = await repository.shared_records(
        session, data_class, held.filters, since=since, enterprise=enterprise, limit=limit, offset=offset
    )
    shown = [feed.shown(record, data_class, held) for record in records]
    feed.log_access(session, data_class, agency, principal.actor, Channel.QUERY, held, len(shown), None)
    await session.flush()
    return held, data_class, shown, total


async def access_log(
    session: AsyncSession, principal: Principal, code: str | None, *, limit: int, offset: int
) -> tuple[list[tuple[AccessLogEntry, str]], int]:
    """A publisher sees every access to its classes; the operator and auditors see all of it."""
    ensure(principal, "sharing:log")
    publisher = _scope(principal)
    class_id = (await _class(session, code)).id if code else None
    return await repository.access_log(session, publisher, class_id, limit=limit, offset=offset)


# --- demo ------------------------------------------------------------------------------------


async def register_demo(session: AsyncSession) -> None:
    """Publish the demo's data classes and its grants (``data/demo-sharing.json``) where they are missing.

    Each agency acts through a principal of its own party, so the audit log names it like an
    officer; a grant is made only while the subscriber holds no grant on the class.
    """
    text = files("singlewindow.sharing").joinpath("data/demo-sharing.json").read_text(encoding="utf-8")
    demo = json.loads(text)
    for entry in demo["classes"]:
        if await repository.data_class(session, entry["code"]) is None:
            published = DataClassIn.model_validate({k: v for k, v in entry.items() if k != "publisher"})
            await publish(session, await _demo_agency(session, entry["publisher"]), published)
    for entry in demo["grants"]:
        data_class = await _class(session, entry["data_class"])
        if await repository.latest_grant(session, data_class.id, entry["subscriber"]) is not None:
            continue
        subscriber = await _demo_agency(session, entry["subscriber"])
        asked = AccessRequestIn(purpose=entry["purpose"], elements=entry["elements"])
        request, _ = await request_access(session, subscriber, data_class.code, asked)
        expires = utcnow() + timedelta(days=entry["days"])
        scope = GrantIn(elements=entry["elements"], expires_at=expires, push=False)
        await grant(session, await _demo_agency(session, data_class.publisher), request.id, scope)


async def _demo_agency(session: AsyncSession, code: str) -> Principal:
    party = await identity.agency(session, code)
    return Principal(party.id, PartyKind.AGENCY, frozenset({"officer"}), user_id=DEMO_ACTOR, agency=code)
