"""Warranty reminders: scheduled when the goods ship, because the warranty starts then
(a confirmed order may wait weeks for stock; counting from confirmation would remind early)."""

from sqlalchemy import select

from contracts.envelope import Envelope
from contracts.events.erp import ShipmentDispatched
from contracts.runtime import UnitOfWork
from crm.activities import service
from crm.activities.domain import ActivityKind, warranty_reminder_due
from crm.catalog.models import CatalogProduct
from crm.customers.models import Account
from crm.sales.models import SalesOrder


async def on_shipment_dispatched(uow: UnitOfWork, event: ShipmentDispatched, _: Envelope) -> None:
    order = await uow.session.get(SalesOrder, event.order_id)
    if order is None:
        return
    ids = [line.product_id for line in event.lines]
    products = {
        p.product_id: p
        for p in await uow.session.scalars(
            select(CatalogProduct).where(CatalogProduct.product_id.in_(ids))
        )
    }
    account = await uow.session.get(Account, order.account_id)
    owner = order.owner or (account.owner if account else None)
    for line in event.lines:
        product = products.get(line.product_id)
        if product is None or product.warranty_months <= 0:
            continue
        due = warranty_reminder_due(event.dispatched_at, product.warranty_months)
        await service.schedule(
            uow,
            origin_key=f"warranty:{event.shipment_id}:{line.product_id}",
            kind=ActivityKind.TASK,
            subject=f"Warranty of {line.sku} x{line.quantity} (order {order.number}) "
            f"ends in 90 days: offer a renewal",
            account_id=order.account_id,
            order_id=order.id,
            owner=owner,
            due_at=due,
        )
