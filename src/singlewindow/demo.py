"""Demo data: the operator, a demo trader and its licences, the routing rules and the simulated agencies.

With officers, the agencies' data classes and one grant (``sharing/data/demo-sharing.json``) are
published before the trade history, so the released demo export is shared at once.

Idempotent: run it on every start; it only adds what is missing and resets the demo
passwords to the ones given. ``singlewindow demo`` also enters the demo trader's trade
history (``demo_trade.json``): a released export and its purchase invoices, so an export tax
refund application can be pre-filled at once.
"""

import json
from dataclasses import dataclass
from datetime import timedelta
from importlib.resources import files

from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.declarations import documents
from singlewindow.declarations import service as declarations
from singlewindow.identity import repository as identities
from singlewindow.identity import service as identity
from singlewindow.identity.credentials import hash_password
from singlewindow.identity.models import Party, PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.identity.schemas import AdminUser, EnterpriseRegistration
from singlewindow.kit.clock import utcnow
from singlewindow.licences import service as licences
from singlewindow.payments import bank as simulated_bank
from singlewindow.payments import reference as payments_reference
from singlewindow.qualifications import service as qualifications
from singlewindow.refunds import service as refunds
from singlewindow.refunds.errors import InvoiceExists
from singlewindow.refunds.schemas import InvoiceIn
from singlewindow.routing import service as routing
from singlewindow.sharing import service as sharing
from singlewindow.simulators import service as simulators

DEMO_TRADER = "demo-trader"
DEMO_OPERATOR = "operator"
DEMO_TRADER_USCC = "91310000MA1FL8TQ36"
DEMO_TRADER_NAME = "上海示范进出口有限公司 Shanghai Demo Import & Export Co., Ltd."
DEMO_CUSTOMS_CODE = "3101234567"
CUSTOMS_REGISTRATION = "customs_registration"
HISTORY_KEY = "demo-trade-history-export"
"""The idempotency key of the demo export: a second start replays it instead of declaring again."""


@dataclass(frozen=True, slots=True)
class DemoAccounts:
    trader: str
    operator: str
    password: str


async def seed(
    session: AsyncSession,
    *,
    password: str,
    public_url: str,
    simulators_enabled: bool,
    officers: bool = False,
    history: bool = False,
    country: str = "CN",
) -> DemoAccounts:
    await routing.ensure_rules(session)
    await payments_reference.seed(session)
    if simulators_enabled:
        await simulators.install(session, public_url)
        await simulated_bank.ensure_demo_account(session, DEMO_TRADER_NAME)
    await _ensure_operator(session, password)
    if officers:
        await ensure_officers(session, password)
    trader = await _ensure_trader(session, password)
    await qualifications.grant(session, trader.id, CUSTOMS_REGISTRATION, actor="system")
    await licences.register_demo(session)
    if officers and simulators_enabled:
        await sharing.register_demo(session)
    if history:
        await seed_trade_history(session, trader, country)
    return DemoAccounts(trader=DEMO_TRADER, operator=DEMO_OPERATOR, password=password)


async def seed_trade_history(session: AsyncSession, trader: Party, country: str) -> None:
    """The demo trader's export (submitted once; the simulated agencies release it) and its purchase invoices."""
    history = json.loads(files("singlewindow").joinpath("demo_trade.json").read_text("utf-8"))
    user = await identities.user_by_username(session, DEMO_TRADER)
    assert user is not None, "the demo trader is seeded first"
    principal = Principal(party_id=trader.id, party_kind=trader.kind, roles=frozenset(user.roles), user_id=user.id)
    export = documents.accept(documents.CARGO, history["export"], country)
    await declarations.submit(session, principal, export, idempotency_key=HISTORY_KEY)
    today = utcnow().date()
    for row in history["invoices"]:
        fields = {k: v for k, v in row.items() if k != "days_before"}
        invoice = InvoiceIn.model_validate({**fields, "issued_on": today - timedelta(days=row["days_before"])})
        try:
            await refunds.record_invoice(session, principal, invoice)
        except InvoiceExists:
            continue


async def _ensure_operator(session: AsyncSession, password: str) -> None:
    user = await identities.user_by_username(session, DEMO_OPERATOR)
    if user is None:
        party = await identity.add_party(session, PartyKind.OPERATOR, "平台运营 Platform operator")
        await identity.add_user(session, party, DEMO_OPERATOR, password, ["operator"])
    else:
        user.password_hash = hash_password(password)


async def ensure_officers(session: AsyncSession, password: str) -> None:
    """One portal officer per simulated agency party (``officer-customs``, ...), when the agencies exist."""
    for code in simulators.AGENCIES:
        party = await identities.party_by_agency(session, code)
        if party is None:
            continue
        username = f"officer-{code}"
        user = await identities.user_by_username(session, username)
        if user is None:
            await identity.add_user(session, party, username, password, ["officer"])
        else:
            user.password_hash = hash_password(password)


async def _ensure_trader(session: AsyncSession, password: str) -> Party:
    party = await identities.party_by_uscc(session, DEMO_TRADER_USCC)
    if party is None:
        return await identity.register_enterprise(
            session,
            EnterpriseRegistration(
                name=DEMO_TRADER_NAME,
                uscc=DEMO_TRADER_USCC,
                customs_code=DEMO_CUSTOMS_CODE,
                address="上海市浦东新区外高桥保税区 Waigaoqiao Free Trade Zone, Shanghai",
                roles=["importer", "exporter"],
                admin=AdminUser(username=DEMO_TRADER, password=password),
            ),
        )
    user = await identities.user_by_username(session, DEMO_TRADER)
    if user is not None:
        user.password_hash = hash_password(password)
    await session.flush()
    return party
