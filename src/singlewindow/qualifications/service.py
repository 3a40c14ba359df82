"""Apply for a qualification, let the granting agency decide, and gate what needs one.

An application travels to the granting agency through the exchange outbox like a
declaration; the agency's answer comes back as an inbound ``qualification_decision``.
"""

import uuid

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.errors import InvalidData
from singlewindow.exchange import service as exchange
from singlewindow.exchange.schemas import InboundEnvelope
from singlewindow.exchange.service import NewMessage
from singlewindow.identity import service as identity
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit.cache import forget_on_change, lookup_cache
from singlewindow.kit.clock import utcnow
from singlewindow.qualifications import repository
from singlewindow.qualifications.errors import (
    AlreadyApplied,
    EmailNotVerified,
    QualificationMissing,
    QualificationNotFound,
)
from singlewindow.qualifications.models import Qualification, QualificationStatus
from singlewindow.qualifications.schemas import GRANTED_BY, NAMES, QualificationDecision

APPLICATION = "qualification_application"
DECISION = "qualification_decision"


async def apply(session: AsyncSession, principal: Principal, kind: str) -> Qualification:
    ensure(principal, "qualification:apply")
    party = await identity.party_of(session, principal)
    if party.email_verified_at is None:
        raise EmailNotVerified("confirm the enterprise's contact e-mail before applying (see the verification mail)")
    if existing := await repository.current(session, party.id, kind):
        raise AlreadyApplied(f"{NAMES[kind]} is already {existing.status}")
    qualification = Qualification(
        party_id=party.id,
        kind=kind,
        agency=GRANTED_BY[kind],
        status=QualificationStatus.APPLIED,
        applied_by=principal.actor,
    )
    session.add(qualification)
    await session.flush()
    enterprise = {
        "name": party.name,
        "uscc": party.uscc,
        "customs_code": party.customs_code,
        "legal_representative": party.legal_representative,
        "address": party.address,
    }
    await exchange.enqueue(
        session,
        [
            NewMessage(
                destination=qualification.agency,
                kind=APPLICATION,
                subject_id=qualification.id,
                revision=1,
                payload={"qualification": kind, "name": NAMES[kind], "enterprise": enterprise},
            )
        ],
    )
    await audit.record(session, actor=principal.actor, action="qualification.applied", subject=str(qualification.id))
    return qualification


async def grant(session: AsyncSession, party_id: uuid.UUID, kind: str, *, actor: str) -> Qualification:
    """Record a grant made outside the platform (seeding, migration of an existing registry)."""
    existing = await repository.current(session, party_id, kind)
    if existing and existing.status is QualificationStatus.GRANTED:
        return existing
    qualification = existing or Qualification(party_id=party_id, kind=kind, agency=GRANTED_BY[kind], applied_by=actor)
    qualification.status, qualification.decided_at, qualification.updated_at = (
        QualificationStatus.GRANTED,
        utcnow(),
        utcnow(),
    )
    session.add(qualification)
    await session.flush()
    await audit.record(session, actor=actor, action="qualification.granted", subject=str(qualification.id))
    return qualification


async def apply_decision(session: AsyncSession, agency: str, envelope: InboundEnvelope) -> str:
    """The granting agency's answer; a second answer to the same application changes nothing."""
    try:
        decision = QualificationDecision.model_validate(envelope.payload)
    except ValidationError as exc:
        raise InvalidData([{**e, "loc": ("payload", *e["loc"])} for e in exc.errors()]) from exc
    qualification = await repository.for_update(session, envelope.subject_id) if envelope.subject_id else None
    if qualification is None or qualification.agency != agency:
        raise QualificationNotFound(f"no qualification application {envelope.subject_id} was sent to {agency}")
    if qualification.status is not QualificationStatus.APPLIED:
        return f"ignored: the application is already {qualification.status}"
    qualification.status = QualificationStatus(decision.decision)
    qualification.reason, qualification.decided_at, qualification.updated_at = decision.reason, utcnow(), utcnow()
    await session.flush()
    await audit.record(
        session, actor=f"agency:{agency}", action=f"qualification.{decision.decision}", subject=str(qualification.id)
    )
    return decision.decision


async def of(session: AsyncSession, principal: Principal) -> list[Qualification]:
    ensure(principal, "qualification:read")
    return await repository.of_party(session, principal.party_id)


_granted = lookup_cache("qualifications granted")
forget_on_change(_granted, Qualification, lambda q: [(q.party_id, q.kind)])


async def require_granted(session: AsyncSession, party_id: uuid.UUID, kind: str) -> None:
    """Refuse unless the party holds the qualification in force.

    Asked on every submission, so the answer is cached per process (``kit.cache``): a
    decision taken in this process counts from its commit, one taken elsewhere within
    ``SW_LOOKUP_CACHE_SECONDS``.
    """

    async def load() -> bool:
        held = await repository.current(session, party_id, kind)
        return held is not None and held.status is QualificationStatus.GRANTED

    if not await _granted.get((party_id, kind), load):
        raise QualificationMissing(
            f"this needs a granted {NAMES[kind]} ({kind}); apply with POST /api/v1/qualifications"
        )
