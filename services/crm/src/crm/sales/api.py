import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response
from sqlalchemy import select

from contracts.errors import NotFound
from contracts.http.auth import Principal
from contracts.http.concurrency import IfMatch, etag, expected_version
from contracts.http.pagination import Page, Sort, paginate
from crm.deps import Tx, require
from crm.sales import service
from crm.sales.models import SalesOrder
from crm.sales.schemas import CancelIn, OrderIn, OrderOut

router = APIRouter(prefix="/orders", tags=["orders"])


def _visible(order: SalesOrder, caller: Principal) -> SalesOrder:
    if caller.is_customer and order.account_id != caller.account_id:
        raise NotFound(f"order {order.id} does not exist")
    return order


@router.post("", status_code=201, response_model=OrderOut)
async def create_order(
    body: OrderIn,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("orders:write"))],
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> SalesOrder:
    async with tx.begin() as uow:
        order = await service.create_order(uow, body, idempotency_key=idempotency_key)
    response.headers["ETag"] = etag(order.version)
    response.headers["Location"] = f"/orders/{order.id}"
    return order


@router.get("", response_model=Page[OrderOut])
async def list_orders(
    tx: Tx,
    caller: Annotated[Principal, Depends(require("orders:read"))],
    account_id: uuid.UUID | None = None,
    status: str | None = None,
    owner: str | None = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "number", "total"))
    stmt = select(SalesOrder)
    if caller.is_customer:
        stmt = stmt.where(SalesOrder.account_id == caller.account_id)
    if account_id:
        stmt = stmt.where(SalesOrder.account_id == account_id)
    if status:
        stmt = stmt.where(SalesOrder.status == status)
    if owner:
        stmt = stmt.where(SalesOrder.owner == owner)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(SalesOrder, order.field),
            id_column=SalesOrder.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{order_id}", response_model=OrderOut)
async def get_order(
    order_id: uuid.UUID,
    response: Response,
    tx: Tx,
    caller: Annotated[Principal, Depends(require("orders:read"))],
) -> SalesOrder:
    async with tx.read() as session:
        order = _visible(await service.load_order(session, order_id), caller)
    response.headers["ETag"] = etag(order.version)
    return order


@router.post("/{order_id}/confirm", response_model=OrderOut)
async def confirm_order(
    order_id: uuid.UUID,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("orders:write"))],
    if_match: IfMatch = None,
) -> SalesOrder:
    async with tx.begin() as uow:
        order = await service.confirm_order(
            uow, order_id, expected_version=expected_version(if_match)
        )
    response.headers["ETag"] = etag(order.version)
    return order


@router.post("/{order_id}/cancel", response_model=OrderOut)
async def cancel_order(
    order_id: uuid.UUID,
    body: CancelIn,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("orders:write"))],
    if_match: IfMatch = None,
) -> SalesOrder:
    async with tx.begin() as uow:
        order = await service.cancel_order(
            uow, order_id, body.reason, expected_version=expected_version(if_match)
        )
    response.headers["ETag"] = etag(order.version)
    return order
