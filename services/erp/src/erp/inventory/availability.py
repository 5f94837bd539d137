"""Availability: what CRM (and replenishment) must hear after every change of stock."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update

from contracts.events.erp import StockLevelChanged
from contracts.runtime import UnitOfWork
from erp.catalog.models import Product
from erp.inventory.models import StockLevel
from erp.purchasing.replenishment import replenish


async def publish_stock_level(uow: UnitOfWork, product_id: uuid.UUID) -> None:
    """Tell subscribers the product's availability across all warehouses."""
    session = uow.session
    await session.flush()
    product = await session.get(Product, product_id)
    if product is None:
        return
    on_hand, reserved = (
        await session.execute(
            select(
                func.coalesce(func.sum(StockLevel.on_hand), 0),
                func.coalesce(func.sum(StockLevel.reserved), 0),
            ).where(StockLevel.product_id == product_id)
        )
    ).one()
    await session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(stock_revision=Product.stock_revision + 1)
        .execution_options(synchronize_session=False)
    )
    revision = await session.scalar(select(Product.stock_revision).where(Product.id == product_id))
    await uow.publish(
        StockLevelChanged(
            product_id=product_id,
            sku=product.sku,
            on_hand=int(on_hand),
            reserved=int(reserved),
            available=int(on_hand) - int(reserved),
            revision=int(revision or 1),
        )
    )
    # Same transaction: falling below the reorder point or a new backorder raises a
    # requisition now, not at some later batch run.
    await replenish(uow, product_id)
