"""GET /api/events/stream: server-sent events of what the caller may see."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import StreamingResponse

from contracts.http.auth import Principal
from gateway.deps import auth
from gateway.live.hub import EventHub

router = APIRouter(prefix="/api", tags=["live updates"])

KEEPALIVE_SECONDS = 15.0


@router.get(
    "/events/stream",
    summary="Live domain events (server-sent events), filtered by your roles and account",
    description=(
        "A `text/event-stream` of the domain events the caller may see: staff see the events of "
        "every area their roles can read; a customer sees only its own account's order, "
        "shipment and invoice events.  Each message has `id` (the event id), `event` (the "
        "event type) and `data` (JSON: event_id, event_type, occurred_at, topic, key, "
        "correlation_id, payload).  Reconnect with `Last-Event-ID` to resume (best effort: "
        "recent events of the replica you reach).  Send the bearer token in the Authorization "
        "header (use a fetch-based EventSource in browsers)."
    ),
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream_events(
    request: Request,
    caller: Annotated[Principal, Depends(auth.principal())],
    last_event_id: Annotated[str | None, Header(max_length=100)] = None,
) -> StreamingResponse:
    hub: EventHub = request.app.state.hub
    subscriber = hub.subscribe(caller, last_event_id)

    async def messages() -> AsyncIterator[str]:
        try:
            yield "retry: 2000\n: connected\n\n"
            while not subscriber.overflowed:
                try:
                    event = await asyncio.wait_for(subscriber.queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    yield ": keepalive\n\n"
                    continue
                data = json.dumps(event.data, separators=(",", ":"))
                yield f"id: {event.event_id}\nevent: {event.data['event_type']}\ndata: {data}\n\n"
        finally:
            hub.unsubscribe(subscriber)

    return StreamingResponse(
        messages(),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )
