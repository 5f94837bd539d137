"""How a process reports: read once from the environment, applied once per process.

``<SERVICE>_LOG_LEVEL`` (or ``LOG_LEVEL``): DEBUG, INFO (default), WARNING, ...
``<SERVICE>_LOG_FORMAT`` (or ``LOG_FORMAT``): ``json`` (default) or ``text`` for a terminal.
``<SERVICE>_OTLP_ENDPOINT`` (or the standard ``OTEL_EXPORTER_OTLP_ENDPOINT``): where traces go,
e.g. http://127.0.0.1:4318.  Unset means no exporter and (nearly) no tracing overhead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from contracts.observability.logs import configure_logging
from contracts.observability.tracing import configure_tracing


@dataclass(frozen=True)
class ObservabilitySettings:
    service: str
    log_level: str = "INFO"
    log_format: str = "json"
    otlp_endpoint: str | None = None

    @classmethod
    def from_env(cls, service: str) -> ObservabilitySettings:
        def read(name: str, fallback: str | None = None) -> str | None:
            return os.environ.get(f"{service.upper()}_{name}") or (os.environ.get(fallback or name))

        return cls(
            service=service,
            log_level=(read("LOG_LEVEL") or "INFO").upper(),
            log_format=(read("LOG_FORMAT") or "json").lower(),
            otlp_endpoint=read("OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"),
        )


def observe_process(service: str) -> ObservabilitySettings:
    """Set up logging and tracing for this process from the environment (idempotent)."""
    settings = ObservabilitySettings.from_env(service)
    configure_logging(settings.service, level=settings.log_level, fmt=settings.log_format)
    configure_tracing(settings.service, settings.otlp_endpoint)
    return settings
