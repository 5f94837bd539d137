"""The FastAPI shell every service of the platform shares: errors, correlation, health, runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from contracts.http.conflict_retry import ConflictRetryMiddleware
from contracts.http.correlation import CorrelationMiddleware
from contracts.http.health import health_router
from contracts.http.nul_guard import NulGuardMiddleware
from contracts.http.problems import PROBLEM_RESPONSES, install_problem_handlers
from contracts.observability import observe_process
from contracts.observability.middleware import RequestObserver
from contracts.observability.operations import operations_router
from contracts.runtime.service import EventRuntime


def service_app(
    *,
    title: str,
    description: str,
    version: str,
    runtime: EventRuntime,
    routers: Iterable[APIRouter],
    jwt_public_key: str,
) -> FastAPI:
    """An app whose lifespan starts and stops the service's event runtime with it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        yield
        await runtime.stop()

    app = FastAPI(
        title=title,
        version=version,
        description=description,
        lifespan=lifespan,
        responses=PROBLEM_RESPONSES,
    )
    app.state.runtime = runtime
    app.state.jwt_public_key = jwt_public_key
    observe_process(runtime.service)
    app.add_middleware(ConflictRetryMiddleware)  # innermost: nothing answered yet
    app.add_middleware(NulGuardMiddleware)
    app.add_middleware(RequestObserver, service=runtime.service)  # inside the correlation id
    app.add_middleware(CorrelationMiddleware)
    install_problem_handlers(app)
    app.include_router(health_router(runtime.readiness))
    app.include_router(operations_router())
    for router in routers:
        app.include_router(router)
    return app
