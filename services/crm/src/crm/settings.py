from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """CRM settings, read from CRM_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="CRM_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///crm.db"
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
        raise RuntimeError("set CRM_JWT_PUBLIC_KEY or CRM_JWT_PUBLIC_KEY_FILE")
