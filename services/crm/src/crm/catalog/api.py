import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from contracts.errors import NotFound
from contracts.http.auth import Principal
from contracts.http.pagination import Page, Sort, paginate
from crm.catalog.models import CatalogProduct
from crm.deps import Tx, require

router = APIRouter(prefix="/catalog", tags=["catalog"])


class CatalogProductOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    sku: str
    name: str
    unit: str
    list_price: Decimal
    currency: str
    tax_rate: Decimal
    product_type: str
    warranty_months: int
    active: bool
    on_hand: int
    available: int


@router.get("/products", response_model=Page[CatalogProductOut])
async def list_products(
    tx: Tx,
    _: Annotated[Principal, Depends(require("catalog:read"))],
    q: Annotated[str | None, Query(max_length=100)] = None,
    sort: str = "sku",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("sku", "name"))
    stmt = select(CatalogProduct).where(CatalogProduct.active.is_(True))
    if q:
        stmt = stmt.where(CatalogProduct.name.ilike(f"%{q}%") | CatalogProduct.sku.ilike(f"%{q}%"))
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(CatalogProduct, order.field),
            id_column=CatalogProduct.product_id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/products/{product_id}", response_model=CatalogProductOut)
async def get_product(
    product_id: uuid.UUID, tx: Tx, _: Annotated[Principal, Depends(require("catalog:read"))]
) -> CatalogProduct:
    async with tx.read() as session:
        product = await session.get(CatalogProduct, product_id)
    if product is None:
        raise NotFound(f"product {product_id} is not in the catalog")
    return product
