"""Remember the first answer to a keyed POST and replay it to retries of the same request.

A record is claimed (inserted, unique per caller and key) before the request goes upstream,
so two concurrent retries cannot both reach the service: the second is told to retry later.
Answers of 5xx or unreachable services are not remembered: the retry may succeed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.idempotency.models import IdempotencyRecord

# Far longer than any upstream call may take; an older unanswered claim was abandoned.
IN_FLIGHT_LIMIT = timedelta(minutes=2)


@dataclass(frozen=True)
class Claimed:
    record_id: int


@dataclass(frozen=True)
class Replay:
    status: int
    content_type: str | None
    body: bytes


@dataclass(frozen=True)
class KeyReused:
    """The key was used before for a different request."""


@dataclass(frozen=True)
class InFlight:
    """The first request with this key has not been answered yet."""


def request_hash(method: str, path: str, query: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def claim(
    sessions: async_sessionmaker[AsyncSession],
    *,
    caller: str,
    key: str,
    fingerprint: str,
    keep: timedelta,
) -> Claimed | Replay | KeyReused | InFlight:
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        # Forget expired answers as we go (an index range on created_at): no sweeper needed.
        await session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - keep)
        )
    try:
        async with sessions() as session, session.begin():
            record = IdempotencyRecord(
                caller=caller, key=key, request_hash=fingerprint, created_at=now
            )
            session.add(record)
            await session.flush()
            return Claimed(record.id)
    except IntegrityError:
        pass
    async with sessions() as session:
        existing = await session.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.caller == caller, IdempotencyRecord.key == key
            )
        )
    if existing is None:  # the holder abandoned it meanwhile: the client may simply retry
        return InFlight()
    if existing.request_hash != fingerprint:
        return KeyReused()
    if existing.status is None:
        if existing.created_at < now - IN_FLIGHT_LIMIT:
            # Its holder died mid-request (a crashed replica): free the key for the retry.
            await release(sessions, existing.id)
        return InFlight()
    return Replay(existing.status, existing.content_type, existing.body or b"")


async def remember(
    sessions: async_sessionmaker[AsyncSession],
    record_id: int,
    *,
    status: int,
    content_type: str | None,
    body: bytes,
) -> None:
    async with sessions() as session, session.begin():
        record = await session.get(IdempotencyRecord, record_id)
        if record is not None:
            record.status = status
            record.content_type = content_type
            record.body = body


async def release(sessions: async_sessionmaker[AsyncSession], record_id: int) -> None:
    async with sessions() as session, session.begin():
        await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
