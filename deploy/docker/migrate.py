"""Bring a service's database to the newest schema, one migrator at a time.

Runs ``alembic -c <ini> upgrade heads``.  Every new pod runs it (an init container) before the
app starts, so several may start together (a rollout, a scale-up); on PostgreSQL a session
advisory lock lets one migrate while the others wait, then find nothing left to do.  The lock
is released when the connection closes, even if the migrator dies.  On SQLite (development)
a lock file beside the database does the same for processes sharing that file.

Usage: python migrate.py <service> <alembic.ini>   (the URL comes from <SERVICE>_DATABASE_URL)
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys


def upgrade(ini: str) -> int:
    command = [sys.executable, "-m", "alembic", "-c", ini, "upgrade", "heads"]
    return subprocess.run(command, check=False).returncode


def plain_postgres_dsn(url: str) -> str | None:
    """``postgresql://...`` for asyncpg, or None when the database is not PostgreSQL."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+")[0] not in ("postgresql", "postgres"):
        return None
    return f"postgresql://{rest}"


async def upgrade_under_lock(service: str, ini: str, dsn: str) -> int:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("SELECT pg_advisory_lock(hashtext($1))", f"{service}:migrations")
        return await asyncio.to_thread(upgrade, ini)
    finally:
        await connection.close()


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    service, ini = argv[1], argv[2]
    url = os.environ.get(f"{service.upper()}_DATABASE_URL", "")
    if not url:
        print(f"{service.upper()}_DATABASE_URL is not set", file=sys.stderr)
        return 2
    dsn = plain_postgres_dsn(url)
    if dsn is None:
        return upgrade_under_file_lock(ini, url)
    return asyncio.run(upgrade_under_lock(service, ini, dsn))


def upgrade_under_file_lock(ini: str, url: str) -> int:
    """SQLite: two migrators writing one file at once would fail with 'database is locked'."""
    import fcntl

    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:":
        return upgrade(ini)
    with open(f"{database}.migrate-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes or the process dies
        return upgrade(ini)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
