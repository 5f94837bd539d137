"""API clients: machine callers that sign in with a client id and secret (client credentials).

The secret is shown once, when the client is created or its secret is rotated; only its
argon2 hash is kept.  Client tokens carry the subject ``client:<client_id>``.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, NotFound
from gateway.auth.models import ApiClient
from gateway.auth.service import BadCredentials, check_roles, hash_secret, hasher, verify_secret
from gateway.auth.tokens import revoke_subject

SUBJECT_PREFIX = "client:"


def subject_of(client: ApiClient) -> str:
    return SUBJECT_PREFIX + client.client_id


def new_secret() -> str:
    return secrets.token_urlsafe(32)


async def create_client(
    session: AsyncSession,
    *,
    client_id: str,
    name: str,
    roles: list[str],
    account_id: uuid.UUID | None = None,
) -> tuple[ApiClient, str]:
    """Register a client; returns it with its secret (the only time the secret is known)."""
    check_roles(roles, account_id)
    if await session.scalar(select(ApiClient.id).where(ApiClient.client_id == client_id)):
        raise Conflict(f"client {client_id} exists")
    secret = new_secret()
    client = ApiClient(
        id=uuid.uuid4(),
        client_id=client_id,
        name=name,
        secret_hash=hash_secret(secret),
        roles=roles,
        account_id=account_id,
        active=True,
        created_at=datetime.now(UTC),
    )
    session.add(client)
    await session.flush()
    return client, secret


async def get_client(session: AsyncSession, id_: uuid.UUID) -> ApiClient:
    client = await session.get(ApiClient, id_)
    if client is None:
        raise NotFound(f"API client {id_} does not exist")
    return client


async def change_client(
    session: AsyncSession,
    id_: uuid.UUID,
    *,
    roles: list[str] | None = None,
    active: bool | None = None,
    rotate_secret: bool = False,
) -> tuple[ApiClient, str | None]:
    client = await get_client(session, id_)
    new_roles = roles if roles is not None else list(client.roles)
    check_roles(new_roles, client.account_id)
    client.roles = new_roles
    if active is not None:
        client.active = active
    secret = None
    if rotate_secret:
        secret = new_secret()
        client.secret_hash = hash_secret(secret)
    await revoke_subject(session, subject_of(client))
    await session.flush()
    return client, secret


async def authenticate_client(session: AsyncSession, client_id: str, secret: str) -> ApiClient:
    client = await session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    if client is None or not client.active:
        hasher.hash(secret)  # same cost whether or not the client exists
        raise BadCredentials()
    if not verify_secret(client.secret_hash, secret):
        raise BadCredentials()
    return client


async def find_by_subject(session: AsyncSession, subject: str) -> ApiClient | None:
    if not subject.startswith(SUBJECT_PREFIX):
        return None
    client_id = subject.removeprefix(SUBJECT_PREFIX)
    return await session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
