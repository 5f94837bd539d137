"""ERP's facts about orders move CRM's orders along their lifecycle."""

from contracts.envelope import Envelope
from contracts.events.erp import StockReservationFailed, StockReserved
from contracts.runtime import UnitOfWork
from crm.sales import service
from crm.sales.domain import OrderStatus


async def on_stock_reserved(uow: UnitOfWork, event: StockReserved, _: Envelope) -> None:
    await service.record_erp_outcome(
        uow, event.order_id, OrderStatus.RESERVED, "ERP reserved every line"
    )


async def on_reservation_failed(
    uow: UnitOfWork, event: StockReservationFailed, _: Envelope
) -> None:
    missing = ", ".join(f"{s.sku} x{s.missing}" for s in event.shortages)
    await service.record_erp_outcome(
        uow, event.order_id, OrderStatus.BACKORDERED, f"short: {missing}"
    )
