"""Logs, metrics, traces and the ops API of a service whose events cross a real broker.

One small service (the test's own ``Ticked`` event, its own database, the embedded broker) is
built with the same ``service_app`` and ``EventRuntime`` CRM and ERP use.
"""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import pytest
from delivery_support import Ticked, delivery_metadata
from fastapi import APIRouter, FastAPI, Request
from opentelemetry.trace import SpanKind
from prometheus_client import REGISTRY
from sqlalchemy import Table, func, insert, select

from contracts.envelope import Envelope
from contracts.http.app import service_app
from contracts.observability.testing import recorded_spans
from contracts.runtime import UnitOfWork
from contracts.runtime.consumer import PoisonMessage
from contracts.runtime.service import EventRuntime
from devstack.stack import Broker
from devstack.testing import SigningKeys

pytestmark = pytest.mark.asyncio


@dataclass
class TickService:
    app: FastAPI
    client: httpx.AsyncClient
    runtime: EventRuntime
    effects: Table
    keys: SigningKeys
    refuse: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.runtime.service

    async def effects_of(self, clock: str) -> int:
        async with self.runtime.transactions.read() as session:
            count = await session.scalar(
                select(func.count()).select_from(self.effects).where(self.effects.c.key == clock)
            )
        return int(count or 0)


def _handler(service: "TickService") -> Callable[..., Awaitable[None]]:
    async def on_ticked(uow: UnitOfWork, event: Ticked, envelope: Envelope) -> None:
        if event.clock in service.refuse:
            raise PoisonMessage(f"clock {event.clock} is refused")
        await uow.session.execute(insert(service.effects).values(key=event.clock, seq=event.seq))

    return on_ticked


def _tick_router() -> APIRouter:
    router = APIRouter()

    @router.post("/ticks/{clock}", status_code=202)
    async def tick(clock: str, request: Request) -> dict[str, str]:
        async with request.app.state.runtime.transactions.begin() as uow:
            await uow.publish(Ticked(clock=clock, seq=1))
        return {"clock": clock}

    return router


@pytest.fixture
async def ticks(broker: Broker, database_url: str) -> AsyncIterator[TickService]:
    metadata, tables, effects = delivery_metadata()
    keys = SigningKeys()
    service: TickService
    runtime = EventRuntime(
        service=f"obs{uuid.uuid4().hex[:8]}",
        database_url=database_url,
        bootstrap_servers=broker.bootstrap,
        metadata=metadata,
        tables=tables,
        handlers={Ticked: lambda uow, event, env: _handler(service)(uow, event, env)},
    )
    async with runtime.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    app = service_app(
        title="ticks",
        description="a test service",
        version="0",
        runtime=runtime,
        routers=(_tick_router(),),
        jwt_public_key=keys.public_pem,
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            service = TickService(app, client, runtime, effects, keys)
            yield service


async def _until(check: Callable[[], Awaitable[object]], timeout: float = 30) -> object:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await check()
        if found:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not reached in {timeout}s: {found!r}")
        await asyncio.sleep(0.1)


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_one_request_and_its_event_share_one_trace(ticks: TickService) -> None:
    spans = recorded_spans()
    spans.clear()
    clock = f"traced-{uuid.uuid4().hex[:6]}"
    reply = await ticks.client.post(f"/ticks/{clock}")
    assert reply.status_code == 202
    await _until(lambda: ticks.effects_of(clock))

    def hop(kind: SpanKind, name: str) -> list:
        return [s for s in spans.get_finished_spans() if s.kind == kind and s.name == name]

    async def consumed() -> list:
        return [
            s
            for s in hop(SpanKind.CONSUMER, "test.ticks process")
            if s.attributes.get("crmerp.service") == ticks.name
            and s.attributes.get("crmerp.outcome") == "applied"
            # Other tests' ticks share the topic; this clock is the message key.
            and s.attributes.get("messaging.kafka.message.key") == clock
        ]

    (consumer_span,) = await _until(consumed)
    (request_span,) = hop(SpanKind.SERVER, "POST /ticks/{clock}")
    (producer_span,) = hop(SpanKind.PRODUCER, "test.ticks publish")
    trace_id = request_span.context.trace_id
    assert producer_span.context.trace_id == trace_id
    assert consumer_span.context.trace_id == trace_id
    assert consumer_span.parent.span_id == producer_span.context.span_id


async def test_the_correlation_id_reaches_the_event_log_line(
    ticks: TickService, caplog: pytest.LogCaptureFixture
) -> None:
    clock = f"logged-{uuid.uuid4().hex[:6]}"
    correlation_id = f"req-{uuid.uuid4().hex[:8]}"
    caplog.set_level(logging.INFO)
    reply = await ticks.client.post(f"/ticks/{clock}", headers={"X-Request-ID": correlation_id})
    assert reply.headers["x-request-id"] == correlation_id
    await _until(lambda: ticks.effects_of(clock))

    async def handled() -> list[logging.LogRecord]:
        return [
            r
            for r in caplog.records
            if r.getMessage() == "event handled"
            and getattr(r, "correlation_id", None) == correlation_id
        ]

    (event_line,) = await _until(handled)
    assert event_line.outcome == "applied"
    assert event_line.event_type == "Ticked"
    assert event_line.topic == "test.ticks"
    assert event_line.duration_ms >= 0
    (request_line,) = [
        r
        for r in caplog.records
        if r.getMessage() == "request" and getattr(r, "correlation_id", None) == correlation_id
    ]
    assert (request_line.method, request_line.route, request_line.status) == (
        "POST",
        "/ticks/{clock}",
        202,
    )


async def test_metrics_follow_published_and_consumed_events(ticks: TickService) -> None:
    clock = f"counted-{uuid.uuid4().hex[:6]}"
    before = await ticks.client.get("/metrics")
    assert before.status_code == 200
    published = _sample("events_published_total", service=ticks.name, event_type="Ticked")
    applied = _sample(
        "events_consumed_total", service=ticks.name, event_type="Ticked", outcome="applied"
    )
    await ticks.client.post(f"/ticks/{clock}")
    await _until(lambda: ticks.effects_of(clock))

    async def counted() -> bool:
        return (
            _sample(
                "events_consumed_total", service=ticks.name, event_type="Ticked", outcome="applied"
            )
            > applied
        )

    await _until(counted)
    text = (await ticks.client.get("/metrics")).text
    assert _sample("events_published_total", service=ticks.name, event_type="Ticked") > published
    assert f'outbox_backlog{{service="{ticks.name}"}} 0.0' in text
    assert f'consumer_connected{{service="{ticks.name}"}} 1.0' in text
    assert f'consumer_lag{{partition="0",service="{ticks.name}",topic="test.ticks"}}' in text
    assert (
        f'http_requests_total{{method="POST",route="/ticks/{{clock}}",service="{ticks.name}",'
        f'status="202"}}' in text
    )


async def test_a_dead_letter_is_listed_and_retried_to_its_topic(ticks: TickService) -> None:
    clock = f"refused-{uuid.uuid4().hex[:6]}"
    ticks.refuse.add(clock)
    admin = ticks.keys.headers("admin")
    dead_before = _sample("events_dead_lettered_total", service=ticks.name)
    await ticks.client.post(f"/ticks/{clock}", headers={"X-Request-ID": f"dl-{clock}"})

    async def listed() -> list[dict]:
        page = (await ticks.client.get("/ops/dead-letters?pending=true", headers=admin)).json()
        return [d for d in page["items"] if d["key"] == clock]

    (dead,) = await _until(listed)
    assert dead["event_type"] == "Ticked"
    assert dead["correlation_id"] == f"dl-{clock}"
    assert f"clock {clock} is refused" in dead["error"]
    assert _sample("events_dead_lettered_total", service=ticks.name) > dead_before
    status = (await ticks.client.get("/ops/status", headers=admin)).json()
    assert status["dead_letters_pending"] >= 1

    sales = ticks.keys.headers("sales")
    refused = await ticks.client.post(f"/ops/dead-letters/{dead['id']}/retry", headers=sales)
    assert refused.status_code == 403
    ticks.refuse.discard(clock)  # the cause is fixed; now the retry must apply the event
    retried = await ticks.client.post(f"/ops/dead-letters/{dead['id']}/retry", headers=admin)
    assert retried.status_code == 200, retried.text
    assert retried.json()["retried_at"] is not None
    await _until(lambda: ticks.effects_of(clock))
    again = await ticks.client.post(f"/ops/dead-letters/{dead['id']}/retry", headers=admin)
    assert again.status_code == 409


async def test_ops_endpoints_need_the_operations_permission(ticks: TickService) -> None:
    assert (await ticks.client.get("/ops/status")).status_code == 401
    sales = ticks.keys.headers("sales")
    assert (await ticks.client.get("/ops/dead-letters", headers=sales)).status_code == 403
    admin = ticks.keys.headers("admin")
    status = await ticks.client.get("/ops/status", headers=admin)
    assert status.status_code == 200
    assert status.json()["service"] == ticks.name
