"""Token pairs: a short-lived access token and a single-use, rotating refresh token.

A refresh token is recorded when issued.  Using it marks it used and issues a new pair in the
same family; presenting a used (or revoked) one again means it leaked, so the whole family is
revoked and its holder must sign in again.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.http.auth import InvalidToken, issue_token, verify_token
from gateway.auth.models import RefreshToken
from gateway.settings import Settings


async def token_pair(
    session: AsyncSession,
    settings: Settings,
    *,
    subject: str,
    roles: list[str],
    account_id: uuid.UUID | None,
    family: uuid.UUID | None = None,
    with_refresh: bool = True,
) -> dict[str, object]:
    key = settings.private_key()
    reply: dict[str, object] = {
        "access_token": issue_token(
            key,
            subject=subject,
            roles=roles,
            account_id=account_id,
            ttl=timedelta(minutes=settings.access_token_minutes),
        ),
        "token_type": "bearer",
        "expires_in": settings.access_token_minutes * 60,
    }
    if with_refresh:
        ttl = timedelta(days=settings.refresh_token_days)
        token_id = uuid.uuid4().hex
        reply["refresh_token"] = issue_token(
            key,
            subject=subject,
            roles=roles,
            account_id=account_id,
            token_type="refresh",
            ttl=ttl,
            token_id=token_id,
        )
        session.add(
            RefreshToken(
                token_id=token_id,
                family=family or uuid.uuid4(),
                subject=subject,
                expires_at=datetime.now(UTC) + ttl,
                used_at=None,
                revoked=False,
            )
        )
        await session.flush()
    return reply


async def redeem_refresh_token(
    session: AsyncSession, public_key: str, token: str
) -> RefreshToken | None:
    """Mark ``token`` used and return its record, or None when it may not be used.

    On None the caller still commits: a replayed token's family has just been revoked.
    """
    try:
        principal = verify_token(public_key, token, token_type="refresh")
    except InvalidToken:
        return None
    record = await session.get(RefreshToken, principal.token_id)
    if record is None or record.subject != principal.subject:
        return None
    if record.used_at is not None or record.revoked:
        await session.execute(
            update(RefreshToken).where(RefreshToken.family == record.family).values(revoked=True)
        )
        return None
    # Conditional update: of two concurrent redemptions of one token only one wins.
    won = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.token_id == record.token_id, RefreshToken.used_at.is_(None))
        .values(used_at=datetime.now(UTC))
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return record


async def revoke_subject(session: AsyncSession, subject: str) -> None:
    """Revoke every refresh token of ``subject`` (deactivated user or client, changed roles)."""
    await session.execute(
        update(RefreshToken).where(RefreshToken.subject == subject).values(revoked=True)
    )
