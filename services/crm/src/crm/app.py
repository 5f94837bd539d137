"""The CRM application: its routers, and the event runtime started with it."""

from fastapi import FastAPI

from contracts.http.app import service_app
from contracts.runtime.service import EventRuntime
from crm import models  # noqa: F401
from crm.activities.api import router as activities_router
from crm.catalog.api import router as catalog_router
from crm.customers.api import router as accounts_router
from crm.customers.contacts_api import router as contacts_router
from crm.db import delivery_tables, metadata
from crm.deps import settings as get_settings
from crm.events import HANDLERS
from crm.marketing.api import router as marketing_router
from crm.pipeline.api import router as pipeline_router
from crm.sales.api import router as orders_router
from crm.sales.quotes_api import router as quotes_router
from crm.service.api import router as cases_router
from crm.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    runtime = EventRuntime.for_service(
        "crm", settings, metadata=metadata, tables=delivery_tables, handlers=HANDLERS
    )
    return service_app(
        title="CRM",
        version="0.1.0",
        description="The front office: accounts, sales, service and marketing.",
        runtime=runtime,
        jwt_public_key=settings.public_key(),
        routers=(
            accounts_router,
            contacts_router,
            catalog_router,
            orders_router,
            pipeline_router,
            activities_router,
            quotes_router,
            cases_router,
            marketing_router,
        ),
    )
