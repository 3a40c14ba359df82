"""Receiving a message, deciding, and queueing the answers the simulated agency owes."""

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.exchange import service as exchange
from singlewindow.exchange.schemas import CounterpartyIn
from singlewindow.identity import service as identity
from singlewindow.identity.models import PartyKind
from singlewindow.kit.clock import utcnow
from singlewindow.simulators.models import SimulatedAgency, SimulatorReceived, SimulatorReply
from singlewindow.simulators.rules import AgencyRules, decide, export_refund

AGENCIES = {
    "customs": "海关 China Customs (simulated)",
    "inspection_quarantine": "检验检疫 Inspection and Quarantine (simulated)",
    "commerce": "商务 Ministry of Commerce licensing (simulated)",
    "maritime": "海事 Maritime Safety Administration (simulated)",
    "border_control": "边检 Border Control (simulated)",
    "tax": "税务 State Taxation Administration (simulated)",
    "foreign_exchange": "外汇 State Administration of Foreign Exchange (simulated)",
}
TERMINAL = "terminal"
SYSTEMS = {**AGENCIES, TERMINAL: "码头 Container terminal (simulated)"}
"""Every simulated counterparty: the agencies, and a terminal that gates out what it is told is released."""
RELEASE_INSTRUCTION = "release_instruction"
DECLARATION_KINDS = frozenset({"declaration", "amendment"})
QUALIFICATION_APPLICATION = "qualification_application"
"""A simulated agency grants every qualification it is asked for."""
REFUND_APPLICATION = "export_tax_refund_application"
REFUND_DECISION = "export_tax_refund_decision"
"""The tax bureau answers a released refund application with the amount it refunds, in a message of its own."""


async def install(session: AsyncSession, public_url: str) -> None:
    """Register each simulated agency (and the terminal) as a party with an API key and as a counterparty."""
    known = set(await session.scalars(select(SimulatedAgency.agency)))
    for agency, name in SYSTEMS.items():
        if agency in known:
            continue
        party = await identity.add_party(session, PartyKind.AGENCY, name, agency_code=agency)
        _, key = await identity.issue_api_key(session, party.id, f"{agency} simulator", ["officer"], actor="system")
        token = secrets.token_urlsafe(24)
        session.add(SimulatedAgency(agency=agency, inbound_token=token, api_key=key))
        endpoint = f"{public_url.rstrip('/')}/simulators/{agency}/messages"
        await exchange.put_counterparty(
            session, CounterpartyIn(code=agency, name=name, endpoint=endpoint, auth_token=token), actor="system"
        )
    await session.flush()


async def agency(session: AsyncSession, code: str) -> SimulatedAgency | None:
    return await session.get(SimulatedAgency, code)


def _reply(
    agency: str,
    received: dict[str, Any],
    suffix: str,
    issued_at: datetime,
    payload: dict[str, Any],
    kind: str = "decision",
) -> SimulatorReply:
    reply_id = f"{agency}-{received['message_id']}-{suffix}"
    envelope = {
        "message_id": reply_id,
        "kind": kind,
        "subject_id": received["subject_id"],
        "revision": received["revision"],
        "issued_at": issued_at.isoformat(),
        "payload": payload,
    }
    return SimulatorReply(id=reply_id, agency=agency, envelope=envelope, due_at=issued_at)


async def receive(
    session: AsyncSession, agency: str, message: dict[str, Any], rules: AgencyRules, inspection_delay: float
) -> bool:
    """Keep the message once and queue the answers; returns False for a repeat."""
    if await session.get(SimulatorReceived, message["message_id"]):
        return False
    session.add(
        SimulatorReceived(
            message_id=message["message_id"],
            agency=agency,
            kind=message["kind"],
            subject_id=uuid.UUID(message["subject_id"]) if message.get("subject_id") else None,
            body=message,
        )
    )
    if message["kind"] in DECLARATION_KINDS:
        now = utcnow()
        payload = message["payload"]
        decision, reason = decide(rules, payload["declaration"], payload.get("document_type", "cargo_declaration"))
        session.add(_reply(agency, message, "decision", now, {"decision": decision, "reason": reason}))
        if decision == "release" and payload.get("document_type") == REFUND_APPLICATION:
            amount = {"refund_amount": str(export_refund(rules, payload["declaration"])), "currency": "CNY"}
            session.add(_reply(agency, message, "refund", now, amount, kind=REFUND_DECISION))
        if decision == "inspect":
            result = f"inspection_{rules.inspection_result}"
            reason = "inspection found a discrepancy" if rules.inspection_result == "failed" else None
            later = now + timedelta(seconds=max(inspection_delay, 0.001))
            session.add(_reply(agency, message, "inspection", later, {"decision": result, "reason": reason}))
    if message["kind"] == RELEASE_INSTRUCTION:
        for reply in _gate_outs(agency, message):
            session.add(reply)
    if message["kind"] == QUALIFICATION_APPLICATION:
        answer = {"decision": "granted", "reason": None}
        session.add(_reply(agency, message, "grant", utcnow(), answer, kind="qualification_decision"))
    await session.flush()
    return True


def _gate_outs(agency: str, message: dict[str, Any]) -> list[SimulatorReply]:
    """The terminal lets each released container out through the gate, and reports it as a port event."""
    now = utcnow()
    instruction = message["payload"]
    return [
        _reply(
            agency,
            message,
            f"gate-out-{number}",
            now,
            {
                "event": "gate_out",
                "occurred_at": now.isoformat(),
                "container": number,
                "bill_of_lading": instruction["bill_of_lading"],
            },
            kind="port_event",
        )
        for number in instruction["containers"]
    ]


async def claim_due_replies(session: AsyncSession, limit: int, lease_seconds: float) -> list[SimulatorReply]:
    now = utcnow()
    rows = list(
        await session.scalars(
            select(SimulatorReply)
            .where(SimulatorReply.sent.is_(False), SimulatorReply.due_at <= now)
            .order_by(SimulatorReply.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for reply in rows:
        reply.due_at = now + timedelta(seconds=lease_seconds)
        reply.attempts += 1
    await session.flush()
    return rows


async def settle_reply(session: AsyncSession, reply_id: str, *, sent: bool, error: str | None, retry_in: float) -> None:
    values: dict[str, Any] = {"sent": sent, "last_error": error}
    if not sent:
        values["due_at"] = utcnow() + timedelta(seconds=retry_in)
    await session.execute(update(SimulatorReply).where(SimulatorReply.id == reply_id).values(**values))
