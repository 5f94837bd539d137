"""Lot traceability: where a lot came from (work order, component lots, supplier receipts)
and where it went (shipments to customer orders, work orders that used it).

Read-only; answers a complaint about a shipped lot down to the supplier deliveries in it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, NotFound
from erp.catalog.models import Product
from erp.inventory.models import StockMove
from erp.production.models import LotConsumption, WorkOrder
from erp.production.work_orders import PRODUCTION
from erp.purchasing.models import GoodsReceipt, GoodsReceiptLine, PurchaseOrder, Supplier
from erp.shipping.models import Shipment, ShipmentLine

# Deeper BOMs than this are not followed (a guard, not a business rule).
MAX_DEPTH = 12


def _product(product: Product) -> dict[str, Any]:
    return {"id": product.id, "sku": product.sku, "name": product.name}


async def lot_products(session: AsyncSession, lot: str) -> list[uuid.UUID]:
    """The products a lot number was booked for (normally one)."""
    rows = await session.scalars(
        select(StockMove.product_id).where(StockMove.lot == lot).distinct()
    )
    return list(rows)


async def trace_lot(
    session: AsyncSession, lot: str, product_id: uuid.UUID | None = None
) -> dict[str, Any]:
    """The whole history of a lot; ``product_id`` picks one when the number is ambiguous."""
    products = await lot_products(session, lot)
    if product_id is not None:
        products = [p for p in products if p == product_id]
    if not products:
        raise NotFound(f"no stock was ever booked under lot {lot}")
    if len(products) > 1:
        raise Conflict(
            f"lot {lot} was booked for {len(products)} products; say which with ?product_id=",
            errors=[{"field": "query.product_id", "message": str(p)} for p in products],
        )
    return await _trace(session, products[0], lot, depth=0, seen=set())


async def _trace(
    session: AsyncSession,
    product_id: uuid.UUID,
    lot: str,
    *,
    depth: int,
    seen: set[tuple[uuid.UUID, str]],
) -> dict[str, Any]:
    seen.add((product_id, lot))
    product = await session.get(Product, product_id)
    assert product is not None  # moves reference products by foreign key
    work_order = await _work_order(session, product_id, lot, depth, seen)
    receipts = await _receipts(session, product_id, lot)
    if work_order is not None:
        origin = "production"
    elif any(r["purchase_order_id"] for r in receipts):
        origin = "purchase"
    else:
        origin = "receipt" if receipts else "unknown"
    return {
        "lot": lot,
        "product": _product(product),
        "origin": origin,
        "work_order": work_order,
        "receipts": receipts,
        "shipments": await _shipments(session, product_id, lot),
        "used_in": await _used_in(session, product_id, lot),
    }


async def _work_order(
    session: AsyncSession,
    product_id: uuid.UUID,
    lot: str,
    depth: int,
    seen: set[tuple[uuid.UUID, str]],
) -> dict[str, Any] | None:
    work_order = await session.scalar(
        select(WorkOrder).where(WorkOrder.product_id == product_id, WorkOrder.lot == lot)
    )
    if work_order is None:
        return None
    rows = (
        await session.execute(
            select(
                LotConsumption.component_id, LotConsumption.lot, func.sum(LotConsumption.quantity)
            )
            .where(LotConsumption.work_order_id == work_order.id)
            .group_by(LotConsumption.component_id, LotConsumption.lot)
        )
    ).all()
    components = []
    for component_id, component_lot, quantity in sorted(
        rows, key=lambda r: (str(r[0]), r[1] or "")
    ):
        component = await session.get(Product, component_id)
        assert component is not None
        deeper = None
        key = (component_id, component_lot)
        if component_lot and depth < MAX_DEPTH and key not in seen:
            deeper = await _trace(session, component_id, component_lot, depth=depth + 1, seen=seen)
        components.append(
            {
                "product": _product(component),
                "lot": component_lot,
                "quantity": int(quantity),
                "trace": deeper,
            }
        )
    return {
        "id": work_order.id,
        "number": work_order.number,
        "quantity": work_order.quantity,
        "warehouse_id": work_order.warehouse_id,
        "completed_at": work_order.completed_at,
        "components": components,
    }


async def _receipts(session: AsyncSession, product_id: uuid.UUID, lot: str) -> list[dict[str, Any]]:
    """Every booking-in of the lot other than production: goods receipts of purchase orders
    (with their supplier), and stock booked in directly."""
    rows = (
        await session.execute(
            select(StockMove, GoodsReceipt, PurchaseOrder, Supplier)
            .outerjoin(GoodsReceiptLine, GoodsReceiptLine.stock_move_id == StockMove.id)
            .outerjoin(GoodsReceipt, GoodsReceipt.id == GoodsReceiptLine.receipt_id)
            .outerjoin(PurchaseOrder, PurchaseOrder.id == GoodsReceipt.purchase_order_id)
            .outerjoin(Supplier, Supplier.id == PurchaseOrder.supplier_id)
            .where(
                StockMove.product_id == product_id,
                StockMove.lot == lot,
                StockMove.quantity > 0,
                StockMove.kind.not_in((PRODUCTION, "transfer", "shipment")),
            )
            .order_by(StockMove.id)
        )
    ).all()
    return [
        {
            "received_at": receipt.received_at if receipt else move.at,
            "quantity": move.quantity,
            "warehouse_id": move.warehouse_id,
            "kind": move.kind,
            "reference": move.reference,
            "receipt_id": receipt.id if receipt else None,
            "purchase_order_id": order.id if order else None,
            "purchase_order_number": order.number if order else None,
            "supplier_id": supplier.id if supplier else None,
            "supplier_name": supplier.name if supplier else None,
        }
        for move, receipt, order, supplier in rows
    ]


async def _used_in(session: AsyncSession, product_id: uuid.UUID, lot: str) -> list[dict[str, Any]]:
    """Work orders that consumed the lot, and the lots they made of it (where-used)."""
    rows = (
        await session.execute(
            select(WorkOrder, func.sum(LotConsumption.quantity))
            .join(LotConsumption, LotConsumption.work_order_id == WorkOrder.id)
            .where(LotConsumption.component_id == product_id, LotConsumption.lot == lot)
            .group_by(WorkOrder.id)
            .order_by(WorkOrder.completed_at)
        )
    ).all()
    return [
        {
            "work_order_id": work_order.id,
            "work_order_number": work_order.number,
            "product_id": work_order.product_id,
            "finished_lot": work_order.lot,
            "quantity": int(quantity),
        }
        for work_order, quantity in rows
    ]


async def _shipments(
    session: AsyncSession, product_id: uuid.UUID, lot: str
) -> list[dict[str, Any]]:
    """Shipments that took units of the lot to customer orders."""
    rows = (
        await session.execute(
            select(Shipment, func.sum(ShipmentLine.quantity))
            .join(ShipmentLine, ShipmentLine.shipment_id == Shipment.id)
            .where(ShipmentLine.product_id == product_id, ShipmentLine.lot == lot)
            .group_by(Shipment.id)
            .order_by(Shipment.dispatched_at)
        )
    ).all()
    return [
        {
            "shipment_id": shipment.id,
            "shipment_number": shipment.number,
            "order_id": shipment.order_id,
            "quantity": int(quantity),
            "shipped_at": shipment.dispatched_at,
        }
        for shipment, quantity in rows
    ]
