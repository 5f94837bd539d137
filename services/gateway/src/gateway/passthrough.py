"""CRM's and ERP's resource APIs under /api, with the caller's token and correlation id.

Each resource collection belongs to one service; the first path segment says which.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.http.auth import Principal
from contracts.http.problems import problem_response
from gateway.deps import auth
from gateway.idempotency import service as idempotency
from gateway.upstream import Upstream

OWNERS: dict[str, str] = {
    # CRM: the front office
    "accounts": "crm",
    "contacts": "crm",
    "leads": "crm",
    "opportunities": "crm",
    "activities": "crm",
    "quotes": "crm",
    "orders": "crm",
    "cases": "crm",
    "segments": "crm",
    "campaigns": "crm",
    "catalog": "crm",
    "forecast": "crm",
    "timeline": "crm",
    # ERP: the back office
    "products": "erp",
    "warehouses": "erp",
    "stock": "erp",
    "fulfilment": "erp",
    "shipments": "erp",
    "suppliers": "erp",
    "requisitions": "erp",
    "purchase-orders": "erp",
    "receipts": "erp",
    "invoices": "erp",
    "payments": "erp",
    "customers": "erp",
    "ledger": "erp",
    "reports": "erp",
    "supplier-bills": "erp",
    "boms": "erp",
    "work-orders": "erp",
    "mrp": "erp",
    "lots": "erp",
    "employees": "erp",
    "commissions": "erp",
    "commission-rules": "erp",
    "credit-holds": "erp",
    "supplier-payments": "erp",
    "automation-rules": "crm",
}

FORWARDED_REQUEST_HEADERS = (
    "content-type",
    "accept",
    "if-match",
    "if-none-match",
    "idempotency-key",
)
FORWARDED_RESPONSE_HEADERS = ("content-type", "etag", "location", "retry-after")

router = APIRouter(prefix="/api", tags=["passthrough"])


@router.api_route(
    "/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
async def passthrough(
    path: str, request: Request, caller: Annotated[Principal, Depends(auth.principal())]
) -> Response:
    """Forward to the owning service, which checks the permission matrix itself."""
    segment = path.split("/", 1)[0]
    owner = OWNERS.get(segment)
    if owner is None:
        return problem_response(404, "Not found", f"no API resource is called {segment!r}")
    body = await request.body()
    key = request.headers.get("idempotency-key")
    if request.method != "POST" or not key:
        return await _forward(
            request,
            owner,
            path,
            body,
            read_timeout=request.app.state.settings.passthrough_timeout_seconds,
        )
    if len(key) > 200:
        return problem_response(
            422, "Invalid request", "Idempotency-Key is longer than 200 characters."
        )
    sessions = request.app.state.sessions
    claim = await idempotency.claim(
        sessions,
        caller=caller.subject,
        key=key,
        fingerprint=idempotency.request_hash(request.method, path, request.url.query, body),
        keep=timedelta(hours=request.app.state.settings.idempotency_hours),
    )
    if isinstance(claim, idempotency.Replay):
        headers = {"idempotent-replayed": "true"}
        if claim.content_type:
            headers["content-type"] = claim.content_type
        return Response(claim.body, status_code=claim.status, headers=headers)
    if isinstance(claim, idempotency.KeyReused):
        return problem_response(
            422,
            "Idempotency key reused",
            "This Idempotency-Key was already used for a different request.",
            type_slug="idempotency-key-reused",
        )
    if isinstance(claim, idempotency.InFlight):
        return problem_response(
            409,
            "Request in progress",
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            type_slug="idempotency-in-flight",
            headers={"Retry-After": "1"},
        )
    # The write goes on after the client stops waiting (its answer is still remembered for the
    # retry), so a slow service never leaves a keyed write in an unknown state.
    forwarding = asyncio.create_task(
        _forward(request, owner, path, body, read_timeout=KEYED_WRITE_TIMEOUT)
    )
    try:
        response = await asyncio.wait_for(
            asyncio.shield(forwarding), request.app.state.settings.passthrough_timeout_seconds
        )
    except TimeoutError:
        _settle_later(forwarding, sessions, claim.record_id)
        return problem_response(
            504,
            "Still in progress",
            f"{owner.upper()} has not answered yet; the request goes on. Send it again with "
            "the same Idempotency-Key to get its answer.",
            type_slug="upstream-slow",
            headers={"Retry-After": "2"},
        )
    await _settle(sessions, claim.record_id, response)
    return response


KEYED_WRITE_TIMEOUT = 60.0
"""How long a keyed write may take upstream; well inside the claim's in-flight limit."""

_settling: set[asyncio.Task[None]] = set()  # strong references until each is done


def _settle_later(
    forwarding: asyncio.Task[Response], sessions: async_sessionmaker[AsyncSession], record_id: int
) -> None:
    async def settle() -> None:
        await _settle(sessions, record_id, await forwarding)

    task = asyncio.create_task(settle())
    _settling.add(task)
    task.add_done_callback(_settling.discard)


async def _settle(
    sessions: async_sessionmaker[AsyncSession], record_id: int, response: Response
) -> None:
    """Remember the answer for retries, or free the key when the write did not happen."""
    if response.status_code >= 500:
        await idempotency.release(sessions, record_id)
    else:
        await idempotency.remember(
            sessions,
            record_id,
            status=response.status_code,
            content_type=response.headers.get("content-type"),
            body=bytes(response.body),
        )


async def _forward(
    request: Request, owner: str, path: str, body: bytes, read_timeout: float | None = None
) -> Response:
    upstream: Upstream = getattr(request.app.state, owner)
    headers = {h: request.headers[h] for h in FORWARDED_REQUEST_HEADERS if h in request.headers}
    try:
        reply = await upstream.forward(
            request.method,
            # The path arrives decoded; encode it again so that any character a client sent
            # percent-encoded (controls, non-ASCII) reaches the service as it was sent.
            "/" + quote(path, safe="/:@!$&'()*+,;=~"),
            authorization=request.headers.get("authorization"),
            headers=headers,
            params=request.query_params.multi_items(),
            content=body,
            read_timeout=read_timeout,
        )
    except httpx.TimeoutException:
        return problem_response(
            504,
            "Service too slow",
            f"{owner.upper()} did not answer in time; the request may still be applied. "
            "Send writes with an Idempotency-Key so that a retry is safe.",
            type_slug="upstream-timeout",
            headers={"Retry-After": "5"},
        )
    except httpx.HTTPError:
        return problem_response(
            503,
            "Service unavailable",
            f"{owner.upper()} is not answering; try again shortly.",
            type_slug="upstream-unavailable",
            headers={"Retry-After": "5"},
        )
    out = {h: reply.headers[h] for h in FORWARDED_RESPONSE_HEADERS if h in reply.headers}
    return Response(reply.content, status_code=reply.status_code, headers=out)
