"""The licence registry's use cases: issue, revoke, look up, verify, and follow declarations.

A cargo declaration's goods items reserve their licence's balance in the submission's own
transaction (a refusal rolls the whole submission back); release writes the reservation
off, cancellation or rejection gives it back, and an amendment reserves afresh. A licence
application released by its issuing agency becomes a licence here, once.
"""

import json
import uuid
from datetime import date
from decimal import Decimal
from importlib.resources import files
from typing import Any

import structlog
from pydantic_core import ErrorDetails
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.declarations.events import DeclarationStatusChanged, DeclarationSubmitted
from singlewindow.errors import InvalidData
from singlewindow.identity import service as identity
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.licences import repository, rules
from singlewindow.licences.balance import QUANTITY_PLACES, VALUE_PLACES, from_units, to_units
from singlewindow.licences.errors import LicenceNotFound, NotIssuingAgency
from singlewindow.licences.kinds import LicenceKind, kind_for_condition, kinds, required_kinds
from singlewindow.licences.models import (
    Licence,
    LicenceApplication,
    LicenceGoods,
    LicenceStatus,
    LicenceUse,
    UseState,
)
from singlewindow.licences.schemas import (
    LicenceGoodsIn,
    LicenceGoodsOut,
    LicenceIssue,
    LicenceOut,
    LicenceUseOut,
    Verification,
)

log = structlog.get_logger(__name__)

READ = "licence:read"
ISSUE = "licence:issue"
CARGO = "cargo_declaration"
APPLICATION = "licence_application"


# --- the registry ------------------------------------------------------------------------------


def number_for(kind: LicenceKind, issued_on: date, serial: int) -> str:
    """``YY-PP-NNNNNN``: two-digit year of issue, the kind's prefix, a six-digit serial per year and prefix."""
    return f"{issued_on:%y}-{kind.prefix}-{serial:06d}"


def _line(licence: Licence, line: int, goods: LicenceGoodsIn) -> LicenceGoods:
    return LicenceGoods(
        licence_id=licence.id,
        line=line,
        hs_code=goods.hs_code,
        description=goods.description,
        unit=goods.unit,
        quantity_allowed=None if goods.quantity is None else to_units(goods.quantity, QUANTITY_PLACES),
        currency=goods.currency,
        value_allowed=None if goods.value is None else to_units(goods.value, VALUE_PLACES),
    )


async def _add(
    session: AsyncSession, licence: Licence, goods: list[LicenceGoodsIn], *, actor: str, action: str
) -> Licence:
    session.add(licence)
    await session.flush()
    session.add_all([_line(licence, n, g) for n, g in enumerate(goods, start=1)])
    await session.flush()
    await audit.record(session, actor=actor, action=action, subject=licence.number, detail={"kind": licence.kind})
    return licence


async def _issue(
    session: AsyncSession,
    kind: LicenceKind,
    holder_party_id: uuid.UUID,
    valid: tuple[date, date],
    goods: list[LicenceGoodsIn],
    *,
    actor: str,
    application_id: uuid.UUID | None = None,
) -> Licence:
    holder = await identity.party(session, holder_party_id)
    assert holder is not None, "the holder is an existing party"
    issued_on = utcnow().date()
    serial = await repository.next_serial(session, f"{issued_on:%y}-{kind.prefix}")
    licence = Licence(
        number=number_for(kind, issued_on, serial),
        kind=kind.code,
        agency=kind.agency,
        holder_party_id=holder.id,
        holder_uscc=holder.uscc,
        holder_name=holder.name,
        valid_from=valid[0],
        valid_until=valid[1],
        status=LicenceStatus.VALID,
        application_id=application_id,
        issued_by=actor,
    )
    return await _add(session, licence, goods, actor=actor, action="licence.issued")


def _require_issuer(principal: Principal, agency: str) -> None:
    ensure(principal, ISSUE)
    if principal.agency != agency:
        raise NotIssuingAgency(f"only the {agency} agency issues and revokes this licence")


async def issue(session: AsyncSession, principal: Principal, data: LicenceIssue) -> Licence:
    """An issuing agency's officer issues a licence directly (outside an application)."""
    kind = kinds()[data.kind]
    _require_issuer(principal, kind.agency)
    holder = await identity.enterprise_by_uscc(session, data.holder_uscc)
    return await _issue(
        session, kind, holder.id, (data.valid_from, data.valid_until), data.goods, actor=principal.actor
    )


async def issue_as(session: AsyncSession, data: LicenceIssue, *, actor: str) -> Licence:
    """Issue on the issuing agency's behalf from the command line (the operator, carrying over a paper licence)."""
    holder = await identity.enterprise_by_uscc(session, data.holder_uscc)
    return await _issue(
        session, kinds()[data.kind], holder.id, (data.valid_from, data.valid_until), data.goods, actor=actor
    )


async def register(session: AsyncSession, number: str, data: LicenceIssue, *, actor: str) -> Licence:
    """Enter a licence issued elsewhere under its own number (seeding); a number already held is left as it is."""
    if existing := await repository.by_number(session, number):
        return existing
    kind = kinds()[data.kind]
    holder = await identity.enterprise_by_uscc(session, data.holder_uscc)
    prefix, serial = number.rsplit("-", 1)
    if prefix.endswith(f"-{kind.prefix}") and serial.isdigit():
        await repository.at_least(session, prefix, int(serial))
    licence = Licence(
        number=number,
        kind=kind.code,
        agency=kind.agency,
        holder_party_id=holder.id,
        holder_uscc=holder.uscc,
        holder_name=holder.name,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        status=LicenceStatus.VALID,
        issued_by=actor,
    )
    return await _add(session, licence, data.goods, actor=actor, action="licence.registered")


async def revoke(
    session: AsyncSession, principal: Principal | None, number: str, reason: str, *, actor: str
) -> Licence:
    """Revoke: no new reservation from now on; reservations already held stay and settle as their declarations do."""
    if principal is not None:
        ensure(principal, ISSUE)
    licence = await repository.by_number(session, number, for_update=True)
    if licence is None:
        raise LicenceNotFound(f"no licence {number}")
    if principal is not None:
        _require_issuer(principal, licence.agency)
    if licence.status is LicenceStatus.REVOKED:
        return licence
    licence.status, licence.revoked_reason, licence.updated_at = LicenceStatus.REVOKED, reason, utcnow()
    await session.flush()
    await audit.record(session, actor=actor, action="licence.revoked", subject=number, detail={"reason": reason})
    return licence


# --- reading and verifying ---------------------------------------------------------------------


def _amount(units: int | None, places: int) -> Decimal | None:
    return None if units is None else from_units(units, places)


def _goods_out(line: LicenceGoods) -> LicenceGoodsOut:
    q, v = rules.quantity_balance(line), rules.value_balance(line)
    return LicenceGoodsOut(
        line=line.line,
        hs_code=line.hs_code,
        description=line.description,
        unit=line.unit,
        quantity_allowed=_amount(line.quantity_allowed, QUANTITY_PLACES),
        quantity_used=from_units(line.quantity_used, QUANTITY_PLACES),
        quantity_reserved=from_units(line.quantity_reserved, QUANTITY_PLACES),
        quantity_available=None if line.quantity_allowed is None else from_units(q.available, QUANTITY_PLACES),
        currency=line.currency,
        value_allowed=_amount(line.value_allowed, VALUE_PLACES),
        value_used=from_units(line.value_used, VALUE_PLACES),
        value_reserved=from_units(line.value_reserved, VALUE_PLACES),
        value_available=None if line.value_allowed is None else from_units(v.available, VALUE_PLACES),
    )


def _out(licence: Licence, lines: list[LicenceGoods]) -> LicenceOut:
    return LicenceOut(
        number=licence.number,
        kind=licence.kind,
        kind_name=kinds()[licence.kind].name,
        agency=licence.agency,
        holder_party_id=licence.holder_party_id,
        holder_uscc=licence.holder_uscc,
        holder_name=licence.holder_name,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status=licence.status,
        revoked_reason=licence.revoked_reason,
        application_id=licence.application_id,
        issued_by=licence.issued_by,
        created_at=licence.created_at,
        goods=[_goods_out(line) for line in lines],
    )


async def _readable(session: AsyncSession, principal: Principal, number: str) -> Licence:
    ensure(principal, READ)
    licence = await repository.readable(session, principal, number)
    if licence is None:
        raise LicenceNotFound(f"no licence {number} that you may see")
    return licence


async def find(session: AsyncSession, number: str) -> Licence:
    """Any licence by number, unscoped: for the command line, which runs with the database's own rights."""
    licence = await repository.by_number(session, number)
    if licence is None:
        raise LicenceNotFound(f"no licence {number}")
    return licence


async def describe(session: AsyncSession, licence: Licence) -> LicenceOut:
    return _out(licence, (await repository.goods_of(session, [licence.id]))[licence.id])


async def view(session: AsyncSession, principal: Principal, number: str) -> LicenceOut:
    return await describe(session, await _readable(session, principal, number))


async def listing(session: AsyncSession, principal: Principal) -> list[LicenceOut]:
    """The holder's licences; for an agency, the licences it issued; for the operator, every licence."""
    ensure(principal, READ)
    found = (
        await repository.issued_by(session, principal.agency)
        if principal.agency
        else await repository.held_by(session, principal)
    )
    return await _described(session, found)


async def every(session: AsyncSession) -> list[LicenceOut]:
    """Every licence, unscoped (the command line)."""
    return await _described(session, await repository.every(session))


async def _described(session: AsyncSession, found: list[Licence]) -> list[LicenceOut]:
    lines = await repository.goods_of(session, [licence.id for licence in found])
    return [_out(licence, lines[licence.id]) for licence in found]


async def uses(session: AsyncSession, principal: Principal, number: str) -> list[LicenceUseOut]:
    return await history(session, await _readable(session, principal, number))


async def history(session: AsyncSession, licence: Licence) -> list[LicenceUseOut]:
    return [
        LicenceUseOut(
            declaration_id=use.declaration_id,
            reference=use.reference,
            revision=use.revision,
            item=use.item,
            line=line,
            quantity=from_units(use.quantity, QUANTITY_PLACES),
            value=from_units(use.value, VALUE_PLACES),
            state=use.state,
            created_at=use.created_at,
            updated_at=use.updated_at,
        )
        for use, line in await repository.uses_of(session, licence.id)
    ]


async def verify(
    session: AsyncSession, principal: Principal, number: str, hs_code: str, quantity: Decimal | None
) -> Verification:
    """Online verification: could this licence cover ``quantity`` (in the line's unit) of ``hs_code`` today?"""
    return await check_now(session, await _readable(session, principal, number), hs_code, quantity)


async def check_now(session: AsyncSession, licence: Licence, hs_code: str, quantity: Decimal | None) -> Verification:
    lines = (await repository.goods_of(session, [licence.id]))[licence.id]
    kind = kinds()[licence.kind]
    want = rules.Want(
        hs_code=hs_code,
        direction=next(iter(sorted(kind.directions))),
        quantity=to_units(quantity or Decimal(0), QUANTITY_PLACES),
        unit=None,
        value=0,
        currency=None,
        party_id=None,
        today=utcnow().date(),
    )
    line, refusal = rules.check(licence, lines, want, [])
    available = None
    if line is not None and line.quantity_allowed is not None:
        available = from_units(rules.quantity_balance(line).available, QUANTITY_PLACES)
    return Verification(
        number=licence.number,
        valid=refusal is None,
        status=licence.status,
        hs_code=hs_code,
        quantity=quantity,
        line=line.line if line else None,
        quantity_available=available,
        reasons=[refusal.msg] if refusal else [],
    )


# --- following cargo declarations ------------------------------------------------------------


def _want(event: DeclarationSubmitted, item: dict[str, Any]) -> rules.Want:
    return rules.Want(
        hs_code=str(item["hs_code"]),
        direction=event.type,
        quantity=to_units(Decimal(str(item["quantity"])), QUANTITY_PLACES),
        unit=item.get("unit"),
        value=to_units(Decimal(str(item["value"])), VALUE_PLACES),
        currency=event.data.get("currency"),
        party_id=event.party_id,
        today=event.at.date(),
    )


async def _reserve_item(
    session: AsyncSession, event: DeclarationSubmitted, index: int, item: dict[str, Any]
) -> rules.Refusal | None:
    hs_code, number = str(item["hs_code"]), item.get("licence_number")
    needed = required_kinds(hs_code, event.type)
    if not number:
        return rules.required(needed, hs_code) if needed else None
    licence = await repository.by_number(session, number)
    if licence is None:
        return rules.unknown(number)
    want = _want(event, item)
    line, refusal = rules.check(licence, (await repository.goods_of(session, [licence.id]))[licence.id], want, needed)
    if refusal or line is None:
        return refusal
    quantity, value = rules.claim(line, want)
    if not await repository.reserve(session, line.id, quantity, value):
        return rules.Refusal("licence_balance", f"licence {number} line {line.line}: the balance was just taken")
    session.add(
        LicenceUse(
            licence_id=licence.id,
            goods_id=line.id,
            declaration_id=event.declaration_id,
            reference=event.reference,
            revision=event.revision,
            item=index,
            quantity=quantity,
            value=value,
            state=UseState.RESERVED,
        )
    )
    return None


async def _settle(session: AsyncSession, declaration_id: uuid.UUID, state: UseState) -> None:
    held = await repository.held_uses(session, declaration_id)
    for use in held:
        await repository.settle(session, use, state)
    if state is UseState.WRITTEN_OFF:
        await _mark_exhausted(session, sorted({use.licence_id for use in held}))


async def _mark_exhausted(session: AsyncSession, licence_ids: list[uuid.UUID]) -> None:
    for licence_id, lines in (await repository.goods_of(session, licence_ids)).items():
        if lines and all(rules.line_exhausted(line) for line in lines):
            licence = await session.get(Licence, licence_id)
            if licence is not None and licence.status is LicenceStatus.VALID:
                licence.status, licence.updated_at = LicenceStatus.EXHAUSTED, utcnow()
                await audit.record(session, actor="system", action="licence.exhausted", subject=licence.number)
    await session.flush()


async def on_submitted(session: AsyncSession, event: DeclarationSubmitted) -> None:
    """Check and reserve a cargo declaration's licences, or keep a licence application to issue on release.

    Every goods item is checked, so one refusal names every item that fails. Items reserve in
    (licence number, HS code) order, so two declarations drawing on the same lines lock them in
    the same order and cannot deadlock on PostgreSQL.
    """
    if event.document_type == APPLICATION:
        await _keep_application(session, event)
        return
    if event.document_type != CARGO:
        return
    await _settle(session, event.declaration_id, UseState.RELEASED)
    goods: list[dict[str, Any]] = event.data.get("goods", [])
    errors: list[ErrorDetails] = []
    for index in sorted(
        range(len(goods)), key=lambda i: (str(goods[i].get("licence_number") or ""), str(goods[i]["hs_code"]), i)
    ):
        item = goods[index]
        if refusal := await _reserve_item(session, event, index, item):
            loc = ("goods", index, "licence_number")
            errors.append({"type": refusal.type, "loc": loc, "msg": refusal.msg, "input": item.get("licence_number")})
    errors.sort(key=lambda e: e["loc"])
    if errors:
        raise InvalidData(errors, detail=f"{len(errors)} goods item(s) refused by the licence registry")
    await session.flush()


async def on_status_changed(session: AsyncSession, event: DeclarationStatusChanged) -> None:
    """Release writes a cargo declaration's reservations off; cancel or reject gives them back."""
    if event.document_type == APPLICATION and event.status == "released":
        await _issue_from_application(session, event.declaration_id)
    elif event.document_type == CARGO and event.status == "released":
        await _settle(session, event.declaration_id, UseState.WRITTEN_OFF)
    elif event.document_type == CARGO and event.status in ("cancelled", "rejected"):
        await _settle(session, event.declaration_id, UseState.RELEASED)


# --- licence applications --------------------------------------------------------------------


async def _keep_application(session: AsyncSession, event: DeclarationSubmitted) -> None:
    licence_type = str(event.data.get("licence_type"))
    if kind_for_condition(licence_type) is None:
        issued = ", ".join(sorted(k.condition for k in kinds().values() if k.condition))
        raise InvalidData(
            [
                {
                    "type": "licence_type",
                    "loc": ("licence_type",),
                    "msg": f"licence type {licence_type} is not issued through the registry (one of {issued})",
                    "input": licence_type,
                }
            ]
        )
    kept = await repository.application(session, event.declaration_id)
    if kept is None:
        kept = LicenceApplication(declaration_id=event.declaration_id, party_id=event.party_id)
        session.add(kept)
    kept.reference, kept.revision, kept.data = event.reference, event.revision, event.data
    await session.flush()


def _application_goods(data: dict[str, Any]) -> list[LicenceGoodsIn]:
    return [
        LicenceGoodsIn(
            hs_code=str(item["hs_code"]),
            description=str(item["description"])[:255],
            quantity=Decimal(str(item["quantity"])),
            unit=item["unit"],
            value=Decimal(str(item["value"])),
            currency=data["currency"],
        )
        for item in data["goods"]
    ]


async def _issue_from_application(session: AsyncSession, declaration_id: uuid.UUID) -> Licence | None:
    """Issue the licence an application asked for; a second release of the same application issues nothing."""
    if existing := await repository.by_application(session, declaration_id):
        return existing
    application = await repository.application(session, declaration_id)
    if application is None:
        log.warning("licence_application_unknown", declaration_id=str(declaration_id))
        return None
    kind = kind_for_condition(str(application.data["licence_type"]))
    assert kind is not None, "the application's licence type was checked when it was submitted"
    valid = (utcnow().date(), date.fromisoformat(application.data["valid_until"]))
    return await _issue(
        session,
        kind,
        application.party_id,
        valid,
        _application_goods(application.data),
        actor=f"agency:{kind.agency}",
        application_id=declaration_id,
    )


async def issued_for(session: AsyncSession, application_id: uuid.UUID) -> Licence | None:
    return await repository.by_application(session, application_id)


async def register_demo(session: AsyncSession) -> list[Licence]:
    """Enter the demo's licences (``data/demo-licences.json``); already registered numbers are left alone."""
    text = files("singlewindow.licences").joinpath("data/demo-licences.json").read_text(encoding="utf-8")
    return [
        await register(session, entry.pop("number"), LicenceIssue.model_validate(entry), actor="system")
        for entry in json.loads(text)["licences"]
    ]
