"""Helpers for the test suites of every package: databases, migrations, tokens.

The suites run on SQLite by default and on PostgreSQL when ``TEST_POSTGRES_URL`` names a
server (for example postgresql://postgres@127.0.0.1:5432); each run gets throwaway databases.
"""

from __future__ import annotations

import atexit
import importlib
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devstack.stack import migrate


def postgres_url() -> str | None:
    return os.environ.get("TEST_POSTGRES_URL") or None


@contextmanager
def empty_database(name: str, directory: Path) -> Iterator[str]:
    """A new empty database (SQLite file, or PostgreSQL database dropped afterwards)."""
    server = postgres_url()
    if server is None:
        yield f"sqlite:///{directory / f'{name}-{uuid.uuid4().hex[:8]}.db'}"
        return
    import psycopg

    db_name = f"test_{name}_{uuid.uuid4().hex[:12]}"
    admin = server.rstrip("/") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}"')
    try:
        yield f"{server.rstrip('/')}/{db_name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


@contextmanager
def throwaway_database(service: str, directory: Path) -> Iterator[str]:
    """A fresh database for ``service``, migrated to its latest schema.

    The migrations run once per test process, into a template; each test gets a copy of it
    (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL), which is the same
    schema at a fraction of the cost of running Alembic for every test.
    """
    template = _migrated_template(service)
    server = postgres_url()
    if server is None:
        path = directory / f"{service}-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    import psycopg

    name = f"test_{service}_{uuid.uuid4().hex[:12]}"
    admin = server.rstrip("/") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield f"{server.rstrip('/')}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_templates: dict[str, str] = {}


def _migrated_template(service: str) -> str:
    """A migrated database to copy: a SQLite file path, or a PostgreSQL database name."""
    if service in _templates:
        return _templates[service]
    server = postgres_url()
    if server is None:
        directory = Path(tempfile.mkdtemp(prefix=f"template-{service}-"))
        path = directory / f"{service}.db"
        migrate(service, f"sqlite:///{path}")
        # Alembic's process has exited, so SQLite folded its write-ahead log into the file.
        atexit.register(shutil.rmtree, directory, True)
        _templates[service] = str(path)
        return str(path)
    import psycopg

    name = f"template_{service}_{uuid.uuid4().hex[:12]}"
    admin = server.rstrip("/") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    migrate(service, f"{server.rstrip('/')}/{name}")

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    atexit.register(drop)
    _templates[service] = name
    return name


class SigningKeys:
    """A signing key pair for tests, and tokens for any roles."""

    def __init__(self) -> None:
        key = Ed25519PrivateKey.generate()
        self.private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        self.public_pem = (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
            .decode()
        )

    def token(
        self,
        *roles: str,
        subject: str = "tester",
        account_id: uuid.UUID | None = None,
        ttl: timedelta = timedelta(minutes=5),
    ) -> str:
        from contracts.http.auth import issue_token

        return issue_token(
            self.private_pem,
            subject=subject,
            roles=list(roles or ("admin",)),
            account_id=account_id,
            ttl=ttl,
        )

    def headers(self, *roles: str, **kwargs: object) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*roles, **kwargs)}"}  # type: ignore[arg-type]


@asynccontextmanager
async def service_client(
    service: str, directory: Path, keys: SigningKeys
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app of ``service`` in-process, on a fresh migrated database.

    Relay and consumer are off (no broker needed): API tests check what the request path
    commits, including the outbox rows it writes.  The app is reachable as ``client.app``.
    """
    app_module = importlib.import_module(f"{service}.app")
    settings_module = importlib.import_module(f"{service}.settings")
    with throwaway_database(service, directory) as url:
        settings = settings_module.Settings(
            database_url=url,
            jwt_public_key=keys.public_pem,
            run_relay=False,
            run_consumer=False,
            kafka_bootstrap_servers="127.0.0.1:9",
        )
        app = app_module.create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                client.app = app  # type: ignore[attr-defined]
                yield client


def eventually(check: Callable[[], Any], timeout: float = 20, interval: float = 0.1) -> Any:
    """Poll ``check`` until it returns something truthy; fail with its last value."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"not reached within {timeout}s; last value: {last!r}")


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]
