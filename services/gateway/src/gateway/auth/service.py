"""Users and tokens: check a password, issue access and refresh tokens, refresh them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.access import Role
from contracts.errors import Conflict, InvalidRequest
from contracts.http.auth import InvalidToken, issue_token, verify_token
from gateway.auth.models import User
from gateway.settings import Settings

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class BadCredentials(Exception):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


async def authenticate(session: AsyncSession, username: str, password: str) -> User:
    user = await session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        _hasher.hash(password)  # spend the same time, so usernames cannot be probed
        raise BadCredentials()
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise BadCredentials() from None
    return user


def token_pair(settings: Settings, user: User) -> dict[str, object]:
    key = settings.private_key()
    access = issue_token(
        key,
        subject=user.username,
        roles=list(user.roles),
        account_id=user.account_id,
        ttl=timedelta(minutes=settings.access_token_minutes),
    )
    refresh = issue_token(
        key,
        subject=user.username,
        roles=list(user.roles),
        account_id=user.account_id,
        token_type="refresh",
        ttl=timedelta(days=settings.refresh_token_days),
    )
    return {
        "access_token": access,
        "token_type": "bearer",
        "expires_in": settings.access_token_minutes * 60,
        "refresh_token": refresh,
    }


async def refresh(
    session: AsyncSession, settings: Settings, public_key: str, refresh_token: str
) -> dict[str, object]:
    try:
        principal = verify_token(public_key, refresh_token, token_type="refresh")
    except InvalidToken:
        raise BadCredentials() from None
    user = await session.scalar(select(User).where(User.username == principal.subject))
    if user is None or not user.active:
        raise BadCredentials()
    return token_pair(settings, user)  # roles are re-read: a demoted user loses them here


async def create_user(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    roles: list[str],
    account_id: uuid.UUID | None = None,
) -> User:
    valid = {r.value for r in Role}
    unknown = [r for r in roles if r not in valid]
    if unknown:
        raise InvalidRequest(
            f"unknown roles {unknown}",
            errors=[{"field": "body.roles", "message": f"one of {sorted(valid)}"}],
        )
    if Role.CUSTOMER in roles and account_id is None:
        raise InvalidRequest(
            "a customer user must name its account",
            errors=[{"field": "body.account_id", "message": "required"}],
        )
    if await session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"user {username} exists")
    user = User(
        id=uuid.uuid4(),
        username=username,
        password_hash=hash_password(password),
        roles=roles,
        account_id=account_id,
        active=True,
        created_at=datetime.now(UTC),
    )
    session.add(user)
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
