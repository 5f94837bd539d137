"""Edge protections of the public API: security headers, body size limit, rate limit.

Pure ASGI middleware, so that streamed responses (the event stream) pass through untouched.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contracts.http.auth import InvalidToken, verify_token
from contracts.http.problems import problem_response

_API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# The docs page loads Swagger UI from its CDN and starts it with an inline script.
_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; frame-ancestors 'none'; base-uri 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts_seconds: int = 31536000) -> None:
        self.app = app
        self.static = [
            (b"strict-transport-security", f"max-age={hsts_seconds}; includeSubDomains".encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = str(scope.get("path", "")).startswith(DOCS_PATHS)
        csp = (_DOCS_CSP if docs else _API_CSP).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in self.static if k not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", csp))
                if not docs and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    pass


class BodySizeLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, by Content-Length or while reading."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413,
            "Request too large",
            f"The request body exceeds {self.max_bytes} bytes.",
            type_slug="request-too-large",
        )
        await response(scope, receive, send)


class TokenBucket:
    """``capacity`` requests at once, refilled at ``rate`` per second."""

    __slots__ = ("capacity", "rate", "tokens", "updated")

    def __init__(self, capacity: float, rate: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = time.monotonic()

    def take(self) -> float:
        """Take one token; return 0 if granted, else the seconds until one is available."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class RateLimitMiddleware:
    """Per-client token buckets: a valid token's subject, else the client's IP address.

    The buckets live in this process: with several gateway replicas each replica enforces
    the limit on its own, so the effective limit is per replica.  Only a token that verifies
    names the client, so nobody can spend someone else's budget with a forged subject.
    """

    def __init__(
        self, app: ASGIApp, *, per_minute: int, public_key: str, max_clients: int = 50_000
    ) -> None:
        self.app = app
        self.public_key = public_key
        self.per_minute = per_minute
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def _bucket(self, key: str) -> TokenBucket:
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = TokenBucket(self.per_minute, self.per_minute / 60)
            self.buckets[key] = bucket
            if len(self.buckets) > self.max_clients:
                self.buckets.popitem(last=False)  # forget the least recently seen client
        else:
            self.buckets.move_to_end(key)
        return bucket

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or self.per_minute <= 0 or path in ("/healthz", "/readyz"):
            await self.app(scope, receive, send)
            return
        subject = _subject(self.public_key, dict(scope["headers"]).get(b"authorization", b""))
        key = f"sub:{subject}" if subject else f"ip:{(scope.get('client') or ('?', 0))[0]}"
        wait = self._bucket(key).take()
        if wait > 0:
            response = problem_response(
                429,
                "Too many requests",
                f"Slow down: at most {self.per_minute} requests a minute per client.",
                type_slug="rate-limited",
                headers={"Retry-After": str(math.ceil(wait))},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _subject(public_key: str, header: bytes) -> str | None:
    if not header.lower().startswith(b"bearer "):
        return None
    try:
        return verify_token(public_key, header[7:].decode("latin-1")).subject
    except InvalidToken:
        return None
