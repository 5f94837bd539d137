"""Work orders over HTTP: plan, list, release, complete, cancel."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Response
from sqlalchemy import select

from contracts.http.auth import Principal
from contracts.http.concurrency import IfMatch, etag, expected_version
from contracts.http.pagination import Page, Sort, paginate
from erp.deps import Tx, require
from erp.production import work_orders as service
from erp.production.domain import WorkOrderStatus
from erp.production.models import WorkOrder
from erp.production.schemas import CompleteIn, ReleaseIn, WorkOrderIn, WorkOrderOut

router = APIRouter(prefix="/work-orders", tags=["production"])
Read = Annotated[Principal, Depends(require("production:read"))]
Write = Annotated[Principal, Depends(require("production:write"))]


@router.post("", status_code=201, response_model=WorkOrderOut)
async def plan_work_order(body: WorkOrderIn, response: Response, tx: Tx, _: Write) -> WorkOrder:
    """A planned work order for a manufactured product; its needs come from today's BOM."""
    async with tx.begin() as uow:
        work_order = await service.plan_work_order(
            uow,
            product_id=body.product_id,
            quantity=body.quantity,
            warehouse_id=body.warehouse_id,
            due_on=body.due_on,
        )
    response.headers["ETag"] = etag(work_order.version)
    response.headers["Location"] = f"/work-orders/{work_order.id}"
    return work_order


@router.get("", response_model=Page[WorkOrderOut])
async def list_work_orders(
    tx: Tx,
    _: Read,
    status: WorkOrderStatus | None = None,
    product_id: uuid.UUID | None = None,
    mrp_run_id: uuid.UUID | None = None,
    lot: Annotated[str | None, Query(max_length=64)] = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "number"))
    stmt = select(WorkOrder)
    if status:
        stmt = stmt.where(WorkOrder.status == status)
    if product_id:
        stmt = stmt.where(WorkOrder.product_id == product_id)
    if mrp_run_id:
        stmt = stmt.where(WorkOrder.mrp_run_id == mrp_run_id)
    if lot:
        stmt = stmt.where(WorkOrder.lot == lot)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(WorkOrder, order.field),
            id_column=WorkOrder.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{work_order_id}", response_model=WorkOrderOut)
async def get_work_order(
    work_order_id: uuid.UUID, response: Response, tx: Tx, _: Read
) -> WorkOrder:
    async with tx.read() as session:
        work_order = await service.get_work_order(session, work_order_id)
    response.headers["ETag"] = etag(work_order.version)
    return work_order


@router.post("/{work_order_id}/release", response_model=WorkOrderOut)
async def release_work_order(
    work_order_id: uuid.UUID,
    response: Response,
    tx: Tx,
    _: Write,
    body: Annotated[ReleaseIn | None, Body()] = None,
    if_match: IfMatch = None,
) -> WorkOrder:
    """Hand a planned work order to the shop floor (in a warehouse)."""
    async with tx.begin() as uow:
        work_order = await service.release_work_order(
            uow,
            work_order_id,
            warehouse_id=(body or ReleaseIn()).warehouse_id,
            expected_version=expected_version(if_match),
        )
    response.headers["ETag"] = etag(work_order.version)
    return work_order


@router.post("/{work_order_id}/complete", response_model=WorkOrderOut)
async def complete_work_order(
    work_order_id: uuid.UUID,
    response: Response,
    tx: Tx,
    _: Write,
    body: Annotated[CompleteIn | None, Body()] = None,
    if_match: IfMatch = None,
) -> WorkOrder:
    """Consume the components (oldest lots first) and book the finished lot; 409 listing
    every short component if any is."""
    async with tx.begin() as uow:
        work_order = await service.complete_work_order(
            uow,
            work_order_id,
            lot=(body or CompleteIn()).lot,
            expected_version=expected_version(if_match),
        )
    response.headers["ETag"] = etag(work_order.version)
    return work_order


@router.post("/{work_order_id}/cancel", response_model=WorkOrderOut)
async def cancel_work_order(
    work_order_id: uuid.UUID, response: Response, tx: Tx, _: Write, if_match: IfMatch = None
) -> WorkOrder:
    async with tx.begin() as uow:
        work_order = await service.cancel_work_order(
            uow, work_order_id, expected_version=expected_version(if_match)
        )
    response.headers["ETag"] = etag(work_order.version)
    return work_order
