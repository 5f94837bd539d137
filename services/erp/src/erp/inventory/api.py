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
    StockLot,
    StockMove,
    Warehouse,
)
from erp.inventory.schemas import (
    AdjustmentIn,
    FulfilmentOut,
    ReceiptIn,
    StockLevelOut,
    StockLotOut,
    StockMoveOut,
    TransferIn,
    WarehouseIn,
    WarehouseOut,
)
from erp.purchasing.models import PurchaseOrder, PurchaseOrderLink
from erp.shipping.models import Shipment

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


@router.get("/warehouses/{warehouse_id}", response_model=WarehouseOut)
async def get_warehouse(
    warehouse_id: uuid.UUID, tx: Tx, _: Annotated[Principal, Depends(require("inventory:read"))]
) -> Warehouse:
    async with tx.read() as session:
        return await service.get_warehouse(session, warehouse_id)


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
            lot=body.lot,
        )


@router.post("/stock/transfers", status_code=201, response_model=list[StockMoveOut])
async def transfer_stock(
    body: TransferIn, tx: Tx, _: Annotated[Principal, Depends(require("inventory:write"))]
) -> list[StockMove]:
    """Move unreserved stock between warehouses; returns the moves out and in, per lot."""
    async with tx.begin() as uow:
        return await service.transfer_stock(
            uow,
            product_id=body.product_id,
            from_warehouse_id=body.from_warehouse_id,
            to_warehouse_id=body.to_warehouse_id,
            quantity=body.quantity,
            lot=body.lot,
            reference=body.reference,
        )


@router.get("/stock/lots", response_model=Page[StockLotOut])
async def stock_lots(
    tx: Tx,
    _: Annotated[Principal, Depends(require("inventory:read"))],
    product_id: uuid.UUID | None = None,
    warehouse_id: uuid.UUID | None = None,
    lot: Annotated[str | None, Query(max_length=64, description="This lot number only")] = None,
    sort: Annotated[
        str, Query(description="sequence (oldest receipt first, the order shipments pick in), lot")
    ] = "sequence",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    """The lots in stock (on hand above zero), oldest receipt first unless sorted otherwise."""
    order = Sort.parse(sort, ("sequence", "lot"))
    stmt = select(StockLot).where(StockLot.on_hand > 0)
    if product_id:
        stmt = stmt.where(StockLot.product_id == product_id)
    if warehouse_id:
        stmt = stmt.where(StockLot.warehouse_id == warehouse_id)
    if lot:
        stmt = stmt.where(StockLot.lot == lot)
    async with tx.read() as session:
        lots, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(StockLot, order.field),
            id_column=StockLot.sequence,  # one lot row per first receipt: unique
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    items = [
        {
            "product_id": x.product_id,
            "warehouse_id": x.warehouse_id,
            "lot": x.lot or None,
            "on_hand": x.on_hand,
        }
        for x in lots
    ]
    return {"items": items, "next_cursor": next_cursor}


@router.get("/stock/levels", response_model=Page[StockLevelOut])
async def stock_levels(
    tx: Tx,
    _: Annotated[Principal, Depends(require("inventory:read"))],
    product_id: uuid.UUID | None = None,
    warehouse_id: uuid.UUID | None = None,
    available_at_most: Annotated[
        int | None, Query(ge=0, le=10_000_000, description="Only levels this low or lower")
    ] = None,
    sort: Annotated[
        str, Query(description="product_id (then warehouse), warehouse_id (then product)")
    ] = "product_id",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    """The balance of each product in each warehouse (on hand, reserved, available)."""
    order = Sort.parse(sort, ("product_id", "warehouse_id"))
    stmt = select(StockLevel)
    if product_id:
        stmt = stmt.where(StockLevel.product_id == product_id)
    if warehouse_id:
        stmt = stmt.where(StockLevel.warehouse_id == warehouse_id)
    if available_at_most is not None:
        stmt = stmt.where(StockLevel.on_hand - StockLevel.reserved <= available_at_most)
    # A level is keyed by (product, warehouse): the other half of the key breaks ties.
    by_product = order.field == "product_id"
    async with tx.read() as session:
        levels, next_cursor = await paginate(
            session,
            stmt,
            sort_column=StockLevel.product_id if by_product else StockLevel.warehouse_id,
            id_column=StockLevel.warehouse_id if by_product else StockLevel.product_id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    items = [
        {
            "product_id": s.product_id,
            "warehouse_id": s.warehouse_id,
            "on_hand": s.on_hand,
            "reserved": s.reserved,
            "available": s.on_hand - s.reserved,
        }
        for s in levels
    ]
    return {"items": items, "next_cursor": next_cursor}


@router.get("/stock/moves", response_model=Page[StockMoveOut])
async def stock_moves(
    tx: Tx,
    _: Annotated[Principal, Depends(require("inventory:read"))],
    product_id: uuid.UUID | None = None,
    warehouse_id: uuid.UUID | None = None,
    kind: str | None = None,
    lot: str | None = None,
    reference: str | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    """The ledger, newest first."""
    stmt = select(StockMove)
    if product_id:
        stmt = stmt.where(StockMove.product_id == product_id)
    if warehouse_id:
        stmt = stmt.where(StockMove.warehouse_id == warehouse_id)
    if reference:
        stmt = stmt.where(StockMove.reference == reference)
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
    """Reservations, backorders and shipments of one CRM order, and the purchase orders that
    will fill its backorders."""
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
        shipments = (
            await session.scalars(
                select(Shipment)
                .where(Shipment.order_id == order_id)
                .order_by(Shipment.dispatched_at)
            )
        ).all()
        incoming = (
            await session.scalars(
                select(PurchaseOrder)
                .join(PurchaseOrderLink, PurchaseOrderLink.purchase_order_id == PurchaseOrder.id)
                .where(PurchaseOrderLink.order_id == order_id, PurchaseOrder.status != "cancelled")
                .order_by(PurchaseOrder.created_at)
            )
        ).all()
    return {
        "order_id": order.order_id,
        "order_number": order.order_number,
        "account_id": order.account_id,
        "status": order.status,
        "reservations": reservations,
        "backorders": backorders,
        "shipments": shipments,
        "purchase_orders": incoming,
    }
