"""Rebuild the catalog read model from ERP's event stream.

Clear the read model and CRM's inbox marks of the events that feed it, in one transaction;
then have ERP replay those events (``python -m erp.replay --type ProductPublished --type
StockLevelChanged``).  Live events arriving meanwhile are harmless: revisions keep the
newest facts whichever copy comes first.
"""

from sqlalchemy import delete

from contracts.events.erp import ProductPublished, StockLevelChanged
from contracts.runtime import Transactions
from contracts.runtime.replay import forget_applied
from crm.catalog.models import CatalogProduct

CATALOG_EVENTS = (ProductPublished, StockLevelChanged)


async def clear_catalog(tx: Transactions, *, consumer: str = "crm") -> int:
    """Empty the read model and forget which catalog events were applied; the forgotten
    inbox marks are counted."""
    async with tx.begin() as uow:
        await uow.session.execute(delete(CatalogProduct))
        return await forget_applied(
            uow.session,
            tx.tables,
            consumer=consumer,
            event_types=[e.event_type for e in CATALOG_EVENTS],
        )
