"""The gateway application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import text

from contracts.http.correlation import CorrelationMiddleware
from contracts.http.health import health_router
from contracts.http.nul_guard import NulGuardMiddleware
from contracts.http.problems import PROBLEM_RESPONSES, install_problem_handlers
from contracts.observability import observe_process
from contracts.observability.middleware import RequestObserver
from contracts.runtime.database import make_engine, make_sessions
from gateway import models  # noqa: F401
from gateway.admin.api import router as admin_router
from gateway.auth.api import router as auth_router
from gateway.auth.service import ensure_bootstrap_admin
from gateway.deps import public_key_of
from gateway.deps import settings as get_settings
from gateway.live.api import router as live_router
from gateway.live.hub import EventHub
from gateway.openapi import OpenApiDocument
from gateway.openapi import router as openapi_router
from gateway.ops.api import router as ops_router
from gateway.passthrough import router as passthrough_router
from gateway.security import BodySizeLimitMiddleware, RateLimitMiddleware, SecurityHeadersMiddleware
from gateway.settings import Settings
from gateway.upstream import Upstream
from gateway.views.customers import router as customer_view_router
from gateway.views.dashboard import router as dashboard_router
from gateway.views.orders import router as orders_view_router
from gateway.views.trace import router as trace_router

DESCRIPTION = """
The one API for frontends: sign in at `/auth/token`, then call the composed views and the CRM
and ERP resources under `/api` with `Authorization: Bearer <access token>`.

* Errors are RFC 9457 problem documents (`application/problem+json`) with a `correlation_id`.
* Send `X-Request-ID` to choose the correlation id; it is echoed and carried into events.
* Send `Idempotency-Key` on a POST to make retries safe: a retry with the same key and body
  gets the first answer; the same key with another body is refused (422).
* Lists are keyset-paginated: pass `next_cursor` back as `?cursor=`.
* Updates take `If-Match` with the ETag of the version you read (412 if it changed).
* Rate limit: per client (token subject, else IP) and per gateway replica; over it you get
  429 with `Retry-After`.
"""


def create_app(
    settings: Settings | None = None,
    *,
    crm_transport: httpx.AsyncBaseTransport | None = None,
    erp_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The gateway; tests may route its calls to CRM and ERP apps in-process (transports)."""
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    sessions = make_sessions(engine)
    timeout = settings.upstream_timeout_seconds
    crm = Upstream("crm", settings.crm_url, timeout, crm_transport)
    erp = Upstream("erp", settings.erp_url, timeout, erp_transport)
    hub = EventHub(settings.kafka_bootstrap_servers, settings.event_stream_replay)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with sessions() as session, session.begin():
            await ensure_bootstrap_admin(session, settings)
        if settings.run_event_stream:
            await hub.start()
        yield
        await hub.stop()
        await crm.close()
        await erp.close()
        await engine.dispose()

    async def readiness() -> dict[str, str]:
        checks: dict[str, str] = {}
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"unreachable: {exc}"[:300]
        # The gateway stays ready when CRM or ERP is down: it degrades, it does not stop.
        return checks

    app = FastAPI(
        title="CRM + ERP API",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=PROBLEM_RESPONSES,
        openapi_url=None,  # served merged with CRM's and ERP's operations (gateway.openapi)
        docs_url=None,
        redoc_url=None,
    )
    app.state.sessions = sessions
    app.state.settings = settings
    app.state.jwt_public_key = public_key_of(settings.private_key())
    app.state.crm = crm
    app.state.erp = erp
    app.state.hub = hub
    app.state.openapi_document = OpenApiDocument(app, settings.openapi_cache_seconds)
    # Outermost last: correlation ids and security headers wrap even refusals.
    app.add_middleware(NulGuardMiddleware)  # inside the body size limit
    app.add_middleware(
        RateLimitMiddleware,
        per_minute=settings.rate_limit_per_minute,
        public_key=app.state.jwt_public_key,
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "authorization",
                "content-type",
                "if-match",
                "idempotency-key",
                "x-request-id",
                "last-event-id",
            ],
            expose_headers=["etag", "location", "retry-after", "x-request-id"],
            max_age=600,
        )
    observe_process("gateway")
    # Inside the correlation id and around the edge protections: refusals are counted too.
    app.add_middleware(RequestObserver, service="gateway")
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(CorrelationMiddleware)
    install_problem_handlers(app)
    app.include_router(health_router(readiness))
    app.include_router(openapi_router)
    app.include_router(auth_router)
    app.include_router(admin_router)
    # Composed views and the stream before the passthrough, which matches any path.
    for router in (
        orders_view_router,
        customer_view_router,
        dashboard_router,
        trace_router,
        live_router,
        ops_router,
    ):
        app.include_router(router)
    app.include_router(passthrough_router)
    return app
