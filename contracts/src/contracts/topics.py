"""The topics of the platform: who publishes to each, what its key is, how it is kept.

One topic per producing bounded context and aggregate.  Every message's key is the id of the
aggregate it concerns, so one aggregate's events share a partition and keep their order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    producer: str
    key: str
    description: str
    partitions: int = 6
    retention_days: int = 30


TOPICS: tuple[Topic, ...] = (
    Topic("crm.accounts", "crm", "account_id", "Customer accounts: created, changed, merged."),
    Topic("crm.orders", "crm", "order_id", "Sales orders: confirmed, cancelled, credit released."),
    Topic("erp.catalog", "erp", "product_id", "Product catalog: prices, taxes, warranty."),
    Topic("erp.inventory", "erp", "product_id", "Stock levels per product (availability)."),
    Topic(
        "erp.fulfilment",
        "erp",
        "order_id",
        "What ERP did with an order: reserved, backordered, released, held, shipped.",
    ),
    Topic("erp.purchasing", "erp", "purchase_order_id", "Purchase orders and goods receipts."),
    Topic("erp.billing", "erp", "invoice_id", "Invoices issued and paid."),
    Topic("erp.customers", "erp", "account_id", "Customer credit standing as finance sees it."),
    Topic("erp.production", "erp", "work_order_id", "Work orders released and completed."),
)

DEAD_LETTER_SUFFIX = ".dead-letter"


def dead_letter_topic(service: str) -> str:
    """Each consuming service parks the messages it cannot apply on its own topic."""
    return f"{service}{DEAD_LETTER_SUFFIX}"


def topic(name: str) -> Topic:
    for t in TOPICS:
        if t.name == name:
            return t
    raise KeyError(name)
