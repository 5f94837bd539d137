"""Which events CRM consumes, and the handler each one goes to."""

from contracts.envelope import Event
from contracts.events.erp import (
    ProductPublished,
    StockLevelChanged,
    StockReservationFailed,
    StockReserved,
)
from contracts.runtime import Handler
from crm.catalog import handlers as catalog
from crm.sales import handlers as sales

HANDLERS: dict[type[Event], Handler] = {
    ProductPublished: catalog.on_product_published,
    StockLevelChanged: catalog.on_stock_level_changed,
    StockReserved: sales.on_stock_reserved,
    StockReservationFailed: sales.on_reservation_failed,
}
