"""Alembic environment: erp's schema history, applied to the database in ERP_DATABASE_URL."""

import erp.models  # noqa: F401  (registers every table on the metadata)
from contracts.runtime.migrations import run_migrations
from erp.db import metadata
from erp.settings import Settings

run_migrations(metadata, Settings().database_url)
