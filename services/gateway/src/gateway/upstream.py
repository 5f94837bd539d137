"""Calls to CRM and ERP: timeouts, a circuit breaker, and answers that say what is missing."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx

from contracts.observability.tracing import current_carrier
from contracts.runtime import current_correlation_id

log = logging.getLogger("gateway.upstream")


@dataclass
class Part:
    """One piece of a composed view: the data, or why it is missing."""

    ok: bool
    status: int = 0
    data: Any = None
    error: str | None = None


class CircuitBreaker:
    """After ``threshold`` failures in a row, fail fast for ``cooldown`` seconds.

    Then requests go through again (half-open): the first success closes the circuit, a
    single failure reopens it for another cooldown.  This keeps a dead service from costing
    every request a full timeout, and lets a service that came back be used at once: gating
    the half-open state on one trial request would keep the circuit open for as long as that
    one request took, while every other caller was refused.
    """

    def __init__(self, threshold: int = 3, cooldown: float = 5.0) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self.failures = 0
        self.opened_at: float | None = None

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        if time.monotonic() - self.opened_at >= self.cooldown:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        return self.state != "open"

    def success(self) -> None:
        self.failures = 0
        self.opened_at = None

    def failure(self) -> None:
        self.failures += 1
        if self.failures >= self.threshold:  # in half-open, already so: reopen at once
            self.opened_at = time.monotonic()


def _never_reached(exc: httpx.HTTPError, method: str) -> bool:
    """Did the request certainly not reach the service (or is it safe to send twice)?"""
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
        return True  # no connection, so nothing was sent
    # A keep-alive connection closed by the server as it was reused: for a read, harmless.
    return method in ("GET", "HEAD") and isinstance(
        exc, (httpx.RemoteProtocolError, httpx.ReadError)
    )


class Upstream:
    def __init__(
        self,
        name: str,
        base_url: str,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name = name
        self.timeout = timeout
        self.breaker = CircuitBreaker()
        self.client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 1.0)),
            # Idle connections are dropped well before the services' own keep-alive timeout
            # (uvicorn: 5 s): reusing one the server is closing at that instant fails a POST
            # that cannot safely be sent again.
            limits=httpx.Limits(
                max_connections=200, max_keepalive_connections=50, keepalive_expiry=2.0
            ),
            transport=transport,  # tests pass an in-process app here
        )

    async def close(self) -> None:
        await self.client.aclose()

    def _headers(self, authorization: str | None, extra: dict[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        if authorization:
            headers["authorization"] = authorization
        correlation_id = current_correlation_id()
        if correlation_id:
            headers["x-request-id"] = correlation_id
        headers.update(current_carrier())  # W3C trace context, when tracing is on
        return headers

    async def get(
        self,
        path: str,
        authorization: str | None,
        params: dict[str, Any] | None = None,
        deadline: float | None = None,
    ) -> Part:
        """GET for a composed view: never raises; a failure is a Part that says why."""
        if not self.breaker.allow():
            return Part(ok=False, status=503, error=f"{self.name} is unavailable (circuit open)")
        try:
            response = await asyncio.wait_for(
                self.client.get(path, headers=self._headers(authorization, None), params=params),
                deadline or self.timeout,
            )
        except TimeoutError:
            # Slow is not dead: the view already bounds its wait, and opening the circuit here
            # would refuse every passthrough call to a service that is busy but answering.
            return Part(ok=False, status=504, error=f"{self.name} did not answer in time")
        except (httpx.HTTPError, OSError, RuntimeError) as exc:
            # A connection cut mid-answer (the service was killed) can surface as any of these.
            self.breaker.failure()
            return Part(
                ok=False, status=503, error=f"{self.name} did not answer: {type(exc).__name__}"
            )
        if response.status_code >= 500:
            self.breaker.failure()
            return Part(
                ok=False,
                status=response.status_code,
                error=f"{self.name} failed with {response.status_code}",
            )
        try:
            body = response.json() if response.content else None
        except ValueError:
            self.breaker.failure()
            return Part(ok=False, status=502, error=f"{self.name} sent an unreadable answer")
        self.breaker.success()
        if response.status_code >= 400:
            detail = body.get("detail") if isinstance(body, dict) else None
            return Part(
                ok=False,
                status=response.status_code,
                data=body,
                error=detail or f"{self.name} answered {response.status_code}",
            )
        return Part(ok=True, status=response.status_code, data=body)

    async def forward(
        self,
        method: str,
        path: str,
        *,
        authorization: str | None,
        headers: dict[str, str],
        params: Any,
        content: bytes,
        read_timeout: float | None = None,
    ) -> httpx.Response:
        """Pass a request through; raises httpx.HTTPError when the service cannot be reached.

        ``read_timeout`` replaces the default one for this request only.
        """
        if not self.breaker.allow():
            raise httpx.ConnectError(f"{self.name} is unavailable (circuit open)")
        timeout = (
            httpx.Timeout(read_timeout, connect=min(self.timeout, 1.0))
            if read_timeout
            else httpx.USE_CLIENT_DEFAULT
        )
        for attempt in (1, 2):
            try:
                response = await self.client.request(
                    method,
                    path,
                    headers=self._headers(authorization, headers),
                    params=params,
                    content=content,
                    timeout=timeout,
                )
                break
            except httpx.HTTPError as exc:
                if attempt == 1 and _never_reached(exc, method):
                    # A pooled connection the service had just closed, or a connection that
                    # was never made: the request did not get in, so sending it again is safe.
                    log.info("%s: %s on %s %s; sending it again", self.name, exc, method, path)
                    continue
                log.warning(
                    "%s: %s %s failed: %s: %s", self.name, method, path, type(exc).__name__, exc
                )
                self.breaker.failure()
                raise
        if response.status_code >= 500:
            self.breaker.failure()
        else:
            self.breaker.success()
        return response
