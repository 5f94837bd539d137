"""The operations API every service exposes: status, dead letters (and retrying one), events.

``/metrics`` is open to the scraper (it holds counts, never business data; keep it on the
cluster network).  Everything under ``/ops`` needs ``operations:read`` or ``operations:write``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import func, select, update

from contracts.errors import Conflict, NotFound
from contracts.http.auth import Authenticator, Principal
from contracts.http.pagination import MAX_LIMIT, Page, decode_cursor, encode_cursor
from contracts.observability import metrics
from contracts.observability.recent import recent_events
from contracts.observability.redelivery import redeliver
from contracts.runtime.service import EventRuntime

_auth = Authenticator()
Reader = Annotated[Principal, Depends(_auth.require("operations:read"))]
Writer = Annotated[Principal, Depends(_auth.require("operations:write"))]
# A dead letter's id fits the BIGINT key; larger numbers are refused as bad input, not crashes.
DeadLetterId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class DeadLetterOut(BaseModel):
    id: int
    consumer: str
    topic: str
    partition: int
    offset: int
    key: str | None
    event_type: str | None
    correlation_id: str | None
    error: str
    failed_at: datetime
    retried_at: datetime | None


def _runtime(request: Request) -> EventRuntime:
    return request.app.state.runtime  # type: ignore[no-any-return]


async def outbox_state(runtime: EventRuntime) -> dict[str, Any]:
    outbox = runtime.tables.outbox
    async with runtime.transactions.read() as session:
        backlog, oldest = (
            await session.execute(
                select(func.count(), func.min(outbox.c.created_at)).where(
                    outbox.c.published_at.is_(None)
                )
            )
        ).one()
    age = 0.0
    if oldest is not None:
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
        age = max(0.0, (datetime.now(UTC) - oldest).total_seconds())
    return {"backlog": int(backlog), "oldest_unpublished_age_seconds": round(age, 3)}


async def pending_dead_letters(runtime: EventRuntime) -> int:
    dead = runtime.tables.dead_letters
    async with runtime.transactions.read() as session:
        count = await session.scalar(
            select(func.count()).select_from(dead).where(dead.c.retried_at.is_(None))
        )
    return int(count or 0)


def operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def scrape(request: Request) -> Response:
        runtime = _runtime(request)
        service = runtime.service
        try:
            outbox = await outbox_state(runtime)
            metrics.outbox_backlog.labels(service).set(outbox["backlog"])
            metrics.outbox_oldest_age.labels(service).set(outbox["oldest_unpublished_age_seconds"])
            metrics.dead_letters_pending.labels(service).set(await pending_dead_letters(runtime))
        except Exception:  # the database is away: still expose what this process knows
            pass
        consumer = runtime.consumer
        metrics.set_consumer_lag(service, consumer.lag() if consumer else {})
        metrics.consumer_connected.labels(service).set(1 if consumer and consumer.consumer else 0)
        metrics.relay_leader.labels(service).set(1 if runtime.relay.is_leader else 0)
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    @router.get("/ops/status", summary="Delivery state: outbox, relay, consumer, dead letters")
    async def status(request: Request, _: Reader) -> dict[str, Any]:
        runtime = _runtime(request)
        consumer = runtime.consumer
        return {
            "service": runtime.service,
            "outbox": await outbox_state(runtime),
            "relay": runtime.relay_state(),
            "consumer": runtime.consumer_state(),
            "consumer_lag": consumer.lag() if consumer else {},
            "dead_letters_pending": await pending_dead_letters(runtime),
        }

    @router.get("/ops/dead-letters", response_model=Page[DeadLetterOut])
    async def dead_letters(
        request: Request,
        _: Reader,
        pending: Annotated[bool | None, Query(description="Only (not) yet retried")] = None,
        cursor: str | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    ) -> Page[DeadLetterOut]:
        """Newest first."""
        runtime = _runtime(request)
        dead = runtime.tables.dead_letters
        stmt = select(dead).order_by(dead.c.id.desc()).limit(limit + 1)
        if pending is not None:
            stmt = stmt.where(
                dead.c.retried_at.is_(None) if pending else dead.c.retried_at.is_not(None)
            )
        if cursor:
            _, last_id = decode_cursor(cursor)
            stmt = stmt.where(dead.c.id < int(last_id))
        async with runtime.transactions.read() as session:
            rows = (await session.execute(stmt)).all()
        next_cursor = (
            encode_cursor(rows[limit - 1].id, rows[limit - 1].id) if len(rows) > limit else None
        )
        return Page(items=[_dead_letter_out(r) for r in rows[:limit]], next_cursor=next_cursor)

    @router.post("/ops/dead-letters/{dead_letter_id}/retry", response_model=DeadLetterOut)
    async def retry(request: Request, dead_letter_id: DeadLetterId, _: Writer) -> DeadLetterOut:
        """Publish the original message again to its source topic; the inbox drops repeats."""
        runtime = _runtime(request)
        dead = runtime.tables.dead_letters
        async with runtime.transactions.read() as session:
            row = (await session.execute(select(dead).where(dead.c.id == dead_letter_id))).first()
        if row is None:
            raise NotFound(f"no dead letter {dead_letter_id}")
        if row.retried_at is not None:
            raise Conflict(f"dead letter {dead_letter_id} was already retried")
        await redeliver(runtime.bootstrap_servers, row)
        async with runtime.transactions.begin() as uow:
            await uow.session.execute(
                update(dead).where(dead.c.id == dead_letter_id).values(retried_at=datetime.now(UTC))
            )
            await uow.audit("dead_letter", dead_letter_id, "retried")
        async with runtime.transactions.read() as session:
            row = (await session.execute(select(dead).where(dead.c.id == dead_letter_id))).one()
        return _dead_letter_out(row)

    @router.get("/ops/events", summary="Recent events this process published or handled")
    async def events(
        request: Request, _: Reader, limit: Annotated[int, Query(ge=1, le=200)] = 50
    ) -> dict[str, Any]:
        return {"items": recent_events.latest(_runtime(request).service, limit)}

    return router


def _dead_letter_out(row: Any) -> DeadLetterOut:
    envelope = _envelope_fields(row.value)
    return DeadLetterOut(
        id=row.id,
        consumer=row.consumer,
        topic=row.topic,
        partition=row.partition,
        offset=row.offset,
        key=row.key,
        event_type=envelope.get("event_type"),
        correlation_id=envelope.get("correlation_id"),
        error=row.error,
        failed_at=row.failed_at if row.failed_at.tzinfo else row.failed_at.replace(tzinfo=UTC),
        retried_at=row.retried_at,
    )


def _envelope_fields(value: str) -> dict[str, Any]:
    import json

    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
