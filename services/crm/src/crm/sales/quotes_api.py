import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from contracts.http.auth import Principal
from contracts.http.concurrency import etag
from contracts.http.pagination import Page, Sort, paginate
from crm.deps import Tx, require
from crm.sales import quotes
from crm.sales.domain import QuoteStatus
from crm.sales.models import SalesOrder
from crm.sales.quote_models import Quote
from crm.sales.quote_schemas import QuoteIn, QuoteOut
from crm.sales.schemas import OrderOut

router = APIRouter(prefix="/quotes", tags=["quotes"])


@router.post("", status_code=201, response_model=QuoteOut)
async def create_quote(
    body: QuoteIn, tx: Tx, _: Annotated[Principal, Depends(require("sales:write"))]
) -> Quote:
    async with tx.begin() as uow:
        return await quotes.create_quote(uow, body)


@router.get("", response_model=Page[QuoteOut])
async def list_quotes(
    tx: Tx,
    _: Annotated[Principal, Depends(require("sales:read"))],
    account_id: uuid.UUID | None = None,
    status: QuoteStatus | None = None,
    owner: str | None = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "valid_until", "total"))
    stmt = select(Quote)
    for column, value in (
        (Quote.account_id, account_id),
        (Quote.status, status),
        (Quote.owner, owner),
    ):
        if value:
            stmt = stmt.where(column == value)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Quote, order.field),
            id_column=Quote.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{quote_id}", response_model=QuoteOut)
async def get_quote(
    quote_id: uuid.UUID, tx: Tx, _: Annotated[Principal, Depends(require("sales:read"))]
) -> Quote:
    async with tx.read() as session:
        return await quotes.load_quote(session, quote_id)


@router.post("/{quote_id}/accept", response_model=OrderOut)
async def accept_quote(
    quote_id: uuid.UUID,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("sales:write"))],
) -> SalesOrder:
    """Creates the sales order (draft, at the quoted prices); 409 if the quote expired."""
    async with tx.begin() as uow:
        order = await quotes.accept_quote(uow, quote_id)
    response.headers["ETag"] = etag(order.version)
    response.headers["Location"] = f"/orders/{order.id}"
    return order
