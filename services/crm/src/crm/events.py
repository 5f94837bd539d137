"""Which events CRM consumes, and the handler each one goes to."""

from contracts.envelope import Event
from contracts.events.erp import (
    CustomerCreditChanged,
    GoodsReceived,
    InvoiceIssued,
    InvoicePaid,
    InvoicePaymentApplied,
    OrderCreditHold,
    OrderCreditReleased,
    ProductPublished,
    PurchaseOrderCreated,
    ShipmentDispatched,
    StockLevelChanged,
    StockReservationFailed,
    StockReserved,
)
from contracts.runtime import Handler
from crm.activities import handlers as activities
from crm.catalog import handlers as catalog
from crm.customers import handlers as customers
from crm.sales import handlers as sales

HANDLERS: dict[type[Event], Handler | list[Handler]] = {
    ProductPublished: catalog.on_product_published,
    StockLevelChanged: catalog.on_stock_level_changed,
    StockReserved: sales.on_stock_reserved,
    StockReservationFailed: sales.on_reservation_failed,
    OrderCreditHold: sales.on_credit_hold,
    OrderCreditReleased: sales.on_credit_released,
    ShipmentDispatched: [sales.on_shipment_dispatched, activities.on_shipment_dispatched],
    InvoiceIssued: [sales.on_invoice_issued, customers.on_invoice_issued],
    InvoicePaymentApplied: customers.on_payment_applied,
    InvoicePaid: [sales.on_invoice_paid, customers.on_invoice_paid],
    CustomerCreditChanged: customers.on_credit_changed,
    PurchaseOrderCreated: sales.on_purchase_order_created,
    GoodsReceived: sales.on_goods_received,
}
