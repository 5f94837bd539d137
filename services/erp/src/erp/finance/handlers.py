"""Events that move money: CRM's customers and orders, ERP's own shipments and receipts."""

from contracts.envelope import Envelope
from contracts.events.crm import AccountRegistered, AccountsMerged, OrderCancelled
from contracts.events.erp import GoodsReceived, ShipmentDispatched
from contracts.runtime import UnitOfWork
from erp.finance.credit import service as credit
from erp.finance.payables import service as payables
from erp.finance.receivables import customers, invoicing


async def on_account_registered(uow: UnitOfWork, event: AccountRegistered, _: Envelope) -> None:
    await credit.register_customer(uow, event)


async def on_accounts_merged(uow: UnitOfWork, event: AccountsMerged, _: Envelope) -> None:
    await customers.merge_customers(uow, event)


async def on_order_cancelled(uow: UnitOfWork, event: OrderCancelled, _: Envelope) -> None:
    await credit.cancel_order(uow, event)


async def on_shipment_dispatched(uow: UnitOfWork, event: ShipmentDispatched, _: Envelope) -> None:
    await invoicing.invoice_shipment(uow, event)


async def on_goods_received(uow: UnitOfWork, event: GoodsReceived, _: Envelope) -> None:
    await payables.book_goods_received(uow, event)
