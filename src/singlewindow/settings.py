"""One typed settings object; every knob is an ``SW_*`` environment variable."""

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SW_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/singlewindow.db"
    data_dir: Path = Path("./var")
    public_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr = SecretStr("change-me-in-production-0123456789abcdef")
    token_ttl_seconds: int = 3600
    country: str = Field(default="CN", description="ISO 3166 code of the deploying country")

    embedded_worker: bool = Field(
        default=False, description="Run the dispatcher inside the API process (the demo does)"
    )
    simulators: bool = Field(default=False, description="Mount the built-in agency simulators")
    exchange_backend: Literal["database"] = "database"

    dispatch_batch_size: int = 50
    dispatch_poll_seconds: float = 0.2
    dispatch_lease_seconds: float = 30.0
    retry_base_seconds: float = 1.0
    retry_cap_seconds: float = 300.0
    retry_max_attempts: int = 12
    delivery_timeout_seconds: float = 10.0

    simulator_inspection_delay_seconds: float = 1.0
    simulator_rules_file: Path | None = None
    log_level: str = "INFO"
    log_json: bool = True


@cache
def get_settings() -> Settings:
    return Settings()
