"""The operations page and its API: each service's health, delivery state and dead letters.

The page itself is static and public (it holds no data); it signs in through /auth/token and
keeps the access token in memory only, sending it as a bearer header, never in a URL.  Every
data endpoint checks ``operations:read`` (or ``operations:write`` to retry a dead letter).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from importlib import resources
from typing import Annotated, Any, Literal

import httpx
from fastapi import APIRouter, Depends, Path, Request, Response

from contracts.http.auth import Principal
from contracts.http.problems import problem_response
from contracts.observability.metrics import exposition
from gateway.deps import require
from gateway.upstream import Part, Upstream

SERVICES = ("crm", "erp")
ServiceName = Literal["crm", "erp"]

router = APIRouter(tags=["operations"])

_ASSETS = {
    "ops.js": "text/javascript; charset=utf-8",
    "ops.css": "text/css; charset=utf-8",
}
# The page runs only its own script and talks only to this origin.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _static(name: str) -> str:
    return resources.files("gateway.ops").joinpath("static", name).read_text("utf-8")


@router.get("/ops", include_in_schema=False)
async def page() -> Response:
    return Response(_static("index.html"), media_type="text/html", headers=_PAGE_HEADERS)


@router.get("/ops/assets/{name}", include_in_schema=False)
async def asset(name: str) -> Response:
    if name not in _ASSETS:
        return problem_response(404, "Not found", f"no asset {name!r}")
    return Response(_static(name), media_type=_ASSETS[name], headers=_PAGE_HEADERS)


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    body, content_type = exposition()
    return Response(body, media_type=content_type)


@router.get("/ops/api/overview", summary="Health, delivery state, dead letters and events")
async def overview(
    request: Request, _: Annotated[Principal, Depends(require("operations:read"))]
) -> dict[str, Any]:
    authorization = request.headers.get("authorization")
    reports = await asyncio.gather(
        *(_service_report(getattr(request.app.state, name), authorization) for name in SERVICES)
    )
    return {
        "generated_at": datetime.now(UTC).isoformat(),
        "services": dict(zip(SERVICES, reports, strict=True)),
    }


@router.post(
    "/ops/api/{service}/dead-letters/{dead_letter_id}/retry",
    summary="Publish a dead letter again to its source topic",
)
async def retry_dead_letter(
    request: Request,
    service: ServiceName,
    dead_letter_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    _: Annotated[Principal, Depends(require("operations:write"))],
) -> Response:
    upstream: Upstream = getattr(request.app.state, service)
    try:
        reply = await upstream.forward(
            "POST",
            f"/ops/dead-letters/{dead_letter_id}/retry",
            authorization=request.headers.get("authorization"),
            headers={},
            params=None,
            content=b"",
        )
    except httpx.HTTPError:
        return problem_response(503, "Service unavailable", f"{service.upper()} is not answering.")
    return Response(
        reply.content,
        status_code=reply.status_code,
        media_type=reply.headers.get("content-type", "application/json"),
    )


async def _service_report(upstream: Upstream, authorization: str | None) -> dict[str, Any]:
    health, status, dead_letters, events = await asyncio.gather(
        _readiness(upstream),
        upstream.get("/ops/status", authorization),
        upstream.get("/ops/dead-letters", authorization, params={"pending": "true"}),
        upstream.get("/ops/events", authorization),
    )
    return {
        "health": health,
        "status": _data(status),
        "dead_letters": _data(dead_letters, lambda d: d["items"]),
        "events": _data(events, lambda d: d["items"]),
    }


async def _readiness(upstream: Upstream) -> dict[str, Any]:
    # Called directly, not through the circuit breaker: "not ready" (503) is an answer here.
    try:
        reply = await upstream.client.get("/readyz")
    except httpx.HTTPError as exc:
        return {"status": "unreachable", "checks": {"http": f"{type(exc).__name__}"}}
    try:
        body = reply.json()
    except ValueError:
        return {"status": "unreachable", "checks": {"http": f"answered {reply.status_code}"}}
    return {"status": body.get("status", "unknown"), "checks": body.get("checks", {})}


def _data(part: Part, pick: Any = None) -> dict[str, Any]:
    if not part.ok:
        return {"error": part.error}
    return {"data": pick(part.data) if pick else part.data}
