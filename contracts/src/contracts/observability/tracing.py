"""OpenTelemetry tracing: off unless configured, and carried across HTTP and Kafka.

With no OTLP endpoint, the API's no-op tracer is used: spans cost a function call and no
context is injected anywhere.  With an endpoint, spans are batched to it over OTLP/HTTP.

Across Kafka, the W3C ``traceparent`` travels in message headers.  The trace context of the
request that raised an event is captured when the event is written to the outbox (it is kept
in the stored envelope text under ``_trace``, which the relay strips before publishing), so
the relay, running later and elsewhere, can continue that trace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.context import Context

log = logging.getLogger("contracts.tracing")

TRACER = "crmerp"
_configured = False


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER)


def configure_tracing(service: str, endpoint: str | None) -> None:
    """Export spans to ``endpoint`` (OTLP/HTTP) when given; otherwise leave tracing off."""
    global _configured
    if not endpoint or _configured:
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces"))
    )
    enable_tracing(provider)
    log.info("tracing: exporting spans to %s", endpoint)


def enable_tracing(provider: Any) -> None:
    """Install ``provider`` for the process and propagate context on outgoing httpx calls."""
    global _configured
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    trace.set_tracer_provider(provider)
    instrumentor = HTTPXClientInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(tracer_provider=provider)
    _configured = True


def current_carrier() -> dict[str, str]:
    """The current trace context as W3C headers (empty when no span is recording)."""
    carrier: dict[str, str] = {}
    if trace.get_current_span().get_span_context().is_valid:
        propagate.inject(carrier)
    return carrier


def context_from(carrier: Mapping[str, str] | None) -> Context | None:
    """The trace context in ``carrier``, or None when it holds none."""
    if not carrier:
        return None
    ctx = propagate.extract(dict(carrier))
    return ctx if trace.get_current_span(ctx).get_span_context().is_valid else None


def kafka_headers(carrier: Mapping[str, str]) -> list[tuple[str, bytes]]:
    return [(k, v.encode()) for k, v in carrier.items()]


def carrier_from_kafka(headers: Iterable[tuple[str, bytes]] | None) -> dict[str, str]:
    wanted = {"traceparent", "tracestate", "baggage"}
    return {k: v.decode("latin-1") for k, v in headers or () if k in wanted}


def attach(ctx: Context | None) -> object | None:
    return otel_context.attach(ctx) if ctx is not None else None


def detach(token: object | None) -> None:
    if token is not None:
        otel_context.detach(token)  # type: ignore[arg-type]
