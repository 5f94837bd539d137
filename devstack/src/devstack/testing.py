"""Helpers for the test suites of every package: databases, migrations, tokens.

The suites run on SQLite by default and on PostgreSQL when ``TEST_POSTGRES_URL`` names a
server (for example postgresql://postgres@127.0.0.1:5432); each run gets throwaway databases.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

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
    """A fresh database for ``service``, migrated to its latest schema."""
    with empty_database(service, directory) as url:
        migrate(service, url)
        yield url


class TestKeys:
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
