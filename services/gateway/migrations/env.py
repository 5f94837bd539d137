"""Alembic environment: the gateway schema history (database in GATEWAY_DATABASE_URL)."""

import gateway.models  # noqa: F401  (registers every table on the metadata)
from contracts.runtime.migrations import run_migrations
from gateway.db import metadata
from gateway.settings import Settings

run_migrations(metadata, Settings().database_url)
