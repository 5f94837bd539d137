"""Keep the catalog read model from ERP's catalog and inventory events.

Both events carry a revision, so an older copy arriving late (after a replay, say) never
overwrites a newer one; that makes the read model rebuildable from the event stream.
"""

from datetime import UTC, datetime

from contracts.envelope import Envelope
from contracts.events.erp import ProductPublished, StockLevelChanged
from contracts.runtime import UnitOfWork
from crm.catalog.models import CatalogProduct


async def on_product_published(uow: UnitOfWork, event: ProductPublished, _: Envelope) -> None:
    product = await uow.session.get(CatalogProduct, event.product_id)
    if product is None:
        product = CatalogProduct(
            product_id=event.product_id, stock_revision=0, on_hand=0, available=0
        )
        uow.session.add(product)
    elif product.revision >= event.revision:
        return
    product.sku = event.sku
    product.name = event.name
    product.unit = event.unit
    product.list_price = event.list_price
    product.currency = event.currency
    product.tax_rate = event.tax_rate
    product.product_type = event.product_type
    product.warranty_months = event.warranty_months
    product.active = event.active
    product.revision = event.revision
    product.updated_at = datetime.now(UTC)


async def on_stock_level_changed(uow: UnitOfWork, event: StockLevelChanged, _: Envelope) -> None:
    product = await uow.session.get(CatalogProduct, event.product_id)
    if product is None:
        # Stock news before the catalog entry (different topics, no cross-topic order):
        # keep a placeholder that the catalog event completes.
        product = CatalogProduct(
            product_id=event.product_id,
            sku=event.sku,
            name=event.sku,
            unit="pcs",
            list_price=0,
            currency="EUR",
            tax_rate=0,
            product_type="stocked",
            revision=0,
            warranty_months=0,
            active=False,
            stock_revision=0,
        )
        uow.session.add(product)
    elif product.stock_revision >= event.revision:
        return
    product.on_hand = event.on_hand
    product.available = event.available
    product.stock_revision = event.revision
    product.updated_at = datetime.now(UTC)
