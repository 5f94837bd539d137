"""Which events ERP consumes, and the handler each one goes to."""

from contracts.envelope import Event
from contracts.events.crm import AccountRegistered, AccountsMerged, OrderCancelled, OrderConfirmed
from contracts.events.erp import GoodsReceived, ShipmentDispatched
from contracts.runtime import Handler
from erp.finance import handlers as finance
from erp.inventory import handlers as inventory

HANDLERS: dict[type[Event], Handler | list[Handler]] = {
    OrderConfirmed: inventory.on_order_confirmed,
    OrderCancelled: [inventory.on_order_cancelled, finance.on_order_cancelled],
    AccountRegistered: finance.on_account_registered,
    AccountsMerged: finance.on_accounts_merged,
    ShipmentDispatched: finance.on_shipment_dispatched,
    GoodsReceived: finance.on_goods_received,
}
