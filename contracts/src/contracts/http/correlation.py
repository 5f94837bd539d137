"""Correlation ids: an incoming ``X-Request-ID`` (or a new one) follows the request everywhere.

It is set in the request context, so outbox rows carry it into event envelopes, logs print it,
and the response echoes it.
"""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contracts.runtime.context import request_context

HEADER = "x-request-id"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:\-]{1,100}$")


class CorrelationMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(HEADER.encode(), b"").decode("latin-1")
        # A caller-chosen id is honoured only when it is a harmless token (it lands in logs).
        correlation_id = incoming if _ACCEPTABLE.match(incoming) else str(uuid.uuid4())
        scope.setdefault("state", {})["correlation_id"] = correlation_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((HEADER.encode(), correlation_id.encode()))
                message["headers"] = headers
            await send(message)

        with request_context(correlation_id=correlation_id):
            await self.app(scope, receive, send_with_id)
