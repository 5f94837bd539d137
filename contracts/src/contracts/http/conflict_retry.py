"""Run a write again when the database aborted it to break a tie with a concurrent one.

PostgreSQL aborts one of two transactions that wait on each other (a deadlock) or that it
cannot serialize.  Two shipments of orders holding the same products in a different order, or
a shipment beside the consumer reserving stock, can meet that way under load.  Nothing of the
aborted request was kept, because a request is one unit of work, so running it again is safe,
and it is what the client would have to do after a 500.  It is done here, before any answer
has been sent, a few times at most.
"""

from __future__ import annotations

import asyncio
import logging
import random

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contracts.http.request_body import read_body, replaying
from contracts.runtime.database import is_transient_conflict

log = logging.getLogger("contracts.http")

_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class ConflictRetryMiddleware:
    def __init__(self, app: ASGIApp, attempts: int = 4) -> None:
        self.app = app
        self.attempts = attempts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _READS:
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        for attempt in range(1, self.attempts + 1):
            answered = False

            async def send_tracked(message: Message) -> None:
                nonlocal answered
                answered = True
                await send(message)

            try:
                await self.app(scope, replaying(body, receive), send_tracked)
                return
            except Exception as exc:
                if answered or attempt == self.attempts or not is_transient_conflict(exc):
                    raise
                log.info(
                    "%s %s: the database aborted it for a concurrent one; attempt %d",
                    scope["method"],
                    scope["path"],
                    attempt + 1,
                )
                await asyncio.sleep(random.uniform(0.01, 0.05) * attempt)
