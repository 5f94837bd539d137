"""Replenishment: raise a purchase requisition in the transaction that made stock run short.

Called by inventory after every change of a product's stock.  It reads only tables (no
inventory use cases), so inventory can call it without an import cycle.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select

from contracts.runtime import UnitOfWork
from erp.catalog.models import Product
from erp.inventory.models import Backorder, StockLevel
from erp.purchasing.domain import OPEN_PURCHASE_ORDER, replenishment_need
from erp.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    Supplier,
)
from erp.purchasing.orders import (
    convert_requisition,
    link_backordered_orders,
    new_number,
    open_purchase_orders_of,
)


async def replenish(uow: UnitOfWork, product_id: uuid.UUID) -> PurchaseRequisition | None:
    """Request more of a stocked product if its projected stock is below the reorder point.

    At most one requisition per product is open: a further need tops it up instead.  With a
    preferred supplier the requisition becomes a draft purchase order at once.  Either way,
    customer orders waiting for the product are linked to the purchase orders that will fill
    them.  Manufactured products are left to MRP.
    """
    session = uow.session
    # Two transactions short of the same product must not both raise a requisition: lock the
    # product row (PostgreSQL; SQLite serialises writers anyway), then look at what is open.
    await session.execute(select(Product.id).where(Product.id == product_id).with_for_update())
    product = await session.get(Product, product_id)
    if product is None or product.product_type != "stocked" or not product.active:
        return None
    available = await session.scalar(
        select(func.coalesce(func.sum(StockLevel.on_hand - StockLevel.reserved), 0)).where(
            StockLevel.product_id == product_id
        )
    )
    backordered = await session.scalar(
        select(func.coalesce(func.sum(Backorder.missing), 0)).where(
            Backorder.product_id == product_id, Backorder.status == "open"
        )
    )
    on_order = await session.scalar(
        select(func.coalesce(func.sum(PurchaseOrderLine.quantity - PurchaseOrderLine.received), 0))
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
        .where(
            PurchaseOrderLine.product_id == product_id,
            PurchaseOrder.status.in_(OPEN_PURCHASE_ORDER),
        )
    )
    requisition = await session.scalar(
        select(PurchaseRequisition).where(
            PurchaseRequisition.product_id == product_id, PurchaseRequisition.status == "open"
        )
    )
    need = replenishment_need(
        available=int(available or 0),
        backordered=int(backordered or 0),
        on_order=int(on_order or 0),
        requested=requisition.quantity if requisition else 0,
        reorder_point=product.reorder_point,
        reorder_quantity=product.reorder_quantity,
    )
    if need > 0:
        reason = "backorder" if backordered else "reorder_point"
        if requisition is None:
            requisition = PurchaseRequisition(
                id=uuid.uuid4(),
                number=new_number("PR"),
                product_id=product_id,
                quantity=need,
                reason=reason,
                status="open",
                created_at=datetime.now(UTC),
            )
            session.add(requisition)
            await session.flush()
            await uow.audit(
                "requisition",
                requisition.id,
                "raised",
                after={"product_id": str(product_id), "quantity": need, "reason": reason},
            )
        else:
            before = requisition.quantity
            requisition.quantity += need
            await uow.audit(
                "requisition",
                requisition.id,
                "increased",
                before={"quantity": before},
                after={"quantity": requisition.quantity, "reason": reason},
            )
        supplier = (
            await session.get(Supplier, product.preferred_supplier_id)
            if product.preferred_supplier_id
            else None
        )
        if supplier is not None and supplier.active:
            await convert_requisition(uow, requisition.id)
    if backordered:
        await link_backordered_orders(
            session, await open_purchase_orders_of(session, product_id), [product_id]
        )
    return requisition
