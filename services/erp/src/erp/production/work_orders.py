"""Use cases on work orders: plan, release, complete (consume components, produce a lot)."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from contracts.errors import Conflict, InvalidRequest, NotFound, PreconditionFailed
from contracts.events.erp import WorkOrderCompleted
from contracts.runtime import UnitOfWork
from erp.catalog.models import Product
from erp.inventory.models import StockLevel, StockMove
from erp.inventory.service import (
    get_warehouse,
    issue_stock,
    publish_stock_level,
    receive_stock,
)
from erp.production.domain import (
    ComponentsShort,
    WorkOrderStatus,
    check_transition,
    requirements,
    shortages,
)
from erp.production.models import LotConsumption, WorkOrder, WorkOrderComponent
from erp.production.service import MANUFACTURED, bom_of, products_by_id

PRODUCTION = "production"  # the kind of the stock moves a work order makes


def _number(now: datetime) -> str:
    return f"WO-{now:%y%m%d}-{secrets.token_hex(3).upper()}"


def _lot_for(number: str) -> str:
    return f"LOT-{number.removeprefix('WO-')}"


def _snapshot(work_order: WorkOrder) -> dict[str, object]:
    return {
        "status": work_order.status,
        "quantity": work_order.quantity,
        "warehouse_id": str(work_order.warehouse_id) if work_order.warehouse_id else None,
        "lot": work_order.lot,
    }


async def get_work_order(session: AsyncSession, work_order_id: uuid.UUID) -> WorkOrder:
    work_order = await session.get(WorkOrder, work_order_id)
    if work_order is None:
        raise NotFound(f"work order {work_order_id} does not exist")
    return work_order


async def plan_work_order(
    uow: UnitOfWork,
    *,
    product_id: uuid.UUID,
    quantity: int,
    warehouse_id: uuid.UUID | None = None,
    due_on: date | None = None,
    mrp_run_id: uuid.UUID | None = None,
) -> WorkOrder:
    """A planned work order; it needs what the product's BOM says today, times ``quantity``."""
    session = uow.session
    product = await session.get(Product, product_id)
    if product is None or product.product_type != MANUFACTURED:
        raise InvalidRequest(
            f"product {product_id} is not a manufactured product",
            errors=[{"field": "body.product_id", "message": "not a manufactured product"}],
        )
    bom = await bom_of(session, product_id)
    if bom is None:
        raise InvalidRequest(
            f"{product.sku} has no BOM; define how it is made first",
            errors=[{"field": "body.product_id", "message": "no BOM"}],
        )
    if warehouse_id is not None:
        await get_warehouse(session, warehouse_id)
    now = datetime.now(UTC)
    work_order = WorkOrder(
        id=uuid.uuid4(),
        number=_number(now),
        product_id=product_id,
        quantity=quantity,
        warehouse_id=warehouse_id,
        status=WorkOrderStatus.PLANNED,
        due_on=due_on,
        mrp_run_id=mrp_run_id,
        created_at=now,
    )
    work_order.components = [
        WorkOrderComponent(component_id=c, quantity=q)
        for c, q in requirements({x.component_id: x.quantity for x in bom.lines}, quantity).items()
    ]
    session.add(work_order)
    await session.flush()
    await uow.audit("work_order", work_order.id, "planned", after=_snapshot(work_order))
    return work_order


async def _load_for_change(
    uow: UnitOfWork, work_order_id: uuid.UUID, expected_version: int | None
) -> WorkOrder:
    work_order = await get_work_order(uow.session, work_order_id)
    if expected_version is not None and expected_version != work_order.version:
        raise PreconditionFailed(
            f"work order {work_order.number} is at version {work_order.version}, "
            f"not {expected_version}"
        )
    return work_order


async def _save(uow: UnitOfWork, work_order: WorkOrder) -> None:
    """Flush the change; a concurrent change of the same work order makes this one lose."""
    number, lot = work_order.number, work_order.lot  # unreadable once a flush failed
    try:
        await uow.session.flush()
    except StaleDataError:
        raise Conflict(f"work order {number} was changed concurrently") from None
    except IntegrityError:  # only the lot is unique among what a change may touch
        raise Conflict(
            f"lot {lot} was just given to another work order",
            errors=[{"field": "body.lot", "message": "already used"}],
        ) from None


async def release_work_order(
    uow: UnitOfWork,
    work_order_id: uuid.UUID,
    *,
    warehouse_id: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> WorkOrder:
    """Hand a planned work order to the shop floor, in a warehouse."""
    work_order = await _load_for_change(uow, work_order_id, expected_version)
    before = _snapshot(work_order)
    check_transition(work_order.status, WorkOrderStatus.RELEASED)
    if warehouse_id is not None:
        await get_warehouse(uow.session, warehouse_id)
        work_order.warehouse_id = warehouse_id
    if work_order.warehouse_id is None:
        raise InvalidRequest(
            f"work order {work_order.number} needs a warehouse to be released",
            errors=[{"field": "body.warehouse_id", "message": "required"}],
        )
    work_order.status = WorkOrderStatus.RELEASED
    work_order.released_at = datetime.now(UTC)
    await _save(uow, work_order)
    await uow.audit(
        "work_order", work_order.id, "released", before=before, after=_snapshot(work_order)
    )
    return work_order


async def _lot_in_use(session: AsyncSession, lot: str) -> bool:
    if await session.scalar(select(WorkOrder.id).where(WorkOrder.lot == lot).limit(1)):
        return True
    return bool(await session.scalar(select(StockMove.id).where(StockMove.lot == lot).limit(1)))


async def _free_stock(
    session: AsyncSession, warehouse_id: uuid.UUID, product_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(StockLevel.product_id, StockLevel.on_hand - StockLevel.reserved).where(
            StockLevel.warehouse_id == warehouse_id, StockLevel.product_id.in_(product_ids)
        )
    )
    return {p: int(q) for p, q in rows.all()}


async def complete_work_order(
    uow: UnitOfWork,
    work_order_id: uuid.UUID,
    *,
    lot: str | None = None,
    expected_version: int | None = None,
) -> WorkOrder:
    """The goods are made: consume the components (oldest lots first), book the finished lot,
    record which component lots went into it, and fill the product's backorders.

    Refused as a whole, with every shortage listed, when a component is short.
    """
    session = uow.session
    work_order = await _load_for_change(uow, work_order_id, expected_version)
    before = _snapshot(work_order)
    check_transition(work_order.status, WorkOrderStatus.COMPLETED)
    assert work_order.warehouse_id is not None  # release requires one
    warehouse_id = work_order.warehouse_id
    lot = lot or _lot_for(work_order.number)
    if await _lot_in_use(session, lot):
        raise Conflict(
            f"lot {lot} exists already; a lot number names one batch",
            errors=[{"field": "body.lot", "message": "already used"}],
        )
    needed = {c.component_id: c.quantity for c in work_order.components}
    products = await products_by_id(session, {*needed, work_order.product_id})
    short = shortages(needed, await _free_stock(session, warehouse_id, list(needed)))
    if short:
        raise ComponentsShort(
            f"work order {work_order.number} lacks "
            + ", ".join(f"{s.missing} x {products[s.product].sku}" for s in short),
            errors=[
                {
                    "field": f"components.{s.product}",
                    "message": f"{products[s.product].sku}: {s.required} required, "
                    f"{s.available} available, {s.missing} short",
                }
                for s in short
            ],
        )
    # Claim the work order first: a concurrent completion now waits for us, then loses.
    work_order.status = WorkOrderStatus.COMPLETED
    work_order.completed_at = datetime.now(UTC)
    work_order.lot = lot
    await _save(uow, work_order)
    for component_id, quantity in needed.items():
        moves = await issue_stock(
            uow,
            product_id=component_id,
            warehouse_id=warehouse_id,
            quantity=quantity,
            kind=PRODUCTION,
            reference=work_order.number,
        )
        for move in moves:
            session.add(
                LotConsumption(
                    work_order_id=work_order.id,
                    finished_lot=lot,
                    component_id=component_id,
                    lot=move.lot,
                    quantity=-move.quantity,
                    warehouse_id=warehouse_id,
                )
            )
        await publish_stock_level(uow, component_id)
    await receive_stock(
        uow,
        product_id=work_order.product_id,
        warehouse_id=warehouse_id,
        quantity=work_order.quantity,
        reference=work_order.number,
        lot=lot,
        kind=PRODUCTION,
    )
    product = products[work_order.product_id]
    await uow.publish(
        WorkOrderCompleted(
            work_order_id=work_order.id,
            number=work_order.number,
            product_id=product.id,
            sku=product.sku,
            quantity=work_order.quantity,
            lot=lot,
        )
    )
    await uow.audit(
        "work_order", work_order.id, "completed", before=before, after=_snapshot(work_order)
    )
    return work_order


async def cancel_work_order(
    uow: UnitOfWork, work_order_id: uuid.UUID, *, expected_version: int | None = None
) -> WorkOrder:
    """Drop a planned or released work order (nothing was consumed yet)."""
    work_order = await _load_for_change(uow, work_order_id, expected_version)
    before = _snapshot(work_order)
    check_transition(work_order.status, WorkOrderStatus.CANCELLED)
    work_order.status = WorkOrderStatus.CANCELLED
    await _save(uow, work_order)
    await uow.audit(
        "work_order", work_order.id, "cancelled", before=before, after=_snapshot(work_order)
    )
    return work_order
