from pydantic_settings import SettingsConfigDict

from contracts.runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    """CRM settings, read from CRM_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="CRM_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///crm.db"
