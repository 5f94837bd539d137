import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from contracts.errors import NotFound
from contracts.http.auth import Principal
from contracts.http.pagination import Page, Sort, paginate
from erp.deps import Tx, require
from erp.inventory.models import FulfilmentOrder
from erp.shipping import service
from erp.shipping.models import Shipment
from erp.shipping.schemas import ShipmentIn, ShipmentOut

router = APIRouter(prefix="/shipments", tags=["shipping"])


@router.post("", status_code=201, response_model=list[ShipmentOut])
async def ship_order(
    body: ShipmentIn, tx: Tx, _: Annotated[Principal, Depends(require("inventory:write"))]
) -> list[Shipment]:
    """Ship every open reservation of the order (one shipment per warehouse, lots FIFO).

    409 when nothing of the order is reserved and unshipped (e.g. it was shipped already).
    """
    async with tx.begin() as uow:
        return await service.ship_order(uow, body.order_id)


@router.get("", response_model=Page[ShipmentOut])
async def list_shipments(
    tx: Tx,
    caller: Annotated[Principal, Depends(require("orders:read"))],
    order_id: uuid.UUID | None = None,
    warehouse_id: uuid.UUID | None = None,
    sort: str = "-dispatched_at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("dispatched_at", "number"))
    stmt = select(Shipment)
    if order_id:
        stmt = stmt.where(Shipment.order_id == order_id)
    if warehouse_id:
        stmt = stmt.where(Shipment.warehouse_id == warehouse_id)
    if caller.is_customer:
        stmt = stmt.where(
            Shipment.order_id.in_(
                select(FulfilmentOrder.order_id).where(
                    FulfilmentOrder.account_id == caller.account_id
                )
            )
        )
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Shipment, order.field),
            id_column=Shipment.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{shipment_id}", response_model=ShipmentOut)
async def get_shipment(
    shipment_id: uuid.UUID,
    tx: Tx,
    caller: Annotated[Principal, Depends(require("orders:read"))],
) -> Shipment:
    async with tx.read() as session:
        shipment = await session.get(Shipment, shipment_id)
        if shipment is not None and caller.is_customer:
            order = await session.get(FulfilmentOrder, shipment.order_id)
            if order is None or order.account_id != caller.account_id:
                shipment = None
        if shipment is None:
            raise NotFound(f"shipment {shipment_id} does not exist")
        return shipment
