"""Goods receipts: goods of a purchase order arrive, are booked into stock by lot, and fill
backorders oldest first."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from contracts.errors import IllegalTransition, InvalidRequest
from contracts.events.erp import GoodsReceived, ReceivedLine
from contracts.runtime import UnitOfWork, current_actor
from erp.inventory import service as inventory
from erp.purchasing.domain import check_receipt, status_after_receipt
from erp.purchasing.models import GoodsReceipt, GoodsReceiptLine, PurchaseOrderLink
from erp.purchasing.orders import get_purchase_order


@dataclass(frozen=True)
class ReceivedQuantity:
    product_id: uuid.UUID
    quantity: int
    lot: str | None = None


async def receive_goods(
    uow: UnitOfWork,
    purchase_order_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    lines: Sequence[ReceivedQuantity],
) -> GoodsReceipt:
    """Book what arrived against a sent purchase order; publish ``GoodsReceived``."""
    session = uow.session
    order = await get_purchase_order(session, purchase_order_id)
    if order.status not in ("sent", "partially_received"):
        raise IllegalTransition(f"purchase order {order.number} is {order.status}; send it first")
    await inventory.get_warehouse(session, warehouse_id)
    if not lines:
        raise InvalidRequest("a receipt needs lines")
    outstanding: dict[uuid.UUID, int] = defaultdict(int)
    for line in order.lines:
        outstanding[line.product_id] += line.quantity - line.received
    receiving: dict[uuid.UUID, int] = defaultdict(int)
    for r in lines:
        receiving[r.product_id] += r.quantity
    check_receipt(outstanding, receiving)

    now = datetime.now(UTC)
    receipt = GoodsReceipt(
        id=uuid.uuid4(),
        purchase_order_id=order.id,
        warehouse_id=warehouse_id,
        actor=current_actor(),
        received_at=now,
        lines=[],
    )
    session.add(receipt)
    await session.flush()
    # Book the receipt on the order's lines first, so that replenishment (run with each stock
    # change) already sees what is still on order.
    for r in lines:
        left = r.quantity
        for line in order.lines:
            if line.product_id == r.product_id and left:
                take = min(left, line.quantity - line.received)
                line.received += take
                left -= take
    order.status = status_after_receipt(
        {line.id: (line.quantity, line.received) for line in order.lines}
    )
    order.updated_at = now
    await session.flush()
    received: list[ReceivedLine] = []
    for r in lines:
        move = await inventory.receive_stock(
            uow,
            product_id=r.product_id,
            warehouse_id=warehouse_id,
            quantity=r.quantity,
            reference=order.number,
            lot=r.lot,
        )
        receipt.lines.append(
            GoodsReceiptLine(
                product_id=r.product_id, quantity=r.quantity, lot=r.lot, stock_move_id=move.id
            )
        )
        sku = next(line.sku for line in order.lines if line.product_id == r.product_id)
        received.append(
            ReceivedLine(product_id=r.product_id, sku=sku, quantity=r.quantity, lot=r.lot)
        )
    await session.flush()
    for_orders = list(
        (
            await session.scalars(
                select(PurchaseOrderLink.order_id).where(
                    PurchaseOrderLink.purchase_order_id == order.id
                )
            )
        ).all()
    )
    await uow.publish(
        GoodsReceived(
            purchase_order_id=order.id,
            receipt_id=receipt.id,
            warehouse_id=warehouse_id,
            lines=received,
            received_at=now,
            for_orders=for_orders,
        )
    )
    await uow.audit(
        "purchase_order",
        order.id,
        "received",
        after={
            "receipt_id": str(receipt.id),
            "status": order.status,
            "lines": [
                {"product_id": str(r.product_id), "quantity": r.quantity, "lot": r.lot}
                for r in lines
            ],
        },
    )
    return receipt
