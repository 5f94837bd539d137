import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from contracts.errors import NotFound
from contracts.http.auth import Principal
from contracts.http.concurrency import IfMatch, etag, expected_version
from contracts.http.pagination import Page, Sort, paginate
from erp.deps import Tx, require
from erp.purchasing import orders, receipts, suppliers
from erp.purchasing.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderLink,
    PurchaseRequisition,
    Supplier,
)
from erp.purchasing.schemas import (
    ConvertIn,
    PurchaseOrderIn,
    PurchaseOrderOut,
    ReceiptIn,
    ReceiptOut,
    RequisitionOut,
    SupplierIn,
    SupplierOut,
)

router = APIRouter(tags=["purchasing"])
Limit = Annotated[int, Query(ge=1, le=200)]
Reader = Annotated[Principal, Depends(require("purchasing:read"))]
Writer = Annotated[Principal, Depends(require("purchasing:write"))]
RequisitionStatus = Literal["open", "converted", "cancelled"]
PurchaseOrderStatus = Literal["draft", "sent", "partially_received", "received", "cancelled"]


@router.post("/suppliers", status_code=201, response_model=SupplierOut)
async def create_supplier(body: SupplierIn, tx: Tx, _: Writer) -> Supplier:
    async with tx.begin() as uow:
        return await suppliers.create_supplier(uow, body)


@router.get("/suppliers", response_model=Page[SupplierOut])
async def list_suppliers(
    tx: Tx,
    _: Reader,
    q: Annotated[str | None, Query(max_length=100, description="Code or name contains")] = None,
    active: bool | None = None,
    sort: str = "name",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("code", "name", "created_at"))
    stmt = select(Supplier)
    if q:
        stmt = stmt.where(Supplier.code.ilike(f"%{q}%") | Supplier.name.ilike(f"%{q}%"))
    if active is not None:
        stmt = stmt.where(Supplier.active.is_(active))
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Supplier, order.field),
            id_column=Supplier.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/suppliers/{supplier_id}", response_model=SupplierOut)
async def get_supplier(supplier_id: uuid.UUID, tx: Tx, _: Reader) -> Supplier:
    async with tx.read() as session:
        return await orders.get_supplier(session, supplier_id)


@router.get("/requisitions", response_model=Page[RequisitionOut])
async def list_requisitions(
    tx: Tx,
    _: Reader,
    status: RequisitionStatus | None = None,
    product_id: uuid.UUID | None = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "number"))
    stmt = select(PurchaseRequisition)
    if status:
        stmt = stmt.where(PurchaseRequisition.status == status)
    if product_id:
        stmt = stmt.where(PurchaseRequisition.product_id == product_id)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(PurchaseRequisition, order.field),
            id_column=PurchaseRequisition.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.post(
    "/requisitions/{requisition_id}/convert", status_code=201, response_model=PurchaseOrderOut
)
async def convert_requisition(
    requisition_id: uuid.UUID, tx: Tx, _: Writer, body: ConvertIn | None = None
) -> PurchaseOrder:
    """Turn an open requisition into a draft purchase order."""
    async with tx.begin() as uow:
        return await orders.convert_requisition(
            uow, requisition_id, body.supplier_id if body else None
        )


@router.post("/requisitions/{requisition_id}/cancel", response_model=RequisitionOut)
async def cancel_requisition(requisition_id: uuid.UUID, tx: Tx, _: Writer) -> PurchaseRequisition:
    async with tx.begin() as uow:
        return await orders.cancel_requisition(uow, requisition_id)


@router.post("/purchase-orders", status_code=201, response_model=PurchaseOrderOut)
async def create_purchase_order(
    body: PurchaseOrderIn, response: Response, tx: Tx, _: Writer
) -> PurchaseOrder:
    async with tx.begin() as uow:
        order = await orders.create_purchase_order(
            uow,
            supplier_id=body.supplier_id,
            lines=[
                orders.LineRequest(line.product_id, line.quantity, line.unit_cost)
                for line in body.lines
            ],
            expected_on=body.expected_on,
        )
    response.headers["ETag"] = etag(order.version)
    return order


@router.get("/purchase-orders", response_model=Page[PurchaseOrderOut])
async def list_purchase_orders(
    tx: Tx,
    _: Reader,
    status: PurchaseOrderStatus | None = None,
    supplier_id: uuid.UUID | None = None,
    product_id: uuid.UUID | None = None,
    for_order_id: Annotated[
        uuid.UUID | None, Query(description="Only those that will fill this order's backorders")
    ] = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "number", "status"))
    stmt = select(PurchaseOrder)
    if status:
        stmt = stmt.where(PurchaseOrder.status == status)
    if supplier_id:
        stmt = stmt.where(PurchaseOrder.supplier_id == supplier_id)
    if product_id:
        stmt = stmt.where(
            PurchaseOrder.id.in_(
                select(PurchaseOrderLine.purchase_order_id).where(
                    PurchaseOrderLine.product_id == product_id
                )
            )
        )
    if for_order_id:
        stmt = stmt.where(
            PurchaseOrder.id.in_(
                select(PurchaseOrderLink.purchase_order_id).where(
                    PurchaseOrderLink.order_id == for_order_id
                )
            )
        )
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(PurchaseOrder, order.field),
            id_column=PurchaseOrder.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/purchase-orders/{purchase_order_id}", response_model=PurchaseOrderOut)
async def get_purchase_order(
    purchase_order_id: uuid.UUID, response: Response, tx: Tx, _: Reader
) -> PurchaseOrder:
    async with tx.read() as session:
        order = await orders.get_purchase_order(session, purchase_order_id)
    response.headers["ETag"] = etag(order.version)
    return order


@router.post("/purchase-orders/{purchase_order_id}/send", response_model=PurchaseOrderOut)
async def send_purchase_order(
    purchase_order_id: uuid.UUID,
    response: Response,
    tx: Tx,
    _: Writer,
    if_match: IfMatch = None,
) -> PurchaseOrder:
    """Place the draft with its supplier; publishes PurchaseOrderCreated."""
    async with tx.begin() as uow:
        order = await orders.change_status(
            uow, purchase_order_id, "sent", expected_version(if_match)
        )
    response.headers["ETag"] = etag(order.version)
    return order


@router.post("/purchase-orders/{purchase_order_id}/cancel", response_model=PurchaseOrderOut)
async def cancel_purchase_order(
    purchase_order_id: uuid.UUID,
    response: Response,
    tx: Tx,
    _: Writer,
    if_match: IfMatch = None,
) -> PurchaseOrder:
    async with tx.begin() as uow:
        order = await orders.change_status(
            uow, purchase_order_id, "cancelled", expected_version(if_match)
        )
    response.headers["ETag"] = etag(order.version)
    return order


@router.post(
    "/purchase-orders/{purchase_order_id}/receipts", status_code=201, response_model=ReceiptOut
)
async def receive_goods(
    purchase_order_id: uuid.UUID, body: ReceiptIn, tx: Tx, _: Writer
) -> GoodsReceipt:
    """Goods arrived: book them into stock by lot; backorders are filled oldest first."""
    async with tx.begin() as uow:
        return await receipts.receive_goods(
            uow,
            purchase_order_id,
            body.warehouse_id,
            [receipts.ReceivedQuantity(x.product_id, x.quantity, x.lot) for x in body.lines],
        )


@router.get("/purchase-orders/{purchase_order_id}/receipts", response_model=Page[ReceiptOut])
async def list_receipts(
    purchase_order_id: uuid.UUID,
    tx: Tx,
    _: Reader,
    warehouse_id: uuid.UUID | None = None,
    product_id: uuid.UUID | None = None,
    lot: Annotated[str | None, Query(max_length=64, description="Receipts of this lot")] = None,
    sort: str = "received_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    """The goods received against one purchase order, first arrival first."""
    order = Sort.parse(sort, ("received_at",))
    stmt = select(GoodsReceipt).where(GoodsReceipt.purchase_order_id == purchase_order_id)
    if warehouse_id:
        stmt = stmt.where(GoodsReceipt.warehouse_id == warehouse_id)
    if product_id or lot:
        lines = select(GoodsReceiptLine.receipt_id)
        if product_id:
            lines = lines.where(GoodsReceiptLine.product_id == product_id)
        if lot:
            lines = lines.where(GoodsReceiptLine.lot == lot)
        stmt = stmt.where(GoodsReceipt.id.in_(lines))
    async with tx.read() as session:
        if await session.get(PurchaseOrder, purchase_order_id) is None:
            raise NotFound(f"purchase order {purchase_order_id} does not exist")
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(GoodsReceipt, order.field),
            id_column=GoodsReceipt.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}
