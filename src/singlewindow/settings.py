"""One typed settings object; every knob is an ``SW_*`` environment variable."""

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from singlewindow.kit.colour import AA_NORMAL_TEXT, contrast_ratio


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SW_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/singlewindow.db"
    data_dir: Path = Path("./var")
    public_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr = SecretStr("change-me-in-production-0123456789abcdef")
    token_ttl_seconds: int = 3600
    country: str = Field(default="CN", description="ISO 3166 code of the deploying country")
    reporting_timezone: str = Field(
        default="UTC",
        description="IANA zone whose calendar days the statistics count in (Asia/Shanghai for China)",
    )

    embedded_worker: bool = Field(
        default=False, description="Run the dispatcher inside the API process (the demo does)"
    )
    simulators: bool = Field(default=False, description="Mount the built-in agency simulators")
    exchange_backend: Literal["database", "rabbitmq"] = Field(
        default="database", description="database: the embedded queue; rabbitmq: the outbox relayed to quorum queues"
    )
    rabbitmq_url: SecretStr = SecretStr("amqp://guest:guest@127.0.0.1:5672/")
    rabbitmq_queue_prefix: str = Field(default="sw.exchange", description="Queues are <prefix>.<shard>")
    rabbitmq_shards: int = Field(default=4, ge=1, le=256, description="Quorum queues; a destination always maps to one")
    rabbitmq_single_active_consumer: bool = Field(
        default=False, description="One consumer per shard at a time: delivery in publish order per destination"
    )
    rabbitmq_prefetch: int = Field(default=32, ge=1, description="Unacknowledged messages a consumer holds")
    relay_recheck_seconds: float = Field(
        default=600.0, description="A relayed message still undelivered after this is relayed again"
    )
    audit_seal_seconds: float = Field(default=5.0, description="How often the worker seals the audit chain")
    analytics_rollup_seconds: float = Field(
        default=3_600.0, description="How often the worker looks for a month that has ended, to roll up its busy months"
    )
    max_body_bytes: int = Field(default=2 * 1024 * 1024, description="Larger request bodies are refused (413)")
    max_json_depth: int = Field(default=32, description="More deeply nested JSON bodies are refused (400)")

    dispatch_batch_size: int = 50
    dispatch_poll_seconds: float = 0.2
    dispatch_lease_seconds: float = 30.0
    retry_base_seconds: float = 1.0
    retry_cap_seconds: float = 300.0
    retry_max_attempts: int = 12
    delivery_timeout_seconds: float = 10.0

    signing_key: SecretStr | None = Field(
        default=None, description="Ed25519 private key (PEM) signing our tokens; else <data_dir>/signing_key.pem"
    )
    trusted_issuers: dict[str, str] = Field(
        default_factory=dict, description="Peer deployments whose tokens we accept: issuer URL -> JWKS URL (JSON)"
    )
    federation_cache_seconds: float = Field(
        default=30.0, description="How long a peer's JWKS and revocation list are cached: the revocation bound"
    )
    lookup_cache_seconds: float = Field(
        default=3.0,
        ge=0,
        le=60,
        description="How long a process caches token versions, parties, qualifications and credit levels: "
        "how late a change made by another process (a revocation) takes effect here; 0 turns caching off",
    )
    lookup_cache_entries: int = Field(default=10_000, ge=1, description="Entries each lookup cache holds at most")
    password_hash_time_cost: int = Field(default=3, ge=1, description="argon2id passes over memory per password hash")
    password_hash_memory_kib: int = Field(default=65536, ge=8, description="argon2id memory per password hash, KiB")
    password_hash_parallelism: int = Field(default=4, ge=1, description="argon2id lanes per password hash")
    lockout_threshold: int = Field(default=5, description="Failed sign-ins in a row before an account locks")
    lockout_seconds: int = 900
    totp_required: bool = Field(
        default=False, description="Refuse sign-in of administrators, officers and operators without TOTP"
    )
    mail_counterparty: str | None = Field(
        default=None, description="Exchange counterparty that relays mail; mail is always kept in mail_messages"
    )

    manifest_matching: Literal["off", "report", "enforce"] = Field(
        default="report",
        description="A cargo declaration's bill of lading against the manifests: off, report mismatches, or refuse",
    )
    manifest_weight_tolerance_percent: Decimal = Field(
        default=Decimal(2), ge=0, description="Gross weight may differ from the manifest's by this much"
    )
    manifest_package_tolerance: int = Field(default=0, ge=0, description="Packages may differ by this many")
    manifest_deadline_hours: dict[str, float] = Field(
        default_factory=lambda: {"1": 24.0, "2": 2.0, "3": 1.0, "4": 4.0},
        description="Hours before the voyage's ETA a manifest is due, per transport mode code (GACC Order 172)",
    )
    terminal_counterparty: str = Field(default="terminal", description="Receives release instructions")
    permit_signing_key: SecretStr | None = Field(
        default=None, description="Ed25519 key (PEM) signing departure permits; else <data_dir>/permit_signing_key.pem"
    )
    payments_auto_guarantee: bool = Field(
        default=False,
        description="Secure every payment order with a standing guarantee at once, so release never waits for payment",
    )

    simulator_inspection_delay_seconds: float = 1.0
    simulator_rules_file: Path | None = None
    log_level: str = "INFO"
    log_json: bool = True

    portal_region: str = Field(default="", description="Region of a regional portal (上海); empty for the national one")
    portal_region_en: str = Field(default="", description="The region's English name (Shanghai)")
    portal_logo_url: str | None = Field(default=None, description="Logo shown in the portal header")
    portal_primary_color: str = Field(
        default="#a4161a", pattern=r"^#[0-9a-fA-F]{6}$", description="Header and button colour"
    )
    portal_text_color: str = Field(
        default="#ffffff",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="Text on the primary colour; the two must meet WCAG AA contrast (4.5:1)",
    )
    portal_session_max_age_seconds: int = 8 * 3600

    @model_validator(mode="after")
    def _branding_is_readable(self) -> "Settings":
        ratio = contrast_ratio(self.portal_primary_color, self.portal_text_color)
        if ratio < AA_NORMAL_TEXT:
            raise ValueError(
                f"SW_PORTAL_PRIMARY_COLOR {self.portal_primary_color} and SW_PORTAL_TEXT_COLOR "
                f"{self.portal_text_color} have a contrast of {ratio:.2f}:1; WCAG AA needs at least "
                f"{AA_NORMAL_TEXT}:1 for the header and button text: choose a darker (or lighter) colour"
            )
        return self

    @model_validator(mode="after")
    def _reporting_timezone_is_known(self) -> "Settings":
        try:
            ZoneInfo(self.reporting_timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"SW_REPORTING_TIMEZONE {self.reporting_timezone!r} is no IANA time zone (e.g. Asia/Shanghai, UTC)"
            ) from exc
        return self

    @model_validator(mode="after")
    def _argon2_memory_covers_its_lanes(self) -> "Settings":
        if self.password_hash_memory_kib < 8 * self.password_hash_parallelism:
            raise ValueError("password_hash_memory_kib must be at least 8 KiB per lane (password_hash_parallelism)")
        return self


@cache
def get_settings() -> Settings:
    return Settings()
