"""Events published by ERP, the back office."""

from datetime import date, datetime
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


class OrderCreditHold(Event, topic="erp.fulfilment", version="1.0"):
    """The order would take the customer's open AR above its credit limit: nothing is
    reserved until finance releases it or payment arrives."""

    order_id: UUID
    account_id: UUID
    order_total: Money
    open_receivables: Money
    credit_limit: Money

    def partition_key(self) -> str:
        return str(self.order_id)


class OrderCreditReleased(Event, topic="erp.fulfilment", version="1.0"):
    """A held order was released (approved by finance or covered by payment); reservation
    follows and is announced with StockReserved or StockReservationFailed."""

    order_id: UUID
    reason: str

    def partition_key(self) -> str:
        return str(self.order_id)


class ShippedLot(Part):
    lot: str | None = Field(description="Lot number, when the product is lot-tracked.")
    quantity: Quantity


class ShippedLine(Part):
    product_id: UUID
    sku: str
    quantity: Quantity
    lots: list[ShippedLot] = Field(default_factory=list)


class ShipmentDispatched(Event, topic="erp.fulfilment", version="1.0"):
    """Goods left the warehouse for the order; invoicing follows."""

    order_id: UUID
    shipment_id: UUID
    shipment_number: str
    warehouse_id: UUID
    lines: list[ShippedLine] = Field(min_length=1)
    dispatched_at: datetime

    def partition_key(self) -> str:
        return str(self.order_id)


class InvoiceIssued(Event, topic="erp.billing", version="1.0"):
    """An invoice was issued to the customer (one per shipment)."""

    invoice_id: UUID
    invoice_number: str
    order_id: UUID | None
    shipment_id: UUID | None
    account_id: UUID
    currency: Currency
    net_amount: Money
    tax_amount: Money
    total: Money
    issued_on: date
    due_on: date

    def partition_key(self) -> str:
        return str(self.invoice_id)


class InvoicePaymentApplied(Event, topic="erp.billing", version="1.0"):
    """Part of a customer payment was applied to the invoice."""

    invoice_id: UUID
    payment_id: UUID
    order_id: UUID | None
    account_id: UUID
    amount: Money
    balance_due: Money
    received_on: date

    def partition_key(self) -> str:
        return str(self.invoice_id)


class InvoicePaid(Event, topic="erp.billing", version="1.0"):
    """The invoice is paid in full."""

    invoice_id: UUID
    invoice_number: str
    order_id: UUID | None
    account_id: UUID
    total: Money
    paid_on: date

    def partition_key(self) -> str:
        return str(self.invoice_id)


class CustomerCreditChanged(Event, topic="erp.customers", version="1.0"):
    """The customer's receivables or credit standing changed."""

    account_id: UUID
    credit_limit: Money | None
    open_receivables: Money
    overdue_receivables: Money
    credit_status: str = Field(description="ok, over_limit or on_hold.")
    revision: int = Field(ge=1, description="Grows with each change; stale copies are ignored.")

    def partition_key(self) -> str:
        return str(self.account_id)


class PurchaseLine(Part):
    product_id: UUID
    sku: str
    quantity: Quantity


class PurchaseOrderCreated(Event, topic="erp.purchasing", version="1.0"):
    """Goods were ordered from a supplier, possibly to fill customer backorders."""

    purchase_order_id: UUID
    number: str
    supplier_id: UUID
    supplier_name: str
    lines: list[PurchaseLine] = Field(min_length=1)
    expected_on: date | None = None
    for_orders: list[UUID] = Field(
        default_factory=list, description="Customer orders whose backorders this fills."
    )

    def partition_key(self) -> str:
        return str(self.purchase_order_id)


class ReceivedLine(Part):
    product_id: UUID
    sku: str
    quantity: Quantity
    lot: str | None = None


class GoodsReceived(Event, topic="erp.purchasing", version="1.0"):
    """Goods of a purchase order arrived and were booked into stock."""

    purchase_order_id: UUID
    receipt_id: UUID
    warehouse_id: UUID
    lines: list[ReceivedLine] = Field(min_length=1)
    received_at: datetime
    for_orders: list[UUID] = Field(
        default_factory=list, description="Customer orders whose backorders it fills."
    )

    def partition_key(self) -> str:
        return str(self.purchase_order_id)


class WorkOrderCompleted(Event, topic="erp.production", version="1.0"):
    """A work order produced finished goods (with their lot) from its components."""

    work_order_id: UUID
    number: str
    product_id: UUID
    sku: str
    quantity: Quantity
    lot: str

    def partition_key(self) -> str:
        return str(self.work_order_id)
