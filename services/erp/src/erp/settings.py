from pydantic_settings import SettingsConfigDict

from contracts.runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    """ERP settings, read from ERP_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="ERP_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///erp.db"
