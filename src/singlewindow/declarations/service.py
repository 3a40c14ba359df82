"""Trader-side use cases: submit, amend, cancel, read. Services flush; the edge commits.

A submission writes the declaration, one task per required agency, one outbox message per
agency and the first timeline event in the caller's single transaction: either all of it
exists or none of it does.
"""

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.catalogue.agency_requirements import agency_format, derive
from singlewindow.catalogue.elements import CATALOGUE_VERSION
from singlewindow.declarations import repository
from singlewindow.declarations.consolidation import reconsolidate, record_event
from singlewindow.declarations.documents import Document, accept
from singlewindow.declarations.errors import (
    DeclarationNotFound,
    IdempotencyKeyInFlight,
    IdempotencyKeyReused,
    NotAllowedNow,
    NotRoutable,
)
from singlewindow.declarations.events import DeclarationSubmitted
from singlewindow.declarations.lifecycle import AMENDABLE, CANCELLABLE, DeclarationStatus, TaskStatus
from singlewindow.declarations.models import AgencyTask, Declaration, IdempotencyKey, JointInspection
from singlewindow.exchange import service as exchange
from singlewindow.exchange.service import NewMessage, canonical_json
from singlewindow.identity import service as identity
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit import events, metrics
from singlewindow.kit.clock import utcnow
from singlewindow.kit.ids import new_id
from singlewindow.qualifications import service as qualifications
from singlewindow.routing import service as routing
from singlewindow.routing.rules import Match

CUSTOMS_REGISTRATION = "customs_registration"


def _require_declarant(principal: Principal) -> None:
    ensure(principal, "declaration:submit")


async def _route(session: AsyncSession, principal: Principal, document: Document) -> list[Match]:
    """The agencies that must act: rules see the document plus facts about its declarant (credit level)."""
    await qualifications.require_granted(session, principal.party_id, CUSTOMS_REGISTRATION)
    credit_level = await identity.credit_level_of(session, principal.party_id)
    view = {**document.data, "declarant_credit_level": credit_level}
    matches = await routing.agencies_for(session, document.document_type, view)
    if not matches:
        raise NotRoutable(f"no routing rule sends a {document.document_type} like this one to any agency")
    return matches


async def _idempotent_replay(
    session: AsyncSession, principal: Principal, key: str, request_hash: str
) -> Declaration | None:
    stored = await session.get(IdempotencyKey, (principal.party_id, key))
    if stored is None:
        return None
    if stored.request_hash != request_hash:
        raise IdempotencyKeyReused(f"Idempotency-Key {key!r} was first used with a different body")
    return await session.get(Declaration, stored.declaration_id)


async def remember_response(session: AsyncSession, principal: Principal, key: str, status: int, body: bytes) -> None:
    """Keep the response with its key, in the submission's transaction, to replay it to a repeat."""
    kept = await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.party_id == principal.party_id, IdempotencyKey.key == key)
        .values(response_status=status, response_body=body)
    )
    assert kept.rowcount == 1, "remember_response follows the submit that stored the key"  # type: ignore[attr-defined]


async def stored_response(session: AsyncSession, principal: Principal, key: str) -> tuple[int, bytes] | None:
    stored = await session.get(IdempotencyKey, (principal.party_id, key))
    if stored is None or stored.response_status is None or stored.response_body is None:
        return None
    return stored.response_status, stored.response_body


@dataclass(frozen=True, slots=True)
class Accepted:
    declaration: Declaration
    replayed: bool
    view: dict[str, Any] | None
    """The new declaration as ``view`` shows it, built from what was just written (None for a replay)."""


async def submit(
    session: AsyncSession, principal: Principal, document: Document, *, idempotency_key: str | None
) -> Accepted:
    """Accept one declaration of any document type, or find the one an earlier request with this key made.

    Rows go in with Core multi-row inserts and the answer is built from memory: the hot path
    pays for the statements it needs and nothing to read back.
    """
    _require_declarant(principal)
    request_hash = _request_hash(document) if idempotency_key else ""
    if idempotency_key:
        replayed = await _idempotent_replay(session, principal, idempotency_key, request_hash)
        if replayed:
            return Accepted(replayed, True, None)
    matches = await _route(session, principal, document)
    now = utcnow()
    declaration = Declaration(
        id=new_id(),
        party_id=principal.party_id,
        reference=document.reference,
        document_type=document.document_type,
        type=document.type,
        status=DeclarationStatus.SUBMITTED,
        revision=1,
        data=document.data,
        catalogue_version=CATALOGUE_VERSION,
        submitted_by=principal.actor,
        created_at=now,
        updated_at=now,
    )
    await session.execute(insert(Declaration).values({c: getattr(declaration, c) for c in _DECLARATION_COLUMNS}))
    if idempotency_key:
        await _claim_key(session, principal, idempotency_key, request_hash, declaration.id)
    tasks = [
        {"id": new_id(), "declaration_id": declaration.id, "agency": m.agency, "status": TaskStatus.PENDING}
        | {"revision": 1, "reason": None, "updated_at": now}
        for m in matches
    ]
    await session.execute(insert(AgencyTask), tasks)
    await _send_to_agencies(session, principal, declaration, matches, kind="declaration")
    await record_event(session, declaration, "submitted", detail={"agencies": {m.agency: m.rule_id for m in matches}})
    await _published_submission(session, declaration, matches)
    await audit.record(session, actor=principal.actor, action="declaration.submitted", subject=str(declaration.id))
    metrics.DECLARATIONS.labels(document.type).inc()
    return Accepted(declaration, False, _as_view(declaration, tasks, None, with_data=True))


def _request_hash(document: Document) -> str:
    return hashlib.sha256(document.document_type.encode() + canonical_json(document.data)).hexdigest()


_DECLARATION_COLUMNS = tuple(c.key for c in Declaration.__table__.columns)


async def _claim_key(
    session: AsyncSession, principal: Principal, key: str, request_hash: str, declaration_id: uuid.UUID
) -> None:
    row = {"party_id": principal.party_id, "key": key, "request_hash": request_hash, "declaration_id": declaration_id}
    try:
        await session.execute(insert(IdempotencyKey).values(**row, created_at=utcnow()))
    except IntegrityError as exc:
        raise IdempotencyKeyInFlight(f"another request with Idempotency-Key {key!r} won") from exc


async def _published_submission(session: AsyncSession, declaration: Declaration, matches: list[Match]) -> None:
    await events.publish(
        session,
        DeclarationSubmitted(
            declaration.id,
            declaration.party_id,
            declaration.document_type,
            declaration.type,
            declaration.reference,
            declaration.revision,
            declaration.data,
            tuple(m.agency for m in matches),
            declaration.updated_at,
        ),
    )


async def _send_to_agencies(
    session: AsyncSession, principal: Principal, declaration: Declaration, matches: list[Match], *, kind: str
) -> None:
    party = await identity.party_facts(session, principal)
    declarant = {"name": party.name, "uscc": party.uscc, "customs_code": party.customs_code}
    await exchange.enqueue(
        session,
        [
            NewMessage(
                destination=m.agency,
                kind=kind,
                subject_id=declaration.id,
                revision=declaration.revision,
                payload={
                    "document_type": declaration.document_type,
                    "routing_rule": m.rule_id,
                    "declarant": declarant,
                    "declaration": derive(declaration.document_type, m.agency, declaration.data),
                    "format": agency_format(declaration.document_type, m.agency),
                },
            )
            for m in matches
        ],
    )


async def _owned_for_update(session: AsyncSession, principal: Principal, declaration_id: uuid.UUID) -> Declaration:
    _require_declarant(principal)
    declaration = await repository.get(session, principal, declaration_id, for_update=True)
    if declaration is None:
        raise DeclarationNotFound(f"no declaration {declaration_id}")
    return declaration


async def amend(
    session: AsyncSession, principal: Principal, declaration_id: uuid.UUID, body: Any, *, country: str
) -> Declaration:
    """Replace the data as a new revision, routed like the original; older decisions stop counting.

    ``body`` is validated as the declaration's own document type: an amendment never changes the type.
    """
    declaration = await _owned_for_update(session, principal, declaration_id)
    if declaration.status not in AMENDABLE:
        raise NotAllowedNow(f"a {declaration.status} declaration cannot be amended")
    document = body if isinstance(body, Document) else accept(declaration.document_type, body, country)
    if document.document_type != declaration.document_type:
        raise NotAllowedNow(f"a {declaration.document_type} cannot be amended into a {document.document_type}")
    matches = await _route(session, principal, document)
    declaration.revision += 1
    declaration.data = document.data
    declaration.reference = document.reference
    declaration.type = document.type
    declaration.catalogue_version = CATALOGUE_VERSION
    declaration.updated_at = utcnow()
    existing = {t.agency: t for t in await repository.tasks(session, declaration.id)}
    wanted = {m.agency for m in matches}
    for match in matches:
        _reset_task(session, declaration, existing.get(match.agency), match.agency)
    dropped = [t for agency, t in existing.items() if agency not in wanted and t.status is not TaskStatus.WITHDRAWN]
    for task in dropped:
        task.status, task.revision, task.updated_at = TaskStatus.WITHDRAWN, declaration.revision, utcnow()
    await session.flush()
    await _send_to_agencies(
        session, principal, declaration, [m for m in matches if m.agency in existing], kind="amendment"
    )
    await _send_to_agencies(
        session, principal, declaration, [m for m in matches if m.agency not in existing], kind="declaration"
    )
    await _notify_withdrawn(
        session, declaration, [t.agency for t in dropped], reason="no longer required after amendment"
    )
    await record_event(session, declaration, "amended", detail={"agencies": sorted(wanted)})
    await _published_submission(session, declaration, matches)
    await reconsolidate(session, declaration)
    await audit.record(
        session,
        actor=principal.actor,
        action="declaration.amended",
        subject=str(declaration.id),
        detail={"revision": declaration.revision},
    )
    return declaration


def _reset_task(session: AsyncSession, declaration: Declaration, task: AgencyTask | None, agency: str) -> None:
    if task is None:
        session.add(
            AgencyTask(
                id=new_id(),
                declaration_id=declaration.id,
                agency=agency,
                status=TaskStatus.PENDING,
                revision=declaration.revision,
                updated_at=utcnow(),
            )
        )
        return
    task.status, task.revision, task.reason, task.decided_at = TaskStatus.PENDING, declaration.revision, None, None
    task.updated_at = utcnow()


async def _notify_withdrawn(
    session: AsyncSession, declaration: Declaration, agencies: list[str], *, reason: str
) -> None:
    await exchange.enqueue(
        session,
        [
            NewMessage(
                agency,
                "withdrawal",
                {"document_type": declaration.document_type, "reason": reason},
                declaration.id,
                declaration.revision,
            )
            for agency in agencies
        ],
    )


async def cancel(session: AsyncSession, principal: Principal, declaration_id: uuid.UUID, reason: str) -> Declaration:
    declaration = await _owned_for_update(session, principal, declaration_id)
    if declaration.status not in CANCELLABLE:
        raise NotAllowedNow(f"a {declaration.status} declaration cannot be cancelled")
    active = [t for t in await repository.tasks(session, declaration.id) if t.status is not TaskStatus.WITHDRAWN]
    await _notify_withdrawn(
        session, declaration, [t.agency for t in active], reason=f"cancelled by the declarant: {reason}"
    )
    await reconsolidate(session, declaration, cancelled=True, detail={"reason": reason})
    await audit.record(session, actor=principal.actor, action="declaration.cancelled", subject=str(declaration.id))
    return declaration


async def read(session: AsyncSession, principal: Principal, declaration_id: uuid.UUID) -> Declaration:
    declaration = await repository.get(session, principal, declaration_id)
    if declaration is None:
        raise DeclarationNotFound(f"no declaration {declaration_id}")
    return declaration


async def view(session: AsyncSession, principal: Principal, declaration_id: uuid.UUID) -> dict[str, Any]:
    """The consolidated picture: status, each agency's status, the joint inspection, the data."""
    declaration = await read(session, principal, declaration_id)
    tasks = await repository.tasks(session, declaration.id)
    inspection = await repository.inspection(session, declaration.id, declaration.revision)
    shown = principal.party_id == declaration.party_id or principal.is_operator
    rows = [{"agency": t.agency, "status": t.status, "reason": t.reason, "updated_at": t.updated_at} for t in tasks]
    return _as_view(declaration, rows, inspection, with_data=shown)


def _as_view(
    declaration: Declaration,
    tasks: list[dict[str, Any]],
    inspection: JointInspection | None,
    *,
    with_data: bool,
) -> dict[str, Any]:
    return {
        "id": declaration.id,
        "reference": declaration.reference,
        "document_type": declaration.document_type,
        "type": declaration.type,
        "status": declaration.status,
        "revision": declaration.revision,
        "catalogue_version": declaration.catalogue_version,
        "created_at": declaration.created_at,
        "updated_at": declaration.updated_at,
        "agencies": [{k: t[k] for k in ("agency", "status", "reason", "updated_at")} for t in tasks],
        "inspection": inspection
        and {
            "revision": inspection.revision,
            "status": inspection.status,
            "agencies": inspection.agencies,
            "results": inspection.results,
        },
        "data": declaration.data if with_data else None,
    }
