"""The body of every service's Alembic ``env.py``: run migrations over the async engine."""

from __future__ import annotations

import asyncio

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from contracts.runtime.database import make_engine


def run_migrations(metadata: MetaData, database_url: str) -> None:
    """Apply the pending migrations of the current Alembic context to ``database_url``."""
    from alembic import context

    def apply(connection: Connection) -> None:
        # Batch mode lets ALTERs work on SQLite (which rebuilds the table to alter it).
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = make_engine(database_url)
        async with engine.connect() as connection:
            await connection.run_sync(apply)
            await connection.commit()
        await engine.dispose()

    asyncio.run(main())
