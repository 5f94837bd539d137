"""Use cases on purchase orders: create (by hand or from requisitions), send, cancel."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import IllegalTransition, InvalidRequest, NotFound, PreconditionFailed
from contracts.events.erp import PurchaseLine, PurchaseOrderCreated
from contracts.runtime import UnitOfWork
from erp.catalog.models import Product
from erp.inventory.models import Backorder
from erp.purchasing.domain import OPEN_PURCHASE_ORDER, check_transition
from erp.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderLink,
    PurchaseRequisition,
    Supplier,
)


@dataclass(frozen=True)
class LineRequest:
    product_id: uuid.UUID
    quantity: int
    unit_cost: Decimal | None = None


def to_cost(amount: Decimal) -> Decimal:
    """Unit costs are kept to 4 decimals (like standard cost), rounded half up."""
    return Decimal(amount).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def new_number(prefix: str) -> str:
    """A human-readable, unique-enough document number (the column is UNIQUE besides)."""
    return f"{prefix}-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(3).upper()}"


async def get_supplier(session: AsyncSession, supplier_id: uuid.UUID) -> Supplier:
    supplier = await session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(f"supplier {supplier_id} does not exist")
    return supplier


async def get_purchase_order(session: AsyncSession, purchase_order_id: uuid.UUID) -> PurchaseOrder:
    order = await session.get(PurchaseOrder, purchase_order_id)
    if order is None:
        raise NotFound(f"purchase order {purchase_order_id} does not exist")
    return order


async def create_purchase_order(
    uow: UnitOfWork,
    *,
    supplier_id: uuid.UUID,
    lines: Sequence[LineRequest],
    expected_on: date | None = None,
) -> PurchaseOrder:
    """A draft purchase order, linked to the backordered orders it will fill.

    Nothing is announced yet: the supplier has not been asked for anything until the order is
    sent (``change_status``), which publishes ``PurchaseOrderCreated``.
    """
    session = uow.session
    supplier = await get_supplier(session, supplier_id)
    if not supplier.active:
        raise IllegalTransition(f"supplier {supplier.code} is inactive")
    if not lines:
        raise InvalidRequest("a purchase order needs lines")
    now = datetime.now(UTC)
    order = PurchaseOrder(
        id=uuid.uuid4(),
        number=new_number("PO"),
        supplier_id=supplier.id,
        status="draft",
        currency=supplier.currency,
        expected_on=expected_on or (now + timedelta(days=supplier.lead_time_days)).date(),
        created_at=now,
        updated_at=now,
        lines=[],
    )
    session.add(order)
    for i, line in enumerate(lines):
        product = await session.get(Product, line.product_id)
        if product is None:
            raise InvalidRequest(
                f"product {line.product_id} does not exist",
                errors=[{"field": f"body.lines.{i}.product_id", "message": "unknown product"}],
            )
        if product.product_type == "service":
            raise InvalidRequest(
                f"{product.sku} is a service; it is not bought into stock",
                errors=[{"field": f"body.lines.{i}.product_id", "message": "a service"}],
            )
        order.lines.append(
            PurchaseOrderLine(
                product_id=product.id,
                sku=product.sku,
                quantity=line.quantity,
                received=0,
                unit_cost=to_cost(
                    line.unit_cost if line.unit_cost is not None else product.standard_cost
                ),
            )
        )
    await session.flush()
    await link_backordered_orders(session, [order], list({line.product_id for line in order.lines}))
    await uow.audit(
        "purchase_order",
        order.id,
        "created",
        after={
            "number": order.number,
            "supplier_id": str(supplier.id),
            "lines": [
                {
                    "product_id": str(x.product_id),
                    "quantity": x.quantity,
                    "unit_cost": str(x.unit_cost),
                }
                for x in order.lines
            ],
        },
    )
    return order


async def link_backordered_orders(
    session: AsyncSession, purchase_orders: Sequence[PurchaseOrder], product_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """Record which customer orders (with open backorders of these products, oldest first)
    the purchase orders will fill; return those orders."""
    if not purchase_orders or not product_ids:
        return []
    waiting_rows = await session.execute(
        select(Backorder.order_id, Backorder.product_id)
        .where(Backorder.product_id.in_(product_ids), Backorder.status == "open")
        .order_by(Backorder.id)
    )
    waiting = waiting_rows.all()
    rows = await session.execute(
        select(PurchaseOrderLink.purchase_order_id, PurchaseOrderLink.order_id).where(
            PurchaseOrderLink.purchase_order_id.in_([p.id for p in purchase_orders])
        )
    )
    linked: set[tuple[uuid.UUID, uuid.UUID]] = {(p, o) for p, o in rows.all()}
    orders: list[uuid.UUID] = []
    for purchase_order in purchase_orders:
        products = {line.product_id for line in purchase_order.lines}
        for order_id, product_id in waiting:
            if product_id not in products:
                continue
            if (purchase_order.id, order_id) not in linked:
                session.add(
                    PurchaseOrderLink(purchase_order_id=purchase_order.id, order_id=order_id)
                )
                linked.add((purchase_order.id, order_id))
            if order_id not in orders:
                orders.append(order_id)
    await session.flush()
    return orders


async def open_purchase_orders_of(
    session: AsyncSession, product_id: uuid.UUID
) -> list[PurchaseOrder]:
    return list(
        (
            await session.scalars(
                select(PurchaseOrder)
                .join(PurchaseOrderLine, PurchaseOrderLine.purchase_order_id == PurchaseOrder.id)
                .where(
                    PurchaseOrderLine.product_id == product_id,
                    PurchaseOrder.status.in_(OPEN_PURCHASE_ORDER),
                )
                .distinct()
            )
        ).all()
    )


async def convert_requisition(
    uow: UnitOfWork, requisition_id: uuid.UUID, supplier_id: uuid.UUID | None = None
) -> PurchaseOrder:
    """Turn an open requisition into a draft purchase order (preferred supplier by default)."""
    session = uow.session
    requisition = await session.get(PurchaseRequisition, requisition_id)
    if requisition is None:
        raise NotFound(f"requisition {requisition_id} does not exist")
    if requisition.status != "open":
        raise IllegalTransition(f"requisition {requisition.number} is {requisition.status}")
    product = await session.get(Product, requisition.product_id)
    assert product is not None  # a foreign key
    supplier_id = supplier_id or product.preferred_supplier_id
    if supplier_id is None:
        raise InvalidRequest(
            f"{product.sku} has no preferred supplier; name one",
            errors=[{"field": "body.supplier_id", "message": "required for this product"}],
        )
    order = await create_purchase_order(
        uow,
        supplier_id=supplier_id,
        lines=[LineRequest(product_id=product.id, quantity=requisition.quantity)],
    )
    requisition.status = "converted"
    requisition.purchase_order_id = order.id
    await session.flush()
    await uow.audit(
        "requisition",
        requisition.id,
        "converted",
        before={"status": "open"},
        after={"status": "converted", "purchase_order_id": str(order.id)},
    )
    return order


async def cancel_requisition(uow: UnitOfWork, requisition_id: uuid.UUID) -> PurchaseRequisition:
    """A buyer rejects an open requisition (a later shortage raises a new one)."""
    requisition = await uow.session.get(PurchaseRequisition, requisition_id)
    if requisition is None:
        raise NotFound(f"requisition {requisition_id} does not exist")
    if requisition.status != "open":
        raise IllegalTransition(f"requisition {requisition.number} is {requisition.status}")
    requisition.status = "cancelled"
    await uow.session.flush()
    await uow.audit(
        "requisition",
        requisition.id,
        "cancelled",
        before={"status": "open"},
        after={"status": "cancelled"},
    )
    return requisition


async def change_status(
    uow: UnitOfWork, purchase_order_id: uuid.UUID, target: str, expected_version: int | None
) -> PurchaseOrder:
    """Send or cancel a purchase order (receipts move it further, see ``receipts``).

    Sending places the order with the supplier, so that is when ``PurchaseOrderCreated`` is
    published; a draft can be sent only once, so the event is published once.
    """
    order = await get_purchase_order(uow.session, purchase_order_id)
    if expected_version is not None and expected_version != order.version:
        raise PreconditionFailed(f"purchase order {order.number} changed meanwhile")
    check_transition(order.status, target)
    if target == "cancelled" and any(line.received for line in order.lines):
        raise IllegalTransition(f"goods of {order.number} were received; it cannot be cancelled")
    before = order.status
    order.status = target
    order.updated_at = datetime.now(UTC)
    await uow.session.flush()
    if target == "sent":
        await _announce_placed(uow, order)
    await uow.audit(
        "purchase_order", order.id, target, before={"status": before}, after={"status": target}
    )
    return order


async def _announce_placed(uow: UnitOfWork, order: PurchaseOrder) -> None:
    """Publish that ``order`` was placed with its supplier, naming every customer order it will
    fill: those linked while it was a draft, and any that began waiting since."""
    session = uow.session
    supplier = await get_supplier(session, order.supplier_id)
    waiting = await link_backordered_orders(
        session, [order], list({line.product_id for line in order.lines})
    )
    linked = await session.scalars(
        select(PurchaseOrderLink.order_id).where(PurchaseOrderLink.purchase_order_id == order.id)
    )
    await uow.publish(
        PurchaseOrderCreated(
            purchase_order_id=order.id,
            number=order.number,
            supplier_id=supplier.id,
            supplier_name=supplier.name,
            lines=[
                PurchaseLine(product_id=line.product_id, sku=line.sku, quantity=line.quantity)
                for line in order.lines
            ],
            expected_on=order.expected_on,
            for_orders=waiting + sorted(set(linked.all()) - set(waiting), key=str),
        )
    )
