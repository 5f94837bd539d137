"""What the relay and the consumer report about each event: a log line, metrics, a span."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from opentelemetry.trace import SpanKind, Status, StatusCode

from contracts.observability import metrics
from contracts.observability.recent import recent_events
from contracts.observability.tracing import (
    carrier_from_kafka,
    context_from,
    current_carrier,
    kafka_headers,
    tracer,
)

log = logging.getLogger("contracts.events")

TRACE_KEY = "_trace"


def stored_envelope(envelope_json: str) -> str:
    """The envelope text for the outbox row, with the current trace context when there is one."""
    carrier = current_carrier()
    if not carrier:
        return envelope_json
    data = orjson.loads(envelope_json)
    data[TRACE_KEY] = carrier
    return orjson.dumps(data).decode()


def wire_value(stored: str) -> bytes:
    """The envelope as published: the stored text without the captured trace context."""
    if TRACE_KEY not in stored:
        return stored.encode()
    data = orjson.loads(stored)
    data.pop(TRACE_KEY, None)
    return orjson.dumps(data)


@dataclass
class Outgoing:
    value: bytes
    headers: list[tuple[str, bytes]]


def outgoing(
    service: str, stored: str, event_type: str, topic: str, headers: list[tuple[str, bytes]]
) -> Outgoing:
    """The bytes and headers to publish for one outbox row, continuing the stored trace."""
    carrier: dict[str, str] = {}
    value = stored.encode()
    if TRACE_KEY in stored:
        data = orjson.loads(stored)
        carrier = data.pop(TRACE_KEY, None) or {}
        value = orjson.dumps(data)
    parent = context_from(carrier)
    if parent is None:
        return Outgoing(value, headers)
    with tracer().start_as_current_span(
        f"{topic} publish",
        context=parent,
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "kafka",
            "messaging.destination.name": topic,
            "crmerp.service": service,
            "crmerp.event_type": event_type,
        },
    ):
        return Outgoing(value, headers + kafka_headers(current_carrier()))


def published(service: str, rows: list[Any]) -> None:
    """Count and log events the broker acknowledged."""
    for row in rows:
        metrics.events_published.labels(service, row.event_type).inc()
        recent_events.add(
            service=service,
            direction="published",
            event_type=row.event_type,
            topic=row.topic,
            key=row.key,
            correlation_id=row.correlation_id,
            outcome="published",
        )
        log.debug(
            "event published",
            extra={
                "service": service,
                "event_type": row.event_type,
                "topic": row.topic,
                "key": row.key,
                "correlation_id": row.correlation_id,
            },
        )


@dataclass
class Handling:
    """Filled in by the consumer while it handles one message."""

    outcome: str = "ignored"
    event_type: str | None = None
    event_id: str | None = None
    correlation_id: str | None = None


@contextmanager
def handling(service: str, consumer: str, record: Any) -> Iterator[Handling]:
    """A consumer span (child of the producer's), then one log line and the metrics."""
    seen = Handling()
    started = time.perf_counter()
    with consumer_span(service, record, seen):
        yield seen
    handled(service, consumer, record, seen, time.perf_counter() - started)


@contextmanager
def consumer_span(service: str, record: Any, seen: Handling) -> Iterator[None]:
    """The span of one message's handling, a child of the span that produced it."""
    with tracer().start_as_current_span(
        f"{record.topic} process",
        context=context_from(carrier_from_kafka(record.headers)),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.destination.name": record.topic,
            "messaging.kafka.partition": record.partition,
            "messaging.kafka.offset": record.offset,
            "messaging.kafka.message.key": (record.key or b"").decode("utf-8", "replace"),
            "crmerp.service": service,
        },
    ) as span:
        yield
        span.set_attribute("crmerp.outcome", seen.outcome)
        if seen.event_type:
            span.set_attribute("crmerp.event_type", seen.event_type)
        if seen.outcome == "dead_lettered":
            span.set_status(Status(StatusCode.ERROR, "dead-lettered"))


def handled(service: str, consumer: str, record: Any, seen: Handling, elapsed: float) -> None:
    """Report one message's outcome once it is final (committed): metrics, recent list, log."""
    header_type = dict(record.headers or ()).get("event_type", b"").decode("latin-1")
    event_type = seen.event_type or header_type or "unknown"
    metrics.events_consumed.labels(service, event_type, seen.outcome).inc()
    metrics.event_handling_duration.labels(service, event_type).observe(elapsed)
    if seen.outcome == "dead_lettered":
        metrics.dead_lettered.labels(service).inc()
    if seen.outcome != "ignored":
        recent_events.add(
            service=service,
            direction="consumed",
            event_type=event_type,
            topic=record.topic,
            key=(record.key or b"").decode("latin-1"),
            correlation_id=seen.correlation_id,
            outcome=seen.outcome,
            event_id=seen.event_id,
        )
    log.log(
        logging.WARNING if seen.outcome == "dead_lettered" else logging.INFO,
        "event handled",
        extra={
            "service": service,
            "consumer": consumer,
            "event_type": event_type,
            "event_id": seen.event_id,
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "outcome": seen.outcome,
            "duration_ms": round(elapsed * 1000, 2),
            "correlation_id": seen.correlation_id,
        },
    )


def handler_failed(service: str, event_type: str) -> None:
    metrics.handler_failures.labels(service, event_type).inc()
