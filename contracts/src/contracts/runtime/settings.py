"""The settings every event-driven service has; each service subclasses with its prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings


class ServiceSettings(BaseSettings):
    """Database, broker, token key and delivery switches of one service.

    A service declares ``model_config = SettingsConfigDict(env_prefix="CRM_", ...)`` and its
    own ``database_url`` default; everything else is read the same way everywhere.
    """

    database_url: str
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    jwt_public_key: str = Field(default="", description="PEM of the gateway's signing key.")
    jwt_public_key_file: Path | None = None
    run_relay: bool = True
    run_consumer: bool = True
    db_pool_size: int = 10

    def public_key(self) -> str:
        if self.jwt_public_key:
            return self.jwt_public_key
        if self.jwt_public_key_file:
            return self.jwt_public_key_file.read_text()
        prefix = self.model_config.get("env_prefix", "")
        raise RuntimeError(f"set {prefix}JWT_PUBLIC_KEY or {prefix}JWT_PUBLIC_KEY_FILE")
