"""Alembic environment: crm's schema history, applied to the database in CRM_DATABASE_URL."""

import crm.models  # noqa: F401  (registers every table on the metadata)
from contracts.runtime.migrations import run_migrations
from crm.db import metadata
from crm.settings import Settings

run_migrations(metadata, Settings().database_url)
