from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Gateway settings, read from GATEWAY_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///gateway.db"
    crm_url: str = "http://127.0.0.1:8001"
    erp_url: str = "http://127.0.0.1:8002"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    jwt_private_key: str = Field(default="", description="PEM of the Ed25519 signing key.")
    jwt_private_key_file: Path | None = None
    access_token_minutes: int = 15
    refresh_token_days: int = 7
    # The first admin, created at startup when no user exists (change the password at once).
    bootstrap_admin_username: str = "admin"
    bootstrap_admin_password: str = Field(default="", repr=False)
    # A composed view gives up on one of its parts after this and shows it as missing.
    upstream_timeout_seconds: float = 3.0
    # A call passed through to one service is the caller's whole operation: wait longer for it
    # (a service just restarted and catching up answers slowly, but answers).
    passthrough_timeout_seconds: float = 15.0
    cors_origins: list[str] = Field(default_factory=list)
    max_request_bytes: int = 1_000_000
    # Per client (token subject, else IP) and per gateway replica; 0 turns limiting off.
    rate_limit_per_minute: int = 6000
    idempotency_hours: int = 24
    # The live event stream consumes the broker's topics; off in in-process API tests.
    run_event_stream: bool = True
    event_stream_replay: int = 1000  # recent events kept for Last-Event-ID resumption
    openapi_cache_seconds: float = 60.0

    def private_key(self) -> str:
        if self.jwt_private_key:
            return self.jwt_private_key
        if self.jwt_private_key_file:
            return self.jwt_private_key_file.read_text()
        raise RuntimeError("set GATEWAY_JWT_PRIVATE_KEY or GATEWAY_JWT_PRIVATE_KEY_FILE")
