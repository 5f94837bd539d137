"""The MRP run: gather every product's position, plan, and create the planned supply.

Manufactured products get planned work orders; bought ones get purchase requisitions, which
purchasing turns into purchase orders.  Everything a run creates commits together.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.runtime import UnitOfWork, current_actor
from erp.catalog.models import Product
from erp.inventory.models import Backorder, StockLevel
from erp.inventory.service import get_warehouse
from erp.production.domain import OPEN_STATUSES
from erp.production.models import MrpRun, WorkOrder, WorkOrderComponent
from erp.production.planning import Plan, Position, plan
from erp.production.service import MANUFACTURED, bom_graph
from erp.production.work_orders import plan_work_order
from erp.purchasing.domain import OPEN_PURCHASE_ORDER
from erp.purchasing.models import PurchaseOrder, PurchaseOrderLine, PurchaseRequisition
from erp.purchasing.orders import new_number

# Serializes runs on PostgreSQL: two concurrent runs would each plan the same shortage.
_RUN_LOCK = 7_340_001


async def _sums(session: AsyncSession, stmt: object) -> dict[uuid.UUID, int]:
    return {p: int(q or 0) for p, q in (await session.execute(stmt)).all()}  # type: ignore[call-overload]


async def positions(session: AsyncSession) -> tuple[dict[uuid.UUID, Position], set[uuid.UUID]]:
    """Every active stocked or manufactured product's position, and which products are made."""
    products = (
        await session.execute(
            select(
                Product.id,
                Product.product_type,
                Product.active,
                Product.reorder_point,
                Product.reorder_quantity,
            ).where(Product.product_type != "service")
        )
    ).all()
    stock = {
        p: (int(h or 0), int(r or 0))
        for p, h, r in (
            await session.execute(
                select(
                    StockLevel.product_id,
                    func.sum(StockLevel.on_hand),
                    func.sum(StockLevel.reserved),
                ).group_by(StockLevel.product_id)
            )
        ).all()
    }
    backordered = await _sums(
        session,
        select(Backorder.product_id, func.sum(Backorder.missing))
        .where(Backorder.status == "open")
        .group_by(Backorder.product_id),
    )
    supply: dict[uuid.UUID, int] = defaultdict(int)
    for part in (
        select(WorkOrder.product_id, func.sum(WorkOrder.quantity))
        .where(WorkOrder.status.in_(OPEN_STATUSES))
        .group_by(WorkOrder.product_id),
        select(
            PurchaseOrderLine.product_id,
            func.sum(PurchaseOrderLine.quantity - PurchaseOrderLine.received),
        )
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
        .where(PurchaseOrder.status.in_(OPEN_PURCHASE_ORDER))
        .group_by(PurchaseOrderLine.product_id),
        select(PurchaseRequisition.product_id, func.sum(PurchaseRequisition.quantity))
        .where(PurchaseRequisition.status == "open")
        .group_by(PurchaseRequisition.product_id),
    ):
        for product_id, quantity in (await _sums(session, part)).items():
            supply[product_id] += quantity
    committed = await _sums(
        session,
        select(WorkOrderComponent.component_id, func.sum(WorkOrderComponent.quantity))
        .join(WorkOrder, WorkOrder.id == WorkOrderComponent.work_order_id)
        .where(WorkOrder.status.in_(OPEN_STATUSES))
        .group_by(WorkOrderComponent.component_id),
    )
    result = {
        product_id: Position(
            on_hand=stock.get(product_id, (0, 0))[0],
            reserved=stock.get(product_id, (0, 0))[1],
            backordered=backordered.get(product_id, 0),
            reorder_point=reorder_point,
            reorder_quantity=reorder_quantity,
            open_supply=supply.get(product_id, 0),
            committed=committed.get(product_id, 0),
        )
        for product_id, _type, active, reorder_point, reorder_quantity in products
        if active
    }
    manufactured = {p for p, product_type, *_ in products if product_type == MANUFACTURED}
    return result, manufactured


async def _request_purchase(
    uow: UnitOfWork, product_id: uuid.UUID, quantity: int, run: MrpRun
) -> uuid.UUID:
    """A requisition for ``quantity`` more; like replenishment, one open per product at most."""
    session = uow.session
    requisition = await session.scalar(
        select(PurchaseRequisition).where(
            PurchaseRequisition.product_id == product_id, PurchaseRequisition.status == "open"
        )
    )
    if requisition is not None:
        before = requisition.quantity
        requisition.quantity += quantity
        await uow.audit(
            "requisition",
            requisition.id,
            "increased",
            before={"quantity": before},
            after={"quantity": requisition.quantity, "mrp_run_id": str(run.id)},
        )
        return requisition.id
    requisition = PurchaseRequisition(
        id=uuid.uuid4(),
        number=new_number("PR"),
        product_id=product_id,
        quantity=quantity,
        reason="mrp",
        status="open",
        created_at=run.started_at,
    )
    session.add(requisition)
    await session.flush()
    await uow.audit(
        "requisition",
        requisition.id,
        "raised",
        after={"product_id": str(product_id), "quantity": quantity, "mrp_run_id": str(run.id)},
    )
    return requisition.id


async def run_mrp(uow: UnitOfWork, warehouse_id: uuid.UUID | None = None) -> MrpRun:
    """Net every product's demand against stock and open supply, and plan what is missing."""
    session = uow.session
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _RUN_LOCK})
    if warehouse_id is not None:
        await get_warehouse(session, warehouse_id)
    run = MrpRun(id=uuid.uuid4(), actor=current_actor(), started_at=datetime.now(UTC), lines=[])
    session.add(run)
    await session.flush()
    known, manufactured = await positions(session)
    # A BOM left on a product that is no longer manufactured does not make it made here.
    boms = {p: parts for p, parts in (await bom_graph(session)).items() if p in manufactured}
    proposal: Plan[uuid.UUID] = plan(known, boms, manufactured)
    named = {o.product for o in proposal.orders} | {p for p, _ in proposal.without_bom}
    skus = {
        product_id: sku
        for product_id, sku in await session.execute(
            select(Product.id, Product.sku).where(Product.id.in_(list(named)))
        )
    }
    lines: list[dict[str, object]] = []
    for order in proposal.orders:
        line: dict[str, object] = {
            "product_id": str(order.product),
            "sku": skus[order.product],
            "quantity": order.quantity,
            "net_requirement": order.net_requirement,
        }
        if order.make:
            work_order = await plan_work_order(
                uow,
                product_id=order.product,
                quantity=order.quantity,
                warehouse_id=warehouse_id,
                mrp_run_id=run.id,
            )
            line |= {"action": "make", "work_order_id": str(work_order.id)}
            run.planned_work_orders += 1
        else:
            requisition_id = await _request_purchase(uow, order.product, order.quantity, run)
            line |= {"action": "buy", "requisition_id": str(requisition_id)}
            run.planned_requisitions += 1
        lines.append(line)
    for product_id, net in proposal.without_bom:
        lines.append(
            {
                "product_id": str(product_id),
                "sku": skus[product_id],
                "action": "no_bom",
                "quantity": 0,
                "net_requirement": net,
            }
        )
    run.lines = lines
    await session.flush()
    await uow.audit(
        "mrp_run",
        run.id,
        "planned",
        after={
            "work_orders": run.planned_work_orders,
            "requisitions": run.planned_requisitions,
        },
    )
    return run
