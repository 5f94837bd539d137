import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from contracts.http.auth import Principal
from contracts.http.concurrency import IfMatch, etag, expected_version
from contracts.http.pagination import Page, Sort, paginate
from erp.catalog import service
from erp.catalog.models import Product
from erp.catalog.schemas import ProductIn, ProductOut
from erp.deps import Tx, require

router = APIRouter(prefix="/products", tags=["catalog"])


@router.post("", status_code=201, response_model=ProductOut)
async def create_product(
    body: ProductIn,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("catalog:write"))],
) -> Product:
    async with tx.begin() as uow:
        product = await service.create_product(uow, body)
    response.headers["ETag"] = etag(product.version)
    return product


@router.get("", response_model=Page[ProductOut])
async def list_products(
    tx: Tx,
    _: Annotated[Principal, Depends(require("catalog:read"))],
    q: Annotated[str | None, Query(max_length=100, description="SKU or name contains")] = None,
    product_type: str | None = None,
    active: bool | None = None,
    sort: str = "sku",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("sku", "name", "created_at"))
    stmt = select(Product)
    if q:
        stmt = stmt.where(Product.sku.ilike(f"%{q}%") | Product.name.ilike(f"%{q}%"))
    if product_type:
        stmt = stmt.where(Product.product_type == product_type)
    if active is not None:
        stmt = stmt.where(Product.active.is_(active))
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Product, order.field),
            id_column=Product.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{product_id}", response_model=ProductOut)
async def get_product(
    product_id: uuid.UUID,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("catalog:read"))],
) -> Product:
    async with tx.read() as session:
        product = await service.get_product(session, product_id)
    response.headers["ETag"] = etag(product.version)
    return product


@router.put("/{product_id}", response_model=ProductOut)
async def update_product(
    product_id: uuid.UUID,
    body: ProductIn,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("catalog:write"))],
    if_match: IfMatch = None,
) -> Product:
    async with tx.begin() as uow:
        product = await service.update_product(uow, product_id, body, expected_version(if_match))
    response.headers["ETag"] = etag(product.version)
    return product
