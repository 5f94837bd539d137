"""Structured logs: one JSON object per line, with the correlation id of the current flow.

Fields passed as ``extra={...}`` become top-level keys, so a request line reads
``{"ts": ..., "level": "INFO", "logger": "http", "message": "request", "method": "GET", ...}``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

from contracts.runtime.context import current_actor, current_correlation_id

# Attributes every LogRecord has; anything else on a record came from ``extra``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_HANDLER_NAME = "contracts.observability"


def _fields(record: logging.LogRecord, service: str) -> dict[str, Any]:
    extra = {k: v for k, v in vars(record).items() if k not in _STANDARD}
    fields: dict[str, Any] = {
        "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        # Request and event lines name their service (several apps may share a test process).
        "service": extra.pop("service", None) or service,
        "logger": record.name,
        "message": record.getMessage(),
    }
    fields["correlation_id"] = extra.pop("correlation_id", None) or current_correlation_id()
    actor = extra.pop("actor", None) or current_actor()
    if actor:
        fields["actor"] = actor
    span = trace.get_current_span().get_span_context()
    if span.is_valid:
        fields["trace_id"] = format(span.trace_id, "032x")
        fields["span_id"] = format(span.span_id, "016x")
    fields.update(extra)
    if record.exc_info:
        fields["exception"] = logging.Formatter().formatException(record.exc_info)
    return fields


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(_fields(record, self.service), default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """For a developer's terminal: the same fields, as ``key=value`` after the message."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        fields = _fields(record, self.service)
        head = f"{fields.pop('ts')[11:23]} {fields.pop('level'):<7} {fields.pop('service')}"
        message = fields.pop("message")
        fields.pop("logger")
        exception = fields.pop("exception", None)
        tail = " ".join(f"{k}={v}" for k, v in fields.items() if v is not None)
        line = f"{head} {message} {tail}"
        return f"{line}\n{exception}" if exception else line


def configure_logging(service: str, *, level: str = "INFO", fmt: str = "json") -> None:
    """Route every logger (uvicorn's too) through one handler on the root logger, once.

    uvicorn's access log is switched off: the request line of ``RequestObserver`` replaces it
    with the route template, duration, correlation id and actor.
    """
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.get_name() == _HANDLER_NAME), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(_HANDLER_NAME)
        root.addHandler(handler)
    handler.setFormatter(TextFormatter(service) if fmt == "text" else JsonFormatter(service))
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    # Chatty libraries stay at WARNING unless the whole process is in DEBUG.
    if level != "DEBUG":
        for name in ("aiokafka", "kafka", "httpx", "httpcore", "sqlalchemy.engine"):
            logging.getLogger(name).setLevel(logging.WARNING)
