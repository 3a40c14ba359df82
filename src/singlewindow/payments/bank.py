"""The demo's simulated bank: takes payment instructions from the exchange and answers through its inbox.

How it treats an instruction is controllable per payer account (``behaviour``):
``accept`` debits the account if the balance covers the amount (else declines for
insufficient funds), ``decline`` always declines, ``timeout`` never answers (the delivery
fails like an HTTP timeout, and the exchange retries until it dead-letters the
instruction). The bank keeps one debit per instruction id, so an instruction delivered
twice is debited once: the property a real bank's idempotency key gives.
"""

import json
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from singlewindow.audit import service as audit
from singlewindow.errors import NotFound
from singlewindow.exchange import service as exchange
from singlewindow.exchange.ports import DeliveryFailed, Outbound
from singlewindow.exchange.schemas import InboundEnvelope
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.payments.delivery import to_completion
from singlewindow.payments.models import SimulatedAccount, SimulatedDebit
from singlewindow.payments.schemas import SimulatedAccountIn
from singlewindow.payments.service import BANK_PREFIX, RESULT

SENDER = BANK_PREFIX + "simulated"
DEMO_ACCOUNT = "6222020200112233"


class SimulatedBank:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def deliver(self, message: Outbound) -> None:
        await to_completion(self._deliver(message))

    async def _deliver(self, message: Outbound) -> None:
        instruction = json.loads(message.body)
        async with self._sessions() as session:
            try:
                answer = await decide(session, instruction["payload"])
                await _answer(session, uuid.UUID(instruction["subject_id"]), answer)
                await session.commit()
            except IntegrityError as exc:
                raise DeliveryFailed("instruction handled concurrently; the retry finds the debit") from exc


async def decide(session: AsyncSession, instruction: dict[str, Any]) -> dict[str, Any]:
    """Debit once per instruction id, or decline; raise DeliveryFailed to simulate a timeout."""
    instruction_id = uuid.UUID(instruction["instruction_id"])
    account = await session.scalar(
        select(SimulatedAccount).where(SimulatedAccount.account == instruction["payer_account"]).with_for_update()
    )
    if account is not None and account.behaviour == "timeout":
        raise DeliveryFailed("simulated bank: no answer (timeout)")
    if await session.get(SimulatedDebit, instruction_id) is not None:
        return {"result": "accepted", "bank_reference": _reference(instruction_id)}
    amount = Decimal(instruction["amount"])
    if account is None:
        return {"result": "declined", "reason": "no such account"}
    if account.behaviour == "decline":
        return {"result": "declined", "reason": "declined by the payer's bank"}
    if account.balance < amount:
        return {"result": "declined", "reason": "insufficient funds"}
    account.balance -= amount
    session.add(SimulatedDebit(instruction_id=instruction_id, account=account.account, amount=amount))
    await session.flush()
    return {"result": "accepted", "bank_reference": _reference(instruction_id)}


def _reference(instruction_id: uuid.UUID) -> str:
    return f"SIMBANK-{instruction_id.hex[:16].upper()}"


async def _answer(session: AsyncSession, payment_id: uuid.UUID, answer: dict[str, Any]) -> None:
    envelope = InboundEnvelope(
        message_id=f"{payment_id}:result",
        kind=RESULT,
        subject_id=payment_id,
        revision=1,
        issued_at=utcnow(),
        payload=answer,
    )
    raw = exchange.canonical_json(envelope.model_dump(mode="json"))
    await exchange.receive(session, SENDER, envelope, raw, exchange.JSON)


async def put_account(
    session: AsyncSession, principal: Principal, account: str, data: SimulatedAccountIn
) -> SimulatedAccount:
    ensure(principal, "payment:operate")
    row = await session.get(SimulatedAccount, account)
    if row is None:
        row = SimulatedAccount(account=account)
        session.add(row)
    row.holder, row.balance, row.behaviour = data.holder, data.balance, data.behaviour
    await session.flush()
    await audit.record(session, actor=principal.actor, action="payment.simulated_account_set", subject=account)
    return row


async def get_account(session: AsyncSession, principal: Principal, account: str) -> SimulatedAccount:
    ensure(principal, "payment:operate")
    row = await session.get(SimulatedAccount, account)
    if row is None:
        raise NotFound(f"the simulated bank has no account {account}")
    return row


async def debits(session: AsyncSession, account: str) -> list[SimulatedDebit]:
    return list(await session.scalars(select(SimulatedDebit).where(SimulatedDebit.account == account)))


async def ensure_demo_account(session: AsyncSession, holder: str) -> None:
    """The demo trader's account, with enough money for the demo declarations."""
    if await session.get(SimulatedAccount, DEMO_ACCOUNT) is None:
        session.add(
            SimulatedAccount(account=DEMO_ACCOUNT, holder=holder, balance=Decimal("10000000.00"), behaviour="accept")
        )
        await session.flush()
