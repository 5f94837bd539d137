"""Use cases on products.  Every change is published so CRM can quote from it."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, InvalidRequest, NotFound, PreconditionFailed
from contracts.events.erp import ProductPublished
from contracts.runtime import UnitOfWork
from erp.catalog.models import Product
from erp.catalog.schemas import ProductIn
from erp.purchasing.models import Supplier
from erp.purchasing.replenishment import replenish


async def _check_supplier(session: AsyncSession, data: ProductIn) -> None:
    if data.preferred_supplier_id is not None and (
        await session.get(Supplier, data.preferred_supplier_id) is None
    ):
        raise InvalidRequest(
            f"supplier {data.preferred_supplier_id} does not exist",
            errors=[{"field": "body.preferred_supplier_id", "message": "unknown supplier"}],
        )


async def create_product(uow: UnitOfWork, data: ProductIn) -> Product:
    await _check_supplier(uow.session, data)
    if await uow.session.scalar(select(Product.id).where(Product.sku == data.sku)):
        raise Conflict(
            f"a product with SKU {data.sku} exists",
            errors=[{"field": "body.sku", "message": "already used"}],
        )
    now = datetime.now(UTC)
    product = Product(
        id=uuid.uuid4(),
        created_at=now,
        updated_at=now,
        revision=1,
        stock_revision=0,
        **data.model_dump(),
    )
    uow.session.add(product)
    await uow.session.flush()
    await uow.publish(published(product))
    await uow.audit("product", product.id, "created", after=data.model_dump(mode="json"))
    return product


async def update_product(
    uow: UnitOfWork, product_id: uuid.UUID, data: ProductIn, expected_version: int | None
) -> Product:
    product = await get_product(uow.session, product_id)
    if expected_version is not None and expected_version != product.version:
        raise PreconditionFailed(f"product {product.sku} changed since version {expected_version}")
    before = ProductIn.model_validate(product, from_attributes=True).model_dump(mode="json")
    if data.sku != product.sku and await uow.session.scalar(
        select(Product.id).where(Product.sku == data.sku)
    ):
        raise Conflict(f"a product with SKU {data.sku} exists")
    await _check_supplier(uow.session, data)
    for field, value in data.model_dump().items():
        setattr(product, field, value)
    product.revision += 1
    product.updated_at = datetime.now(UTC)
    await uow.session.flush()
    await uow.publish(published(product))
    await uow.audit(
        "product", product.id, "updated", before=before, after=data.model_dump(mode="json")
    )
    # A raised reorder point may mean stock is short already.
    await replenish(uow, product.id)
    return product


async def get_product(session: AsyncSession, product_id: uuid.UUID) -> Product:
    product = await session.get(Product, product_id)
    if product is None:
        raise NotFound(f"product {product_id} does not exist")
    return product


def published(product: Product) -> ProductPublished:
    return ProductPublished(
        product_id=product.id,
        sku=product.sku,
        name=product.name,
        unit=product.unit,
        list_price=product.list_price,
        currency=product.currency,
        tax_rate=product.tax_rate,
        product_type=product.product_type,
        warranty_months=product.warranty_months,
        active=product.active,
        revision=product.revision,
    )
