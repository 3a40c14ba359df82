"""Payment orders: pay through a bank, or lodge a guarantee; settle, issue the receipt, release.

Paying never takes money twice. The order row is locked while a payment is started, so of
two concurrent requests one starts the bank instruction and the other sees it; the same
Idempotency-Key returns the same payment; a settled order refuses further payment. The
bank dedups on the instruction id (our payment id), so a redelivered instruction debits
once, and its answer arrives through the exchange inbox, deduplicated on the bank's id.

Settling sends the treasury's release through the same inbound path as any agency's
decision, with a message id derived from the order, so the declaration's consolidated
status waits for it and a repeat changes nothing.
"""

import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.errors import Conflict, InvalidData
from singlewindow.exchange import service as exchange
from singlewindow.exchange.events import MessageDeadLettered
from singlewindow.exchange.schemas import InboundEnvelope
from singlewindow.exchange.service import InboundHandler, NewMessage
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit import events
from singlewindow.kit.clock import utcnow
from singlewindow.kit.ids import new_id
from singlewindow.kit.signatures import b64url, canonical_json
from singlewindow.payments import repository
from singlewindow.payments.errors import (
    AssessmentNotFound,
    IdempotencyKeyReused,
    OrderCancelled,
    OrderNotFound,
    OrderSettled,
)
from singlewindow.payments.events import DutiesSettled
from singlewindow.payments.models import (
    SETTLED,
    Assessment,
    OrderStatus,
    Payment,
    PaymentOrder,
    PaymentStatus,
    Receipt,
)
from singlewindow.payments.money import text
from singlewindow.payments.ports import ReceiptSigner

TREASURY = "treasury"
INSTRUCTION = "payment_instruction"
RESULT = "payment_result"
BANK_PREFIX = "bank:"


class PaymentInProgress(Conflict):
    title = "Payment in progress"


class BankResult(BaseModel):
    result: str
    bank_reference: str | None = None
    reason: str | None = None


async def orders(
    session: AsyncSession, principal: Principal, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> list[PaymentOrder]:
    ensure(principal, "payment:read")
    return await repository.orders(session, principal, status=status, limit=limit, offset=offset)


async def order_detail(
    session: AsyncSession, principal: Principal, order_id: uuid.UUID
) -> tuple[PaymentOrder, Assessment, list[Payment], Receipt | None]:
    ensure(principal, "payment:read")
    order = await repository.order(session, principal, order_id)
    if order is None:
        raise OrderNotFound(f"no payment order {order_id}")
    assessment = await repository.assessment(session, order.assessment_id)
    if assessment is None:
        raise AssessmentNotFound(f"payment order {order_id} has no assessment")
    payments = await repository.payments_of(session, [order.id])
    return order, assessment, payments, await repository.receipt_of(session, order.id)


async def orders_for_declaration(
    session: AsyncSession, principal: Principal, declaration_id: uuid.UUID
) -> list[PaymentOrder]:
    ensure(principal, "payment:read")
    found = await repository.orders_of_declaration(session, declaration_id)
    return [o for o in found if principal.is_operator or o.party_id == principal.party_id]


async def pay(
    session: AsyncSession, principal: Principal, order_id: uuid.UUID, key: str, payer_account: str, bank: str
) -> tuple[Payment, bool]:
    """Start paying an order; returns the payment and whether this call created it."""
    ensure(principal, "payment:pay")
    order = await repository.order(session, principal, order_id, for_update=True)
    if order is None:
        raise OrderNotFound(f"no payment order {order_id}")
    existing = await repository.payment_by_key(session, order.id, key)
    if existing is not None:
        if (existing.payer_account, existing.bank) != (payer_account, bank):
            raise IdempotencyKeyReused("this Idempotency-Key was used for a different payment of this order")
        return existing, False
    _refuse_unpayable(order)
    if (pending := await repository.pending_payment(session, order.id)) is not None:
        raise PaymentInProgress(f"payment {pending.id} of this order is with the bank; wait for its answer")
    payment = Payment(
        id=new_id(),
        order_id=order.id,
        idempotency_key=key,
        bank=bank,
        payer_account=payer_account,
        amount=order.amount,
        currency=order.currency,
        status=PaymentStatus.PENDING,
        actor=principal.actor,
    )
    session.add(payment)
    await session.flush()
    await exchange.enqueue(
        session,
        [
            NewMessage(
                destination=BANK_PREFIX + bank,
                kind=INSTRUCTION,
                subject_id=payment.id,
                revision=1,
                payload={
                    "instruction_id": str(payment.id),
                    "payer_account": payer_account,
                    "amount": text(order.amount),
                    "currency": order.currency,
                    "payee": TREASURY,
                    "remittance": f"{order.reference} / {order.id}",
                },
            )
        ],
    )
    await audit.record(
        session,
        actor=principal.actor,
        action="payment.started",
        subject=str(order.id),
        detail={"payment": str(payment.id)},
    )
    return payment, True


def _refuse_unpayable(order: PaymentOrder) -> None:
    if order.status in SETTLED:
        raise OrderSettled(f"payment order {order.id} is already {order.status}; nothing more is taken")
    if order.status is OrderStatus.CANCELLED:
        raise OrderCancelled(f"payment order {order.id} was cancelled (the declaration was amended or withdrawn)")


async def lodge_guarantee(
    session: AsyncSession, principal: Principal, order_id: uuid.UUID, reference: str
) -> PaymentOrder:
    """Secure the order with a bank guarantee instead of paying now: customs releases against it."""
    ensure(principal, "payment:pay")
    order = await repository.order(session, principal, order_id, for_update=True)
    if order is None:
        raise OrderNotFound(f"no payment order {order_id}")
    _refuse_unpayable(order)
    if await repository.pending_payment(session, order.id) is not None:
        raise PaymentInProgress("a payment of this order is with the bank; wait for its answer")
    await settle_by_guarantee(session, order, reference, actor=principal.actor)
    return order


async def settle_by_guarantee(session: AsyncSession, order: PaymentOrder, reference: str, *, actor: str) -> None:
    order.status, order.guarantee, order.settled_at, order.updated_at = (
        OrderStatus.GUARANTEED,
        reference,
        utcnow(),
        utcnow(),
    )
    await session.flush()
    await audit.record(session, actor=actor, action="payment.guaranteed", subject=str(order.id))
    await release(session, order, f"guaranteed by {reference}")


async def settle_nothing_due(session: AsyncSession, order: PaymentOrder) -> None:
    order.status, order.settled_at, order.updated_at = OrderStatus.PAID, utcnow(), utcnow()
    await session.flush()
    await release(session, order, "nothing to pay")


async def release(session: AsyncSession, order: PaymentOrder, why: str) -> None:
    """The treasury's release of the declaration revision, through the inbound path like any agency's decision.

    The settlement is published after the release has locked the declaration, so this
    transaction takes its locks in the order every decision does (declaration, then the
    analytics row): the other way round, two agencies' answers deadlocked on PostgreSQL.
    """
    envelope = InboundEnvelope(
        message_id=f"treasury:{order.id}:release",
        kind="decision",
        subject_id=order.declaration_id,
        revision=order.revision,
        issued_at=utcnow(),
        payload={"decision": "release", "reason": why[:500]},
    )
    await exchange.receive(session, TREASURY, envelope, _raw(envelope), exchange.JSON)
    await events.publish(session, DutiesSettled(order.declaration_id, order.settled_at or utcnow()))


async def reject(session: AsyncSession, declaration_id: uuid.UUID, revision: int, reason: str) -> None:
    """The treasury cannot assess the revision (unknown tariff line, no rate): the declarant must amend."""
    envelope = InboundEnvelope(
        message_id=f"treasury:{declaration_id}:{revision}:reject",
        kind="decision",
        subject_id=declaration_id,
        revision=revision,
        issued_at=utcnow(),
        payload={"decision": "reject", "reason": reason[:500]},
    )
    await exchange.receive(session, TREASURY, envelope, _raw(envelope), exchange.JSON)


def _raw(envelope: InboundEnvelope) -> bytes:
    return exchange.canonical_json(envelope.model_dump(mode="json"))


def bank_result_handler(signer: ReceiptSigner) -> InboundHandler:
    """The inbound handler for a bank's answer; it signs receipts with ``signer``."""

    async def apply(session: AsyncSession, sender: str, envelope: InboundEnvelope) -> str:
        try:
            result = BankResult.model_validate(envelope.payload)
        except ValidationError as exc:
            raise InvalidData([{**e, "loc": ("payload", *e["loc"])} for e in exc.errors()]) from exc
        payment = await repository.payment_for_update(session, envelope.subject_id)
        if payment is None or BANK_PREFIX + payment.bank != sender:
            raise OrderNotFound(f"no payment {envelope.subject_id} was sent to {sender}")
        if payment.status is not PaymentStatus.PENDING:
            return f"ignored: payment already {payment.status}"
        order = await repository.order_by_id_for_update(session, payment.order_id)
        assert order is not None, "a payment always belongs to an order"
        if result.result != "accepted":
            await _payment_failed(session, payment, PaymentStatus.DECLINED, result.reason or "declined by the bank")
            return "declined"
        payment.status, payment.bank_reference, payment.decided_at = (
            PaymentStatus.ACCEPTED,
            result.bank_reference,
            utcnow(),
        )
        await session.flush()
        await audit.record(session, actor=sender, action="payment.accepted", subject=str(order.id))
        if order.status is not OrderStatus.AWAITING_PAYMENT:
            return f"accepted; order already {order.status}, the amount is credited to the declaration"
        order.status, order.settled_at, order.updated_at = OrderStatus.PAID, utcnow(), utcnow()
        await session.flush()
        await issue_receipt(session, order, payment, signer)
        await release(session, order, f"paid, bank reference {result.bank_reference}")
        return "paid"

    return apply


async def _payment_failed(session: AsyncSession, payment: Payment, status: PaymentStatus, reason: str) -> None:
    payment.status, payment.reason, payment.decided_at = status, reason[:300], utcnow()
    await session.flush()
    await audit.record(
        session, actor="system", action=f"payment.{status}", subject=str(payment.order_id), detail={"reason": reason}
    )


async def on_dead_letter(session: AsyncSession, event: MessageDeadLettered) -> None:
    """The bank never answered: the attempt failed, and the trader may pay again."""
    if event.kind != INSTRUCTION or event.subject_id is None:
        return
    payment = await repository.payment_for_update(session, event.subject_id)
    if payment is not None and payment.status is PaymentStatus.PENDING:
        await _payment_failed(session, payment, PaymentStatus.FAILED, f"the bank did not answer: {event.reason}")


async def issue_receipt(session: AsyncSession, order: PaymentOrder, payment: Payment, signer: ReceiptSigner) -> Receipt:
    assessment = await repository.assessment(session, order.assessment_id)
    assert assessment is not None, "an order always has its assessment"
    issued = utcnow()
    number = f"SW{issued:%Y%m%d}{order.id.hex[-10:].upper()}"
    document: dict[str, Any] = {
        "receipt_number": number,
        "issued_at": issued.isoformat(),
        "payee": TREASURY,
        "order_id": str(order.id),
        "declaration_id": str(order.declaration_id),
        "declaration_revision": order.revision,
        "reference": order.reference,
        "amount": text(order.amount),
        "currency": order.currency,
        "bank": payment.bank,
        "bank_reference": payment.bank_reference,
        "payer_account": payment.payer_account,
        "taxes": {
            "duty": text(assessment.duty),
            "consumption_tax": text(assessment.consumption_tax),
            "vat": text(assessment.vat),
            "credited": text(order.credited),
        },
    }
    receipt = Receipt(
        order_id=order.id,
        number=number,
        issued_at=issued,
        document=document,
        signature=b64url(signer.sign(canonical_json(document))),
        key_id=signer.key_id,
    )
    session.add(receipt)
    await session.flush()
    await audit.record(session, actor="system", action="payment.receipt_issued", subject=number)
    return receipt


async def receipt(session: AsyncSession, principal: Principal, number: str) -> Receipt | None:
    ensure(principal, "payment:read")
    found = await repository.receipt_by_number(session, number)
    if found is None:
        return None
    order = await repository.order(session, principal, found.order_id)
    return found if order is not None else None


def credit_from(payments: list[Payment]) -> Decimal:
    return sum((p.amount for p in payments if p.status is PaymentStatus.ACCEPTED), Decimal("0.00"))
