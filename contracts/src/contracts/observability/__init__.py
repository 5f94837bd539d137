"""What a running service tells its operators: JSON logs, Prometheus metrics, traces.

Written once here so that CRM, ERP and the gateway report the same way:

- ``logs``: one JSON line per record, with the service, correlation id and trace id.
- ``metrics``: the Prometheus series every service exposes at ``/metrics``.
- ``tracing``: OpenTelemetry, off unless an OTLP endpoint is set; trace context travels in
  HTTP headers and in Kafka message headers.
- ``middleware``: one log line, metrics and a server span per HTTP request.
- ``operations``: the per-service ops API (status, dead letters, recent events).

It needs the ``observability`` extra (pulled in by ``runtime`` and ``http``); the event schemas
never import it.
"""

from contracts.observability.settings import ObservabilitySettings, observe_process

__all__ = ["ObservabilitySettings", "observe_process"]
