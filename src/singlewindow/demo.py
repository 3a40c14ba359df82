"""Demo data: the operator, a demo trader and its licences, the routing rules and the simulated agencies.

Idempotent: run it on every start; it only adds what is missing and resets the demo
passwords to the ones given.
"""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity import repository as identities
from singlewindow.identity import service as identity
from singlewindow.identity.credentials import hash_password
from singlewindow.identity.models import Party, PartyKind
from singlewindow.identity.schemas import AdminUser, EnterpriseRegistration
from singlewindow.licences import service as licences
from singlewindow.payments import bank as simulated_bank
from singlewindow.payments import reference as payments_reference
from singlewindow.qualifications import service as qualifications
from singlewindow.routing import service as routing
from singlewindow.simulators import service as simulators

DEMO_TRADER = "demo-trader"
DEMO_OPERATOR = "operator"
DEMO_TRADER_USCC = "91310000MA1FL8TQ36"
DEMO_TRADER_NAME = "上海示范进出口有限公司 Shanghai Demo Import & Export Co., Ltd."
DEMO_CUSTOMS_CODE = "3101234567"
CUSTOMS_REGISTRATION = "customs_registration"


@dataclass(frozen=True, slots=True)
class DemoAccounts:
    trader: str
    operator: str
    password: str


async def seed(
    session: AsyncSession, *, password: str, public_url: str, simulators_enabled: bool, officers: bool = False
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
    return DemoAccounts(trader=DEMO_TRADER, operator=DEMO_OPERATOR, password=password)


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
