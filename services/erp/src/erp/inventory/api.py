import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from contracts.errors import NotFound
from contracts.http.auth import Principal
from contracts.http.pagination import Page, Sort, paginate
from erp.deps import Tx, require
from erp.inventory import service
from erp.inventory.models import (
    Backorder,
    FulfilmentOrder,
    Reservation,
    StockLevel,
    StockMove,
    Warehouse,
)
from erp.inventory.schemas import (
    AdjustmentIn,
    FulfilmentOut,
    ReceiptIn,
    StockLevelOut,
    StockMoveOut,
    WarehouseIn,
    WarehouseOut,
)

router = APIRouter(tags=["inventory"])
Limit = Annotated[int, Query(ge=1, le=200)]


@router.post("/warehouses", status_code=201, response_model=WarehouseOut)
async def create_warehouse(
    body: WarehouseIn, tx: Tx, _: Annotated[Principal, Depends(require("inventory:write"))]
) -> Warehouse:
    async with tx.begin() as uow:
        return await service.create_warehouse(uow, body.code, body.name)


@router.get("/warehouses", response_model=Page[WarehouseOut])
async def list_warehouses(
    tx: Tx,
    _: Annotated[Principal, Depends(require("inventory:read"))],
    sort: str = "code",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("code", "name", "created_at"))
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            select(Warehouse),
            sort_column=getattr(Warehouse, order.field),
            id_column=Warehouse.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.post("/stock/receipts", status_code=201, response_model=StockMoveOut)
async def receive_stock(
    body: ReceiptIn, tx: Tx, _: Annotated[Principal, Depends(require("inventory:write"))]
) -> StockMove:
    """Book goods in (outside purchasing: returns, opening balances); fills backorders."""
    async with tx.begin() as uow:
        return await service.receive_stock(
            uow,
            product_id=body.product_id,
            warehouse_id=body.warehouse_id,
            quantity=body.quantity,
            reference=body.reference,
            lot=body.lot,
        )


@router.post("/stock/adjustments", status_code=201, response_model=StockMoveOut)
async def adjust_stock(
    body: AdjustmentIn, tx: Tx, _: Annotated[Principal, Depends(require("inventory:write"))]
) -> StockMove:
    async with tx.begin() as uow:
        return await service.adjust_stock(
            uow,
            product_id=body.product_id,
            warehouse_id=body.warehouse_id,
            quantity=body.quantity,
            reason=body.reason,
        )


@router.get("/stock/levels", response_model=list[StockLevelOut])
async def stock_levels(
    tx: Tx,
    _: Annotated[Principal, Depends(require("inventory:read"))],
    product_id: uuid.UUID | None = None,
    warehouse_id: uuid.UUID | None = None,
) -> list[dict[str, object]]:
    stmt = select(StockLevel)
    if product_id:
        stmt = stmt.where(StockLevel.product_id == product_id)
    if warehouse_id:
        stmt = stmt.where(StockLevel.warehouse_id == warehouse_id)
    async with tx.read() as session:
        levels = (await session.scalars(stmt.limit(1000))).all()
    return [
        {
            "product_id": s.product_id,
            "warehouse_id": s.warehouse_id,
            "on_hand": s.on_hand,
            "reserved": s.reserved,
            "available": s.on_hand - s.reserved,
        }
        for s in levels
    ]


@router.get("/stock/moves", response_model=Page[StockMoveOut])
async def stock_moves(
    tx: Tx,
    _: Annotated[Principal, Depends(require("inventory:read"))],
    product_id: uuid.UUID | None = None,
    kind: str | None = None,
    lot: str | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    stmt = select(StockMove)
    if product_id:
        stmt = stmt.where(StockMove.product_id == product_id)
    if kind:
        stmt = stmt.where(StockMove.kind == kind)
    if lot:
        stmt = stmt.where(StockMove.lot == lot)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=StockMove.id,
            id_column=StockMove.id,
            descending=True,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/fulfilment/orders/{order_id}", response_model=FulfilmentOut)
async def fulfilment(
    order_id: uuid.UUID, tx: Tx, caller: Annotated[Principal, Depends(require("orders:read"))]
) -> dict[str, object]:
    """Reservations and backorders of one CRM order."""
    async with tx.read() as session:
        order = await session.get(FulfilmentOrder, order_id)
        if order is None or (caller.is_customer and order.account_id != caller.account_id):
            raise NotFound(f"ERP has not been asked to fulfil order {order_id}")
        reservations = (
            await session.scalars(select(Reservation).where(Reservation.order_id == order_id))
        ).all()
        backorders = (
            await session.scalars(select(Backorder).where(Backorder.order_id == order_id))
        ).all()
    return {
        "order_id": order.order_id,
        "order_number": order.order_number,
        "account_id": order.account_id,
        "status": order.status,
        "reservations": reservations,
        "backorders": backorders,
    }
