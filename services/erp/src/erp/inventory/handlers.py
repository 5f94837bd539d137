"""CRM's order events drive reservations."""

from contracts.envelope import Envelope
from contracts.events.crm import OrderCancelled, OrderConfirmed
from contracts.runtime import UnitOfWork
from erp.finance.credit import service as credit
from erp.inventory import service


async def on_order_confirmed(uow: UnitOfWork, event: OrderConfirmed, _: Envelope) -> None:
    if await credit.screen_order(uow, event):
        return  # held for credit: reserved when finance releases it
    await service.reserve_order(uow, event)


async def on_order_cancelled(uow: UnitOfWork, event: OrderCancelled, _: Envelope) -> None:
    await service.release_order(uow, event)
