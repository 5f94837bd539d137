"""Orders meet stock: reserve on confirmation, backorder what is missing, fill backorders
oldest first when stock arrives, release on cancellation."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, InvalidRequest
from contracts.events.common import ProductQuantity
from contracts.events.crm import OrderCancelled, OrderConfirmed
from contracts.events.erp import (
    Shortage,
    StockReleased,
    StockReservationFailed,
    StockReserved,
)
from contracts.runtime import UnitOfWork
from erp.catalog.models import Product
from erp.inventory.availability import publish_stock_level
from erp.inventory.domain import allocate
from erp.inventory.ledger import change_level
from erp.inventory.models import Backorder, FulfilmentOrder, Reservation, StockLevel


async def _availability(session: AsyncSession, product_id: uuid.UUID) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(StockLevel.warehouse_id, StockLevel.on_hand - StockLevel.reserved).where(
            StockLevel.product_id == product_id
        )
    )
    return {w: int(a) for w, a in rows.all()}


async def _reserve(
    uow: UnitOfWork, order_id: uuid.UUID, product_id: uuid.UUID, quantity: int
) -> int:
    """Reserve up to ``quantity``; return how many units were reserved."""
    remaining = quantity
    for _attempt in range(5):  # re-plan if a concurrent transaction took stock meanwhile
        plan = allocate(remaining, await _availability(uow.session, product_id))
        for warehouse_id, take in plan.picks:
            if await change_level(uow.session, product_id, warehouse_id, reserved=take):
                uow.session.add(
                    Reservation(
                        id=uuid.uuid4(),
                        order_id=order_id,
                        product_id=product_id,
                        warehouse_id=warehouse_id,
                        quantity=take,
                        status="open",
                        created_at=datetime.now(UTC),
                    )
                )
                remaining -= take
        if remaining == 0 or plan.reserved == 0:
            break
    await uow.session.flush()
    return quantity - remaining


async def reserve_order(uow: UnitOfWork, event: OrderConfirmed) -> None:
    """Reserve what exists for every line; backorder the rest; say which happened."""
    session = uow.session
    if await session.get(FulfilmentOrder, event.order_id) is not None:
        return  # already handled under another event id (a re-sent confirmation)
    now = datetime.now(UTC)
    order = FulfilmentOrder(
        order_id=event.order_id,
        order_number=event.order_number,
        account_id=event.account_id,
        owner=event.owner,
        currency=event.currency,
        status="reserving",
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    wanted: dict[tuple[uuid.UUID, str], int] = defaultdict(int)
    for line in event.lines:
        wanted[(line.product_id, line.sku)] += line.quantity
    shortages: list[Shortage] = []
    # Products in one order (id order), so that concurrent transactions lock rows alike.
    for (product_id, sku), quantity in sorted(wanted.items(), key=lambda kv: kv[0][0]):
        product = await session.get(Product, product_id)
        if product is None:
            raise InvalidRequest(f"order {event.order_number} names unknown product {sku}")
        if product.product_type == "service":
            continue  # nothing to hold in a warehouse
        got = await _reserve(uow, event.order_id, product_id, quantity)
        if got < quantity:
            session.add(
                Backorder(
                    order_id=event.order_id,
                    product_id=product_id,
                    requested=quantity,
                    missing=quantity - got,
                    status="open",
                    created_at=now,
                )
            )
            shortages.append(
                Shortage(
                    product_id=product_id,
                    sku=sku,
                    requested=quantity,
                    reserved=got,
                    missing=quantity - got,
                )
            )
        await publish_stock_level(uow, product_id)
    lines = [ProductQuantity(product_id=p, sku=s, quantity=q) for (p, s), q in wanted.items()]
    if shortages:
        order.status = "backordered"
        await uow.publish(StockReservationFailed(order_id=event.order_id, shortages=shortages))
    else:
        order.status = "reserved"
        await uow.publish(StockReserved(order_id=event.order_id, lines=lines))


async def release_order(uow: UnitOfWork, event: OrderCancelled) -> None:
    """Compensation for a cancelled order: give back its stock, drop its backorders."""
    session = uow.session
    order = await session.get(FulfilmentOrder, event.order_id)
    if order is None or order.status in ("released", "shipped"):
        return
    released: dict[uuid.UUID, int] = defaultdict(int)
    reservations = await session.scalars(
        select(Reservation).where(
            Reservation.order_id == event.order_id, Reservation.status == "open"
        )
    )
    for r in reservations.all():
        # Claimed conditionally, like a shipment claims it: whichever commits first wins.
        claimed = await session.execute(
            update(Reservation)
            .where(Reservation.id == r.id, Reservation.status == "open")
            .values(status="released")
            .execution_options(synchronize_session=False)
        )
        if (claimed.rowcount or 0) != 1:  # type: ignore[attr-defined]
            continue
        if not await change_level(session, r.product_id, r.warehouse_id, reserved=-r.quantity):
            raise Conflict(f"reservation {r.id} no longer matches its stock level")
        released[r.product_id] += r.quantity
    await session.execute(
        update(Backorder)
        .where(Backorder.order_id == event.order_id, Backorder.status == "open")
        .values(status="cancelled")
    )
    order.status = "released"
    order.updated_at = datetime.now(UTC)
    skus = (
        dict(
            (
                await session.execute(
                    select(Product.id, Product.sku).where(Product.id.in_(list(released)))
                )
            ).all()
        )
        if released
        else {}
    )
    await uow.publish(
        StockReleased(
            order_id=event.order_id,
            lines=[
                ProductQuantity(product_id=p, sku=skus[p], quantity=q) for p, q in released.items()
            ],
        )
    )
    for product_id in sorted(released):
        await fill_backorders(uow, product_id)
        await publish_stock_level(uow, product_id)


async def fill_backorders(uow: UnitOfWork, product_id: uuid.UUID) -> None:
    """Give newly available stock to the oldest open backorders of the product."""
    session = uow.session
    backorders = (
        await session.scalars(
            select(Backorder)
            .where(Backorder.product_id == product_id, Backorder.status == "open")
            .order_by(Backorder.id)
        )
    ).all()
    for backorder in backorders:
        got = await _reserve(uow, backorder.order_id, product_id, backorder.missing)
        if got == 0:
            break
        backorder.missing -= got
        if backorder.missing == 0:
            backorder.status = "filled"
            await _announce_if_complete(uow, backorder.order_id)


async def _announce_if_complete(uow: UnitOfWork, order_id: uuid.UUID) -> None:
    session = uow.session
    await session.flush()
    still_open = await session.scalar(
        select(func.count())
        .select_from(Backorder)
        .where(Backorder.order_id == order_id, Backorder.status == "open")
    )
    if still_open:
        return
    order = await session.get(FulfilmentOrder, order_id)
    if order is None or order.status not in ("backordered", "partially_shipped"):
        return
    order.status = "reserved"
    order.updated_at = datetime.now(UTC)
    rows = (
        await session.execute(
            select(Reservation.product_id, Product.sku, func.sum(Reservation.quantity))
            .join(Product, Product.id == Reservation.product_id)
            .where(Reservation.order_id == order_id, Reservation.status == "open")
            .group_by(Reservation.product_id, Product.sku)
        )
    ).all()
    await uow.publish(
        StockReserved(
            order_id=order_id,
            lines=[ProductQuantity(product_id=p, sku=s, quantity=int(q)) for p, s, q in rows],
        )
    )
