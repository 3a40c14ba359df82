"""The treasury as an agency: the exchange delivers it import declarations; it assesses them and waits.

A routing rule sends every import cargo declaration to agency ``treasury``; the composition
root resolves that destination to ``TreasuryAdapter``, in process. Delivery assesses the
revision and opens its payment order (once: a redelivery finds the assessment made). The
release follows when the order is paid or guaranteed (``service``); an assessment that
cannot be made (a code outside the tariff, a currency without a rate) rejects the revision
with the reason, so the declarant amends it like any other agency's rejection.
"""

import json
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from singlewindow.audit import service as audit
from singlewindow.errors import NotFound, Unprocessable
from singlewindow.exchange.ports import DeliveryFailed, Outbound
from singlewindow.identity import service as identity
from singlewindow.kit.clock import utcnow
from singlewindow.kit.ids import new_id
from singlewindow.payments import repository, service
from singlewindow.payments.assessment import Charge, ExchangeRate, Goods, Item, ProofOf, Refusals, Result, assess
from singlewindow.payments.delivery import to_completion
from singlewindow.payments.models import Assessment, OrderStatus, PaymentOrder
from singlewindow.payments.money import text
from singlewindow.payments.ports import OriginProof, OriginQuery
from singlewindow.payments.rates import china_day, month_of
from singlewindow.payments.tariff import Tariff
from singlewindow.payments.tariff import shipped as shipped_tariff
from singlewindow.payments.valuation import shipped as shipped_rules

ASSESSED_KINDS = frozenset({"declaration", "amendment"})
AUTO_GUARANTEE = "AUTO-GUARANTEE"


class TreasuryAdapter:
    """The exchange's adapter for destination ``treasury``."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], origin: OriginProof, *, auto_guarantee: bool
    ) -> None:
        self._sessions = sessions
        self._origin = origin
        self._auto_guarantee = auto_guarantee

    async def deliver(self, message: Outbound) -> None:
        await to_completion(self._deliver(message))

    async def _deliver(self, message: Outbound) -> None:
        body = json.loads(message.body)
        async with self._sessions() as session:
            try:
                await receive(session, message.kind, body, self._origin, auto_guarantee=self._auto_guarantee)
                await session.commit()
            except IntegrityError as exc:
                raise DeliveryFailed("assessed concurrently; the retry finds the assessment") from exc


async def receive(
    session: AsyncSession, kind: str, body: dict[str, Any], origin: OriginProof, *, auto_guarantee: bool
) -> str:
    declaration_id, revision = uuid.UUID(body["subject_id"]), int(body["revision"])
    if kind == "withdrawal":
        return await _withdraw(session, declaration_id)
    if kind not in ASSESSED_KINDS:
        return f"ignored: {kind}"
    if await repository.assessment_of(session, declaration_id, revision) is not None:
        return "already assessed"
    payload = body["payload"]
    try:
        order = await open_order(session, declaration_id, revision, payload, origin)
    except (Unprocessable, NotFound) as exc:
        await service.reject(session, declaration_id, revision, f"treasury cannot assess: {exc.detail}")
        return "rejected"
    if order.amount == 0:
        await service.settle_nothing_due(session, order)
    elif auto_guarantee:
        await service.settle_by_guarantee(session, order, f"{AUTO_GUARANTEE}-{order.id.hex[:12]}", actor="system")
    return f"order {order.id}"


async def _withdraw(session: AsyncSession, declaration_id: uuid.UUID) -> str:
    """The declaration was cancelled (or no longer needs the treasury): unpaid orders lapse, guarantees are freed.

    Money already paid stays paid; refunds are outside the platform (the treasury's own procedure).
    """
    cancelled = 0
    for order in await repository.orders_of_declaration(session, declaration_id):
        if order.status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.GUARANTEED):
            order.status, order.updated_at = OrderStatus.CANCELLED, utcnow()
            cancelled += 1
    await session.flush()
    return f"cancelled {cancelled} unpaid or guaranteed order(s)"


async def open_order(
    session: AsyncSession,
    declaration_id: uuid.UUID,
    revision: int,
    payload: dict[str, Any],
    origin: OriginProof,
    *,
    tariff: Tariff | None = None,
) -> PaymentOrder:
    """Assess one revision and open its payment order; earlier unpaid orders are cancelled, paid ones credited."""
    declaration = payload["declaration"]
    declarant = payload.get("declarant") or {}
    party = await identity.enterprise_by_uscc(session, declarant.get("uscc") or "")
    goods = goods_of(declaration)
    tariff = tariff or shipped_tariff()
    proofs, refusals = await _proofs(session, declaration_id, declarant.get("uscc"), goods, tariff, origin)
    rates = await rates_on(session, month_of(china_day(utcnow())), goods)
    result, notes = assess(goods, tariff, shipped_rules(), rates, proofs, refusals)
    assessment = _assessment_row(declaration_id, revision, party.id, goods.reference, result, notes)
    session.add(assessment)
    await session.flush()
    earlier = await repository.orders_of_declaration(session, declaration_id)
    credited = service.credit_from(await repository.payments_of(session, [o.id for o in earlier]))
    for old in earlier:
        if old.status is OrderStatus.AWAITING_PAYMENT:
            old.status, old.updated_at = OrderStatus.CANCELLED, utcnow()
    order = PaymentOrder(
        id=new_id(),
        assessment_id=assessment.id,
        declaration_id=declaration_id,
        revision=revision,
        party_id=party.id,
        reference=goods.reference,
        amount=max(result.total - credited, Decimal("0.00")),
        credited=min(credited, result.total),
        currency=result.currency,
        status=OrderStatus.AWAITING_PAYMENT,
    )
    session.add(order)
    await session.flush()
    await audit.record(
        session,
        actor="agency:treasury",
        action="payment.assessed",
        subject=str(order.id),
        detail={"declaration": str(declaration_id), "revision": revision, "total": text(result.total)},
    )
    return order


def goods_of(declaration: dict[str, Any]) -> Goods:
    """The goods as the treasury's view of the declaration carries them (catalogue agency requirements)."""
    return Goods(
        reference=str(declaration.get("reference", "")),
        currency=str(declaration["currency"]),
        incoterm=str(declaration["incoterm"]),
        transport_mode=str(declaration["transport_mode"]),
        items=[
            Item(
                seq=int(g["seq"]),
                hs_code=str(g["hs_code"]),
                description=str(g.get("description", "")),
                quantity=Decimal(str(g["quantity"])),
                unit=str(g["unit"]),
                net_weight_kg=Decimal(str(g["net_weight_kg"])),
                value=Decimal(str(g["value"])),
                origin=str(g["origin_country"]),
                certificate=str(g["origin_certificate_number"]) if g.get("origin_certificate_number") else None,
            )
            for g in declaration.get("goods", [])
        ],
        freight=_charge(declaration.get("freight")),
        insurance=_charge(declaration.get("insurance")),
    )


def _charge(value: object) -> Charge | None:
    """Declared freight or insurance ({"amount", "currency"} or {"rate_percent"}), when the declaration carries it."""
    if not isinstance(value, dict):
        return None
    amount, currency, rate = value.get("amount"), value.get("currency"), value.get("rate_percent")
    return Charge(
        amount=Decimal(str(amount)) if amount is not None else None,
        currency=str(currency) if currency is not None else None,
        rate_percent=Decimal(str(rate)) if rate is not None else None,
    )


def _code(agreement: str) -> str:
    """Agreement codes compared as issuers write them: ``ChAFTA`` on the tariff is ``CHAFTA`` on a certificate."""
    return "".join(c for c in agreement.upper() if c.isalnum())


def _claimed(goods: Goods) -> dict[tuple[str, str, str], Decimal]:
    """Per certificate, subheading and unit, the quantity the declaration's items claim under it together."""
    claimed: dict[tuple[str, str, str], Decimal] = {}
    for item in goods.items:
        if item.certificate is not None:
            key = (item.certificate, item.hs_code[:6], item.unit)
            claimed[key] = claimed.get(key, Decimal(0)) + item.quantity
    return claimed


async def _proofs(
    session: AsyncSession,
    declaration_id: uuid.UUID,
    uscc: str | None,
    goods: Goods,
    tariff: Tariff,
    origin: OriginProof,
) -> tuple[ProofOf, Refusals]:
    """Each cited certificate checked: the agreement it proves, if the tariff gives that origin a rate under it."""
    found: dict[tuple[int, str], str] = {}
    refused: dict[int, str] = {}
    claimed = _claimed(goods)
    for item in goods.items:
        if item.certificate is None:
            continue
        key, line = tariff.line(item.hs_code)
        total = claimed[(item.certificate, item.hs_code[:6], item.unit)]
        query = OriginQuery(
            declaration_id, uscc, item.seq, item.hs_code, item.origin, item.certificate, total, item.unit
        )
        answer = await origin.check(session, query)
        if answer.agreement is None:
            refused[item.seq] = answer.reason or f"certificate of origin {item.certificate} proves no origin here"
            continue
        usable = [a for a in tariff.agreements_for(item.origin, line) if _code(a) == _code(answer.agreement)]
        if usable:
            found[(item.seq, usable[0])] = item.certificate
        else:
            refused[item.seq] = (
                f"certificate of origin {item.certificate} is under {answer.agreement}, which gives goods of "
                f"{item.origin} no conventional rate on tariff line {key}"
            )
    return found, refused


async def rates_on(session: AsyncSession, month: str, goods: Goods) -> dict[str, ExchangeRate]:
    """The month's customs rates; a currency whose month is not loaded takes its latest earlier rate, flagged stale."""
    return {
        r.currency: ExchangeRate(r.currency, r.rate, r.month, r.published_on.isoformat(), stale=r.month != month)
        for r in await repository.rates_up_to(session, month)
    }


def _assessment_row(
    declaration_id: uuid.UUID, revision: int, party_id: uuid.UUID, reference: str, result: Result, notes: list[Any]
) -> Assessment:
    return Assessment(
        declaration_id=declaration_id,
        revision=revision,
        party_id=party_id,
        reference=reference[:40],
        currency=result.currency,
        customs_value=result.sum("customs_value"),
        duty=result.sum("duty"),
        consumption_tax=result.sum("consumption_tax"),
        vat=result.sum("vat"),
        total=result.total,
        items=[
            {
                "seq": i.seq,
                "hs_code": i.hs_code,
                "tariff_line": i.tariff_line,
                "description": i.description,
                "origin": i.origin,
                "duty_rate": i.duty_rate.rate.describe(),
                "duty_column": i.duty_rate.column,
                "agreement": i.duty_rate.agreement,
                "proof_of_origin": i.duty_rate.proof,
                "preference_refused": i.preference_refused,
                "customs_value": text(i.customs_value),
                "duty": text(i.duty),
                "consumption_tax": text(i.consumption_tax),
                "vat": text(i.vat),
                "lines": [line.as_json() for line in i.lines],
            }
            for i in result.items
        ],
        notes=[n.as_json() for n in notes],
    )
