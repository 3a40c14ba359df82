"""Reference data the assessment and the public catalogue read: customs exchange rates and port charges."""

import csv
import io
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from importlib.resources import files

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.catalogue.code_lists import code_lists
from singlewindow.errors import InvalidData
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.payments import repository
from singlewindow.payments.errors import PortChargeNotFound
from singlewindow.payments.models import CustomsRate, PortCharge
from singlewindow.payments.rates import publication_day
from singlewindow.payments.schemas import Comparison, PortChargeIn, PortChargeOut, RateIn

_DATA = files("singlewindow.payments") / "data"


def _check_currency(currency: str) -> None:
    if currency not in code_lists().get("currency") or currency == "CNY":
        raise InvalidData(
            [
                {
                    "type": "code_list",
                    "loc": ("path", "currency"),
                    "msg": f"{currency!r} is not a foreign ISO 4217 currency",
                    "input": currency,
                }
            ]
        )


async def put_rate(session: AsyncSession, principal: Principal, currency: str, month: str, data: RateIn) -> CustomsRate:
    """Load one month's customs rate for a currency (replacing what was loaded)."""
    ensure(principal, "payment:operate")
    _check_currency(currency)
    row = await session.get(CustomsRate, (currency, month))
    if row is None:
        row = CustomsRate(currency=currency, month=month)
        session.add(row)
    row.rate, row.source, row.updated_at = data.rate, data.source, utcnow()
    row.published_on = data.published_on or publication_day(month)
    await session.flush()
    await audit.record(
        session,
        actor=principal.actor,
        action="payment.rate_set",
        subject=f"{currency}/{month}",
        detail={"rate": str(data.rate)},
    )
    return row


async def rates(session: AsyncSession, month: str | None = None) -> list[CustomsRate]:
    return await repository.rates(session, month)


async def seed(session: AsyncSession) -> None:
    """Load the shipped rates and port charges into empty tables (idempotent)."""
    if await session.scalar(select(CustomsRate.currency).limit(1)) is None:
        for row in csv.DictReader(io.StringIO((_DATA / "exchange_rates.csv").read_text("utf-8"))):
            session.add(
                CustomsRate(
                    currency=row["currency"],
                    month=row["month"],
                    rate=Decimal(row["rate"]),
                    published_on=date.fromisoformat(row["published_on"]),
                    source=row["source"],
                )
            )
    if not await repository.any_port_charge(session):
        for charge in json.loads((_DATA / "port_charges.json").read_text("utf-8"))["charges"]:
            session.add(PortCharge(**PortChargeIn.model_validate(charge).model_dump()))
    await session.flush()


async def search_charges(
    session: AsyncSession,
    *,
    port: str | None = None,
    operator: str | None = None,
    service: str | None = None,
    text: str | None = None,
) -> list[PortCharge]:
    return await repository.port_charges(session, port=port, operator=operator, service=service, text=text)


async def compare(session: AsyncSession, service_code: str) -> list[Comparison]:
    """One service across ports, cheapest first, one comparison per unit and currency (only like with like)."""
    rows = await repository.port_charges(session, port=None, operator=None, service=service_code, text=None)
    if not rows:
        raise PortChargeNotFound(f"no port publishes a charge for service {service_code!r}")
    groups: dict[tuple[str, str], list[PortCharge]] = defaultdict(list)
    for row in rows:
        groups[(row.unit, row.currency)].append(row)
    return [
        Comparison(
            service_code=service_code,
            unit=unit,
            currency=currency,
            charges=[PortChargeOut.model_validate(c) for c in sorted(charges, key=lambda c: (c.standard, c.port))],
            lowest=min(c.standard for c in charges),
            highest=max(c.standard for c in charges),
        )
        for (unit, currency), charges in sorted(groups.items())
    ]


async def publish_charge(session: AsyncSession, principal: Principal, data: PortChargeIn) -> PortCharge:
    """Publish or revise one charge (a port operator's schedule entered by the platform operator)."""
    ensure(principal, "payment:operate")
    if data.port not in code_lists().get("locode"):
        raise InvalidData(
            [
                {
                    "type": "code_list",
                    "loc": ("body", "port"),
                    "msg": f"{data.port!r} is not a UN/LOCODE",
                    "input": data.port,
                }
            ]
        )
    row = await repository.port_charge(session, data.port, data.operator, data.service_code, data.unit)
    if row is None:
        row = PortCharge()
        session.add(row)
    for name, value in data.model_dump().items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    await session.flush()
    await audit.record(session, actor=principal.actor, action="payment.port_charge_published", subject=str(row.id))
    return row
