"""Users: check a password, manage accounts of people, bootstrap the first admin."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.access import Role
from contracts.errors import Conflict, InvalidRequest, NotFound
from gateway.auth.models import User
from gateway.auth.tokens import revoke_subject
from gateway.settings import Settings

hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class BadCredentials(Exception):
    pass


def hash_secret(secret: str) -> str:
    return hasher.hash(secret)


def verify_secret(secret_hash: str, secret: str) -> bool:
    try:
        return hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def check_roles(roles: list[str], account_id: uuid.UUID | None) -> None:
    """Roles must exist; a customer is bound to exactly one account and holds no staff role."""
    valid = {r.value for r in Role}
    unknown = [r for r in roles if r not in valid]
    if unknown:
        raise InvalidRequest(
            f"unknown roles {unknown}",
            errors=[{"field": "body.roles", "message": f"one of {sorted(valid)}"}],
        )
    if Role.CUSTOMER in roles:
        if account_id is None:
            raise InvalidRequest(
                "a customer must name its account",
                errors=[{"field": "body.account_id", "message": "required"}],
            )
        if len(roles) > 1:
            raise InvalidRequest(
                "the customer role cannot be combined with staff roles",
                errors=[{"field": "body.roles", "message": "customer alone"}],
            )


async def authenticate(session: AsyncSession, username: str, password: str) -> User:
    user = await session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        hasher.hash(password)  # spend the same time, so usernames cannot be probed
        raise BadCredentials()
    if not verify_secret(user.password_hash, password):
        raise BadCredentials()
    return user


async def create_user(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    roles: list[str],
    account_id: uuid.UUID | None = None,
) -> User:
    check_roles(roles, account_id)
    if await session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"user {username} exists")
    user = User(
        id=uuid.uuid4(),
        username=username,
        password_hash=hash_secret(password),
        roles=roles,
        account_id=account_id,
        active=True,
        created_at=datetime.now(UTC),
    )
    session.add(user)
    await session.flush()
    return user


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


async def change_user(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    roles: list[str] | None = None,
    account_id: uuid.UUID | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> User:
    """Change a user; changed roles or deactivation end the user's refresh tokens at once."""
    user = await get_user(session, user_id)
    new_roles = roles if roles is not None else list(user.roles)
    new_account = account_id if account_id is not None else user.account_id
    check_roles(new_roles, new_account)
    if new_roles != list(user.roles) or (active is False and user.active):
        await revoke_subject(session, user.username)
    user.roles = new_roles
    user.account_id = new_account
    if active is not None:
        user.active = active
    if password is not None:
        user.password_hash = hash_secret(password)
        await revoke_subject(session, user.username)
    await session.flush()
    return user


async def ensure_bootstrap_admin(session: AsyncSession, settings: Settings) -> None:
    """Create the first admin from settings when the user table is empty."""
    if not settings.bootstrap_admin_password:
        return
    if await session.scalar(select(func.count()).select_from(User)):
        return
    await create_user(
        session,
        username=settings.bootstrap_admin_username,
        password=settings.bootstrap_admin_password,
        roles=[Role.ADMIN.value],
    )
