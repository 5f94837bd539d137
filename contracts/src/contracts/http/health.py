"""Health endpoints for Kubernetes probes: alive, and ready with the reason when not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse


def health_router(readiness: Callable[[], Awaitable[dict[str, str]]]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Dependencies reachable; 503 names the ones that are not")
    async def readyz() -> JSONResponse:
        checks = await readiness()
        # "degraded: ..." names a problem worth a look that must not take the pod out of
        # service (see EventRuntime.readiness); anything else but "ok" does.
        ready = all(v == "ok" or v.startswith("degraded") for v in checks.values())
        degraded = any(v.startswith("degraded") for v in checks.values())
        status = "not ready" if not ready else "degraded" if degraded else "ready"
        return JSONResponse({"status": status, "checks": checks}, status_code=200 if ready else 503)

    return router
