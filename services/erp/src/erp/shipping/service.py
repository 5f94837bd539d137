"""Use cases on shipments: ship what an order has reserved, lots first in first out."""

from __future__ import annotations

import secrets
import uuid
from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from contracts.errors import IllegalTransition, NotFound
from contracts.events.erp import ShipmentDispatched, ShippedLine, ShippedLot
from contracts.runtime import UnitOfWork, current_actor
from erp.catalog.models import Product
from erp.inventory import service as inventory
from erp.inventory.models import Backorder, FulfilmentOrder, Reservation
from erp.shipping.models import Shipment, ShipmentLine


async def ship_order(uow: UnitOfWork, order_id: uuid.UUID) -> list[Shipment]:
    """Pick and ship every open reservation of the order: one shipment per warehouse.

    Each reservation is claimed with a conditional UPDATE (open -> shipped), so two requests
    racing to ship the same order cannot ship it twice; the loser finds nothing to ship.
    Lines still backordered ship later, once their stock arrives and is reserved.
    """
    session = uow.session
    order = await session.get(FulfilmentOrder, order_id)
    if order is None:
        raise NotFound(f"ERP has not been asked to fulfil order {order_id}")
    if order.status in ("released", "credit_hold"):
        raise IllegalTransition(f"order {order.order_number} is {order.status}; nothing ships")
    reservations = (
        await session.scalars(
            select(Reservation)
            .where(Reservation.order_id == order_id, Reservation.status == "open")
            .order_by(Reservation.created_at, Reservation.id)
        )
    ).all()
    by_warehouse: dict[uuid.UUID, dict[uuid.UUID, int]] = defaultdict(lambda: defaultdict(int))
    for reservation in reservations:
        claimed = await session.execute(
            update(Reservation)
            .where(Reservation.id == reservation.id, Reservation.status == "open")
            .values(status="shipped")
            .execution_options(synchronize_session=False)
        )
        if (claimed.rowcount or 0) == 1:  # type: ignore[attr-defined]
            by_warehouse[reservation.warehouse_id][reservation.product_id] += reservation.quantity
    if not by_warehouse:
        raise IllegalTransition(
            f"order {order.order_number} has nothing reserved to ship (status {order.status})"
        )
    now = datetime.now(UTC)
    shipments = [
        await _dispatch(uow, order, warehouse_id, products, now)
        for warehouse_id, products in by_warehouse.items()
    ]
    for product_id in sorted({p for products in by_warehouse.values() for p in products}):
        await inventory.publish_stock_level(uow, product_id)
    waiting = await session.scalar(
        select(func.count())
        .select_from(Backorder)
        .where(Backorder.order_id == order_id, Backorder.status == "open")
    )
    before = order.status
    order.status = "partially_shipped" if waiting else "shipped"
    order.updated_at = now
    await uow.audit(
        "fulfilment_order",
        order_id,
        "shipped",
        before={"status": before},
        after={"status": order.status, "shipments": [s.number for s in shipments]},
    )
    return shipments


async def _dispatch(
    uow: UnitOfWork,
    order: FulfilmentOrder,
    warehouse_id: uuid.UUID,
    products: dict[uuid.UUID, int],
    now: datetime,
) -> Shipment:
    session = uow.session
    shipment = Shipment(
        id=uuid.uuid4(),
        number=f"SH-{now:%Y%m%d}-{secrets.token_hex(3).upper()}",
        order_id=order.order_id,
        warehouse_id=warehouse_id,
        status="dispatched",
        actor=current_actor(),
        dispatched_at=now,
        lines=[],
    )
    session.add(shipment)
    await session.flush()
    skus = dict(
        (
            await session.execute(select(Product.id, Product.sku).where(Product.id.in_(products)))
        ).all()
    )
    shipped: list[ShippedLine] = []
    # Rows are locked in one global order (by product id), so two shipments sharing products
    # never wait on each other in a circle.
    for product_id, quantity in sorted(products.items()):
        moves = await inventory.issue_stock(
            uow,
            product_id=product_id,
            warehouse_id=warehouse_id,
            quantity=quantity,
            kind="shipment",
            reference=shipment.number,
            from_reserved=True,
        )
        for move in moves:
            shipment.lines.append(
                ShipmentLine(
                    product_id=product_id,
                    sku=skus[product_id],
                    quantity=-move.quantity,
                    lot=move.lot,
                    stock_move_id=move.id,
                )
            )
        shipped.append(
            ShippedLine(
                product_id=product_id,
                sku=skus[product_id],
                quantity=quantity,
                lots=[ShippedLot(lot=m.lot, quantity=-m.quantity) for m in moves],
            )
        )
    await session.flush()
    await uow.publish(
        ShipmentDispatched(
            order_id=order.order_id,
            shipment_id=shipment.id,
            shipment_number=shipment.number,
            warehouse_id=warehouse_id,
            lines=shipped,
            dispatched_at=now,
        )
    )
    return shipment
