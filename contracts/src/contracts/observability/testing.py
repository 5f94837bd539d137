"""For test suites: record this process's spans in memory instead of exporting them."""

from __future__ import annotations

from functools import cache

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from contracts.observability.tracing import enable_tracing


@cache
def recorded_spans() -> InMemorySpanExporter:
    """Turn tracing on for the process (once) and return the exporter that keeps the spans."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "tests"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    enable_tracing(provider)
    return exporter
