"""The composition root: every context's router, event handler and adapter, on one page."""

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog
from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from singlewindow.analytics import api as analytics_api
from singlewindow.analytics import reporting as analytics_reporting
from singlewindow.analytics import service as analytics
from singlewindow.analytics import worker as analytics_worker
from singlewindow.audit import api as audit_api
from singlewindow.audit import worker as audit_worker
from singlewindow.catalogue import api as catalogue_api
from singlewindow.declarations import api as declarations_api
from singlewindow.declarations.decisions import apply_decision, on_delivered
from singlewindow.declarations.events import AgencyDecided, DeclarationStatusChanged, DeclarationSubmitted
from singlewindow.errors import ServiceUnavailable, install_error_handlers
from singlewindow.exchange import api as exchange_api
from singlewindow.exchange import service as exchange
from singlewindow.exchange.brokers import rabbitmq
from singlewindow.exchange.dispatcher import Dispatcher
from singlewindow.exchange.events import MessageDeadLettered, MessageDelivered
from singlewindow.exchange.registry import AdapterRegistry
from singlewindow.formats import api as formats_api
from singlewindow.identity import api as identity_api
from singlewindow.identity import credentials, keys
from singlewindow.identity.dependencies import PUBLIC
from singlewindow.identity.events import CreditLevelChanged
from singlewindow.kit import cache, events, metrics
from singlewindow.kit.db import create_engine, session_factory
from singlewindow.kit.limits import RequestLimits
from singlewindow.licences import api as licences_api
from singlewindow.licences import service as licences
from singlewindow.logistics import api as logistics_api
from singlewindow.logistics import config as logistics_config
from singlewindow.logistics import port as logistics_port
from singlewindow.logistics import service as logistics
from singlewindow.logistics.events import ContainerEventRecorded, GoodsArrived, GoodsGatedOut
from singlewindow.notifications import api as notifications_api
from singlewindow.notifications import service as notifications
from singlewindow.origin import api as origin_api
from singlewindow.origin import service as origin
from singlewindow.payments import api as payments_api
from singlewindow.payments import service as payments
from singlewindow.payments.bank import SimulatedBank
from singlewindow.payments.events import DutiesSettled
from singlewindow.payments.ports import OriginAnswer, OriginQuery
from singlewindow.payments.treasury import TreasuryAdapter
from singlewindow.portal import site as portal
from singlewindow.qualifications import api as qualifications_api
from singlewindow.qualifications import service as qualifications
from singlewindow.refunds import api as refunds_api
from singlewindow.refunds import service as refunds
from singlewindow.routing import api as routing_api
from singlewindow.settings import Settings, get_settings
from singlewindow.sharing import api as sharing_api
from singlewindow.sharing import feed as sharing
from singlewindow.simulators import api as simulators_api
from singlewindow.simulators.rules import load_rules
from singlewindow.simulators.worker import ReplySender

log = structlog.get_logger(__name__)


def wire_events() -> None:
    """Which context reacts to which event or inbound message kind."""
    events.subscribe(MessageDelivered, on_delivered)
    events.subscribe(DeclarationStatusChanged, notifications.on_status_changed)
    exchange.register_inbound("decision", apply_decision)
    exchange.register_inbound(qualifications.DECISION, qualifications.apply_decision)
    events.subscribe(DeclarationSubmitted, sharing.on_declaration_submitted)
    events.subscribe(DeclarationStatusChanged, sharing.on_status_changed)
    events.subscribe(CreditLevelChanged, sharing.on_credit_level_changed)
    events.subscribe(ContainerEventRecorded, sharing.on_container_event)
    events.subscribe(AgencyDecided, sharing.on_agency_decided)
    events.subscribe(DeclarationSubmitted, analytics.on_submitted)
    events.subscribe(AgencyDecided, analytics.on_agency_decided)
    events.subscribe(DeclarationStatusChanged, analytics.on_status_changed)
    events.subscribe(GoodsArrived, analytics.on_goods_arrived)
    events.subscribe(DutiesSettled, analytics.on_duties_settled)
    events.subscribe(GoodsGatedOut, analytics.on_goods_gated_out)
    events.subscribe(DeclarationSubmitted, licences.on_submitted)
    events.subscribe(DeclarationStatusChanged, licences.on_status_changed)
    events.subscribe(DeclarationSubmitted, origin.on_submitted)
    events.subscribe(DeclarationStatusChanged, origin.on_status_changed)
    events.subscribe(DeclarationSubmitted, refunds.on_submitted)
    events.subscribe(DeclarationStatusChanged, refunds.on_status_changed)
    exchange.register_inbound(refunds.DECISION, refunds.apply_decision)
    events.subscribe(DeclarationSubmitted, logistics.on_declaration_submitted)
    events.subscribe(AgencyDecided, logistics.on_agency_decided)
    events.subscribe(DeclarationStatusChanged, logistics.on_status_changed)
    exchange.register_inbound(logistics_port.KIND, logistics_port.receive)
    events.subscribe(MessageDeadLettered, payments.on_dead_letter)


def configure_process(settings: Settings) -> None:
    """What one process holds outside any app: event wiring, password cost, logistics and reporting settings, caches.

    Every platform built in the process sets it again, so the latest deployment's settings hold
    and the lookup caches start empty.
    """
    wire_events()
    credentials.configure_password_hashing(
        time_cost=settings.password_hash_time_cost,
        memory_kib=settings.password_hash_memory_kib,
        parallelism=settings.password_hash_parallelism,
    )
    logistics_config.configure(settings)
    analytics_reporting.configure(settings)
    cache.configure(settings.lookup_cache_seconds, settings.lookup_cache_entries)


class DeploymentSigner:
    """Receipts are signed with the deployment's Ed25519 key (the one its JWKS publishes), loaded on first use."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._key: keys.SigningKey | None = None

    def _loaded(self) -> keys.SigningKey:
        self._key = self._key or keys.load(self._settings)
        return self._key

    @property
    def key_id(self) -> str:
        return self._loaded().kid

    def sign(self, data: bytes) -> bytes:
        return self._loaded().private.sign(data)


class OriginCertificates:
    """Payments' ``OriginProof``, answered by the certificates-of-origin context (neither imports the other)."""

    def __init__(self, importing_country: str) -> None:
        self._importing_country = importing_country

    async def check(self, session: AsyncSession, query: OriginQuery) -> OriginAnswer:
        found = await origin.check_certificate(
            session,
            query.number,
            query.hs_code,
            query.origin,
            importing_country=self._importing_country,
            claimed=(query.quantity, query.unit),
            for_declaration=query.declaration_id,
        )
        return OriginAnswer(found.agreement, found.reason)


def wire_payments(settings: Settings, sessions: async_sessionmaker[AsyncSession], registry: AdapterRegistry) -> None:
    """The treasury agency (conventional rates proven by certificates of origin) and the banks resolve in process."""
    exchange.register_inbound(payments.RESULT, payments.bank_result_handler(DeploymentSigner(settings)))
    origin_proof = OriginCertificates(settings.country)
    treasury = TreasuryAdapter(sessions, origin_proof, auto_guarantee=settings.payments_auto_guarantee)

    async def treasury_resolver(destination: str) -> TreasuryAdapter | None:
        return treasury if destination == payments.TREASURY else None

    registry.add_resolver(payments.TREASURY, treasury_resolver)
    if settings.simulators:
        bank = SimulatedBank(sessions)

        async def bank_resolver(destination: str) -> SimulatedBank | None:
            return bank if destination == payments.BANK_PREFIX + "simulated" else None

        registry.add_resolver(payments.BANK_PREFIX, bank_resolver)


@dataclass
class Platform:
    """The long-lived parts one process shares: database, HTTP client, adapters, workers."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    client: httpx.AsyncClient
    registry: AdapterRegistry
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    @classmethod
    def build(cls, settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> "Platform":
        configure_process(settings)
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        client = httpx.AsyncClient(transport=transport, timeout=settings.delivery_timeout_seconds)
        registry = AdapterRegistry(sessions, client)
        registry.add_resolver(notifications.DESTINATION_PREFIX, notifications.webhook_resolver(sessions, client))
        wire_payments(settings, sessions, registry)
        return cls(settings, engine, sessions, client, registry)

    def workers(self) -> list[Callable[[], Coroutine[Any, Any, None]]]:
        """The background loops: the exchange's, the audit sealer, analytics' roll-ups, the simulators' replies."""
        loops: list[Callable[[], Coroutine[Any, Any, None]]] = [
            lambda: audit_worker.run(self.sessions, self.stop, self.settings.audit_seal_seconds),
            lambda: analytics_worker.run(self.sessions, self.stop, self.settings.analytics_rollup_seconds),
        ]
        if self.settings.exchange_backend == "rabbitmq":
            loops.append(lambda: rabbitmq.Relay(self.sessions, self.settings).run(self.stop))
            loops.append(lambda: rabbitmq.Consumer(self.sessions, self.registry, self.settings).run(self.stop))
        else:
            loops.append(lambda: Dispatcher(self.sessions, self.registry, self.settings).run(self.stop))
        if self.settings.simulators:
            sender = ReplySender(
                self.sessions, self.client, self.settings.public_url, lease_seconds=self.settings.dispatch_lease_seconds
            )
            loops.append(lambda: sender.run(self.stop, self.settings.dispatch_poll_seconds))
        return loops

    async def close(self) -> None:
        self.stop.set()
        await self.client.aclose()
        await self.engine.dispose()


def create_app(settings: Settings | None = None, *, transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    settings = settings or get_settings()
    platform = Platform.build(settings, transport)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(loop()) for loop in platform.workers()] if settings.embedded_worker else []
        yield
        platform.stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await platform.close()

    app = FastAPI(
        title="Single Window",
        version="0.1.0",
        summary="Declare once, released once: one entry point for every border agency.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.platform = platform
    app.state.sessions = platform.sessions
    app.state.simulator_rules = load_rules(settings.simulator_rules_file)
    install_error_handlers(app)
    app.add_middleware(RequestLimits, max_body_bytes=settings.max_body_bytes, max_json_depth=settings.max_json_depth)
    for module in (identity_api, declarations_api, exchange_api, notifications_api, routing_api):
        app.include_router(module.router)
    app.include_router(qualifications_api.router)
    app.include_router(licences_api.router)
    app.include_router(origin_api.router)
    app.include_router(refunds_api.router)
    app.include_router(catalogue_api.router)
    app.include_router(formats_api.router)
    app.include_router(audit_api.router)
    app.include_router(sharing_api.router)
    app.include_router(analytics_api.router)
    app.include_router(logistics_api.router)
    app.include_router(payments_api.router)
    if settings.simulators:
        app.include_router(simulators_api.router)
        app.include_router(payments_api.simulated_bank)
    _add_operations_routes(app)
    portal.install(app, settings, platform.sessions)
    return app


def _add_operations_routes(app: FastAPI) -> None:
    app.add_middleware(metrics.RequestMetrics)

    @app.get("/healthz", tags=["operations"], dependencies=[PUBLIC])
    async def healthz(request: Request) -> dict[str, str]:
        """200 when the database answers."""
        try:
            async with request.app.state.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as exc:
            raise ServiceUnavailable(f"database unreachable: {type(exc).__name__}") from exc
        return {"status": "ok"}

    @app.get("/metrics", tags=["operations"], dependencies=[PUBLIC])
    async def prometheus() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
