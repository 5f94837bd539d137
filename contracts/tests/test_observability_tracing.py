"""Trace context kept with an outbox row, and the envelope on the wire without it."""

import json

from delivery_support import Ticked

from contracts.envelope import Envelope
from contracts.observability.events import TRACE_KEY, stored_envelope, wire_value
from contracts.observability.testing import recorded_spans
from contracts.observability.tracing import context_from, tracer


def test_the_outbox_row_keeps_the_trace_and_the_wire_does_not() -> None:
    recorded_spans()
    original = Envelope.wrap(Ticked(clock="c", seq=1), producer="test").model_dump_json()
    with tracer().start_as_current_span("request") as span:
        stored = stored_envelope(original)
    carrier = json.loads(stored)[TRACE_KEY]
    restored = context_from(carrier)
    assert restored is not None
    trace_id = format(span.get_span_context().trace_id, "032x")
    assert carrier["traceparent"].split("-")[1] == trace_id
    assert json.loads(wire_value(stored)) == json.loads(original)
    assert Envelope.model_validate_json(stored) == Envelope.model_validate_json(original)


def test_without_a_span_nothing_is_added() -> None:
    original = Envelope.wrap(Ticked(clock="c", seq=2), producer="test").model_dump_json()
    assert stored_envelope(original) == original
    assert wire_value(original) == original.encode()
