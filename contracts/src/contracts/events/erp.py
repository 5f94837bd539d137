"""Events published by ERP, the back office."""

from uuid import UUID

from pydantic import Field

from contracts.envelope import Event
from contracts.events.common import Currency, Money, Part, ProductQuantity, Quantity

__all__ = [
    "ProductPublished",
    "Shortage",
    "StockLevelChanged",
    "StockReleased",
    "StockReservationFailed",
    "StockReserved",
]


class ProductPublished(Event, topic="erp.catalog", version="1.0"):
    """The current catalog facts of a product (sent on create and on every change)."""

    product_id: UUID
    sku: str
    name: str
    unit: str
    list_price: Money
    currency: Currency
    tax_rate: Money = Field(description="Fraction, e.g. 0.23 for 23 %.")
    product_type: str = Field(description="stocked, service or manufactured.")
    warranty_months: int = Field(default=0, ge=0)
    active: bool = True
    revision: int = Field(ge=1, description="Grows with each change; stale copies are ignored.")

    def partition_key(self) -> str:
        return str(self.product_id)


class StockLevelChanged(Event, topic="erp.inventory", version="1.0"):
    """Availability of a product across all warehouses changed."""

    product_id: UUID
    sku: str
    on_hand: Quantity
    reserved: Quantity
    available: Quantity
    revision: int = Field(ge=1, description="Grows with each change; stale copies are ignored.")

    def partition_key(self) -> str:
        return str(self.product_id)


class StockReserved(Event, topic="erp.fulfilment", version="1.0"):
    """Every line of the order is reserved (now, or after a backorder was filled)."""

    order_id: UUID
    lines: list[ProductQuantity]

    def partition_key(self) -> str:
        return str(self.order_id)


class Shortage(Part):
    product_id: UUID
    sku: str
    requested: Quantity
    reserved: Quantity
    missing: Quantity


class StockReservationFailed(Event, topic="erp.fulfilment", version="1.0"):
    """Some lines could not be reserved in full: what exists is reserved, the rest backordered."""

    order_id: UUID
    shortages: list[Shortage] = Field(min_length=1)

    def partition_key(self) -> str:
        return str(self.order_id)


class StockReleased(Event, topic="erp.fulfilment", version="1.0"):
    """The order's reservations and backorders were released (it was cancelled)."""

    order_id: UUID
    lines: list[ProductQuantity]

    def partition_key(self) -> str:
        return str(self.order_id)
