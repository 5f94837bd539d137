"""Per HTTP request: a server span, the request metrics, and one JSON log line.

Added inside ``CorrelationMiddleware``, so the correlation id is already set.  The route is
the template (``/orders/{order_id}``), never the raw path, so that metrics stay bounded.
"""

from __future__ import annotations

import contextlib
import logging
import time
from contextlib import AbstractContextManager

from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contracts.observability import metrics
from contracts.observability.tracing import tracer
from contracts.runtime.context import current_actor, current_correlation_id

log = logging.getLogger("http")

# Probes and scrapes would drown the request log; they are still counted.
_QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})


class RequestObserver:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        status = 500
        started = time.perf_counter()
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}

        # FastAPI's own telemetry (when present and tracing is on) already opened the server
        # span around this middleware; otherwise open one here, continuing the caller's trace.
        server_span: AbstractContextManager[trace.Span]
        if trace.get_current_span().get_span_context().is_valid:
            server_span = contextlib.nullcontext(trace.get_current_span())
        else:
            server_span = tracer().start_as_current_span(
                method,
                context=propagate.extract(headers),
                kind=SpanKind.SERVER,
                attributes={"http.request.method": method},
            )
        with server_span as span:
            span.set_attribute("crmerp.service", self.service)

            async def send_observed(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    # Annotate now: FastAPI's span may end with the last body chunk.
                    status = message["status"]
                    _annotate(span, method, _route_template(scope), status)
                await send(message)

            try:
                await self.app(scope, receive, send_observed)
            finally:
                route = _route_template(scope)
                elapsed = time.perf_counter() - started
                metrics.http_requests.labels(self.service, method, route, str(status)).inc()
                metrics.http_request_duration.labels(self.service, method, route).observe(elapsed)
                if route not in _QUIET_ROUTES:
                    log.log(
                        logging.WARNING if status >= 500 else logging.INFO,
                        "request",
                        extra={
                            "service": self.service,
                            "method": method,
                            "route": route,
                            "status": status,
                            "duration_ms": round(elapsed * 1000, 2),
                            "correlation_id": current_correlation_id(),
                            "actor": current_actor(),
                        },
                    )


def _annotate(span: trace.Span, method: str, route: str, status: int) -> None:
    if route != "unmatched":
        span.update_name(f"{method} {route}")
        span.set_attribute("http.route", route)
    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR))


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"
