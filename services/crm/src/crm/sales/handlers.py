"""ERP's facts about orders move CRM's orders along their lifecycle and onto the timeline."""

from contracts.envelope import Envelope
from contracts.events.erp import (
    GoodsReceived,
    InvoiceIssued,
    InvoicePaid,
    OrderCreditHold,
    OrderCreditReleased,
    PurchaseOrderCreated,
    ShipmentDispatched,
    StockReservationFailed,
    StockReserved,
)
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


async def on_credit_hold(uow: UnitOfWork, event: OrderCreditHold, _: Envelope) -> None:
    await service.record_erp_outcome(
        uow,
        event.order_id,
        OrderStatus.CREDIT_HOLD,
        f"credit hold: open AR {event.open_receivables} + order {event.order_total} "
        f"> limit {event.credit_limit}",
    )


async def on_credit_released(uow: UnitOfWork, event: OrderCreditReleased, _: Envelope) -> None:
    # The order stays on hold until ERP says whether it reserved the stock (next fact).
    await service.note_on_order(uow, event.order_id, "credit_released", event.reason)


async def on_shipment_dispatched(uow: UnitOfWork, event: ShipmentDispatched, _: Envelope) -> None:
    await service.record_erp_outcome(
        uow, event.order_id, OrderStatus.SHIPPED, f"shipment {event.shipment_number}"
    )
    await service.note_on_order(
        uow,
        event.order_id,
        "shipment_dispatched",
        f"Shipment {event.shipment_number} dispatched: "
        + ", ".join(f"{line.sku} x{line.quantity}" for line in event.lines),
        at=event.dispatched_at,
        subject_id=event.shipment_id,
    )


async def on_invoice_issued(uow: UnitOfWork, event: InvoiceIssued, _: Envelope) -> None:
    if event.order_id is not None:
        await service.record_invoice(uow, event.order_id, event.invoice_number, event.total)


async def on_invoice_paid(uow: UnitOfWork, event: InvoicePaid, _: Envelope) -> None:
    if event.order_id is not None:
        await service.record_invoice_paid(uow, event.order_id, event.invoice_number, event.total)


async def on_purchase_order_created(
    uow: UnitOfWork, event: PurchaseOrderCreated, _: Envelope
) -> None:
    expected = f", expected {event.expected_on}" if event.expected_on else ""
    for order_id in event.for_orders:
        await service.note_on_order(
            uow,
            order_id,
            "goods_ordered",
            f"Purchase order {event.number} placed with {event.supplier_name}{expected}",
            subject_id=event.purchase_order_id,
        )


async def on_goods_received(uow: UnitOfWork, event: GoodsReceived, _: Envelope) -> None:
    """So the customer can be told their backordered goods arrived."""
    for order_id in event.for_orders:
        await service.note_on_order(
            uow,
            order_id,
            "goods_received",
            "Goods for this order arrived: "
            + ", ".join(f"{line.sku} x{line.quantity}" for line in event.lines),
            at=event.received_at,
            subject_id=event.receipt_id,
        )
