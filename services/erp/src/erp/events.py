"""Which events ERP consumes, and the handler each one goes to."""

from contracts.envelope import Event
from contracts.events.crm import OrderCancelled, OrderConfirmed
from contracts.runtime import Handler
from erp.inventory import handlers as inventory

HANDLERS: dict[type[Event], Handler] = {
    OrderConfirmed: inventory.on_order_confirmed,
    OrderCancelled: inventory.on_order_cancelled,
}
