"""The gateway application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import text

from contracts.http.correlation import CorrelationMiddleware
from contracts.http.health import health_router
from contracts.http.problems import PROBLEM_RESPONSES, install_problem_handlers
from contracts.runtime.database import make_engine, make_sessions
from gateway import models  # noqa: F401
from gateway.auth.api import router as auth_router
from gateway.auth.service import ensure_bootstrap_admin
from gateway.deps import public_key_of
from gateway.deps import settings as get_settings
from gateway.passthrough import router as passthrough_router
from gateway.settings import Settings
from gateway.upstream import Upstream
from gateway.views.orders import router as orders_view_router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    sessions = make_sessions(engine)
    crm = Upstream("crm", settings.crm_url, settings.upstream_timeout_seconds)
    erp = Upstream("erp", settings.erp_url, settings.upstream_timeout_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with sessions() as session, session.begin():
            await ensure_bootstrap_admin(session, settings)
        yield
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
        title="CRM + ERP gateway",
        version="0.1.0",
        description="The one API for frontends: auth, composed views, CRM and ERP resources.",
        lifespan=lifespan,
        responses=PROBLEM_RESPONSES,
    )
    app.state.sessions = sessions
    app.state.settings = settings
    app.state.jwt_public_key = public_key_of(settings.private_key())
    app.state.crm = crm
    app.state.erp = erp
    app.add_middleware(CorrelationMiddleware)
    install_problem_handlers(app)
    app.include_router(health_router(readiness))
    app.include_router(auth_router)
    app.include_router(orders_view_router)  # before the passthrough, which matches any path
    app.include_router(passthrough_router)
    return app
