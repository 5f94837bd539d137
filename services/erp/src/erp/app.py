"""The ERP application: its routers, and the event runtime started with it."""

from fastapi import FastAPI

from contracts.http.app import service_app
from contracts.runtime.service import EventRuntime
from erp import models  # noqa: F401
from erp.catalog.api import router as catalog_router
from erp.db import delivery_tables, metadata
from erp.deps import settings as get_settings
from erp.events import HANDLERS
from erp.finance.ledger.api import router as ledger_router
from erp.finance.payables.api import router as payables_router
from erp.finance.receivables.api import router as receivables_router
from erp.finance.reports.api import router as reports_router
from erp.inventory.api import router as inventory_router
from erp.people.api import router as people_router
from erp.production.api import router as production_router
from erp.production.work_order_api import router as work_order_router
from erp.purchasing.api import router as purchasing_router
from erp.settings import Settings
from erp.shipping.api import router as shipping_router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    runtime = EventRuntime.for_service(
        "erp", settings, metadata=metadata, tables=delivery_tables, handlers=HANDLERS
    )
    return service_app(
        title="ERP",
        version="0.1.0",
        description="The back office: catalog, inventory, purchasing, finance and production.",
        runtime=runtime,
        jwt_public_key=settings.public_key(),
        routers=(
            catalog_router,
            inventory_router,
            production_router,
            work_order_router,
            shipping_router,
            purchasing_router,
            ledger_router,
            receivables_router,
            payables_router,
            reports_router,
            people_router,
        ),
    )
