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

    product_id: UUID = Field(description="The product (ERP's product id).")
    sku: str = Field(description="The product's stock-keeping unit code.")
    name: str = Field(description="Display name of the product.")
    unit: str = Field(description="Unit of measure, e.g. pcs.")
    list_price: Money
    currency: Currency
    tax_rate: Money = Field(description="Fraction, e.g. 0.23 for 23 %.")
    product_type: str = Field(description="stocked, service or manufactured.")
    warranty_months: int = Field(
        default=0, ge=0, description="Warranty length in months; 0 for none."
    )
    active: bool = Field(default=True, description="False once the product may no longer be sold.")
    revision: int = Field(ge=1, description="Grows with each change; stale copies are ignored.")

    def partition_key(self) -> str:
        return str(self.product_id)


class StockLevelChanged(Event, topic="erp.inventory", version="1.0"):
    """Availability of a product across all warehouses changed."""

    product_id: UUID = Field(description="The product (ERP's product id).")
    sku: str = Field(description="The product's stock-keeping unit code.")
    on_hand: Quantity
    reserved: Quantity
    available: Quantity
    revision: int = Field(ge=1, description="Grows with each change; stale copies are ignored.")

    def partition_key(self) -> str:
        return str(self.product_id)


class StockReserved(Event, topic="erp.fulfilment", version="1.0"):
    """Every line of the order is reserved (now, or after a backorder was filled)."""

    order_id: UUID = Field(description="The sales order (CRM's order id).")
    lines: list[ProductQuantity] = Field(description="What is reserved per product.")

    def partition_key(self) -> str:
        return str(self.order_id)


class Shortage(Part):
    product_id: UUID = Field(description="The product (ERP's product id).")
    sku: str = Field(description="The product's stock-keeping unit code.")
    requested: Quantity
    reserved: Quantity
    missing: Quantity


class StockReservationFailed(Event, topic="erp.fulfilment", version="1.0"):
    """Some lines could not be reserved in full: what exists is reserved, the rest backordered."""

    order_id: UUID = Field(description="The sales order (CRM's order id).")
    shortages: list[Shortage] = Field(
        min_length=1, description="The lines that could not be reserved in full."
    )

    def partition_key(self) -> str:
        return str(self.order_id)


class StockReleased(Event, topic="erp.fulfilment", version="1.0"):
    """The order's reservations and backorders were released (it was cancelled)."""

    order_id: UUID = Field(description="The sales order (CRM's order id).")
    lines: list[ProductQuantity] = Field(description="What was released per product.")

    def partition_key(self) -> str:
        return str(self.order_id)


class OrderCreditHold(Event, topic="erp.fulfilment", version="1.0"):
    """The order would take the customer's open AR above its credit limit: nothing is
    reserved until finance releases it or payment arrives."""

    order_id: UUID = Field(description="The sales order (CRM's order id).")
    account_id: UUID = Field(description="The customer account (CRM's account id).")
    order_total: Money
    open_receivables: Money
    credit_limit: Money

    def partition_key(self) -> str:
        return str(self.order_id)


class OrderCreditReleased(Event, topic="erp.fulfilment", version="1.0"):
    """A held order was released (approved by finance or covered by payment); reservation
    follows and is announced with StockReserved or StockReservationFailed."""

    order_id: UUID = Field(description="The sales order (CRM's order id).")
    reason: str = Field(description="Why the hold ended, e.g. approved by finance.")

    def partition_key(self) -> str:
        return str(self.order_id)


class ShippedLot(Part):
    lot: str | None = Field(description="Lot number, when the product is lot-tracked.")
    quantity: Quantity


class ShippedLine(Part):
    product_id: UUID = Field(description="The product (ERP's product id).")
    sku: str = Field(description="The product's stock-keeping unit code.")
    quantity: Quantity
    lots: list[ShippedLot] = Field(
        default_factory=list, description="Lots the quantity came from; empty if not lot-tracked."
    )


class ShipmentDispatched(Event, topic="erp.fulfilment", version="1.0"):
    """Goods left the warehouse for the order; invoicing follows."""

    order_id: UUID = Field(description="The sales order (CRM's order id).")
    shipment_id: UUID = Field(description="The shipment (ERP's shipment id).")
    shipment_number: str = Field(description="The shipment's human-readable number.")
    warehouse_id: UUID = Field(description="The warehouse (ERP's warehouse id).")
    lines: list[ShippedLine] = Field(
        min_length=1, description="What left the warehouse, at least one line."
    )
    dispatched_at: datetime = Field(description="When the goods left, UTC.")

    def partition_key(self) -> str:
        return str(self.order_id)


class InvoiceIssued(Event, topic="erp.billing", version="1.0"):
    """An invoice was issued to the customer (one per shipment)."""

    invoice_id: UUID = Field(description="The invoice (ERP's invoice id).")
    invoice_number: str = Field(
        description="The invoice's human-readable number, e.g. INV-2026-0042."
    )
    order_id: UUID | None = Field(description="The sales order invoiced, if any.")
    shipment_id: UUID | None = Field(description="The shipment invoiced, if any.")
    account_id: UUID = Field(description="The customer account (CRM's account id).")
    currency: Currency
    net_amount: Money
    tax_amount: Money
    total: Money
    issued_on: date = Field(description="Invoice date.")
    due_on: date = Field(description="Payment due date.")

    def partition_key(self) -> str:
        return str(self.invoice_id)


class InvoicePaymentApplied(Event, topic="erp.billing", version="1.0"):
    """Part of a customer payment was applied to the invoice."""

    invoice_id: UUID = Field(description="The invoice (ERP's invoice id).")
    payment_id: UUID = Field(description="The customer payment (ERP's payment id).")
    order_id: UUID | None = Field(description="The sales order invoiced, if any.")
    account_id: UUID = Field(description="The customer account (CRM's account id).")
    amount: Money
    balance_due: Money
    received_on: date = Field(description="Date the payment was received.")

    def partition_key(self) -> str:
        return str(self.invoice_id)


class InvoicePaid(Event, topic="erp.billing", version="1.0"):
    """The invoice is paid in full."""

    invoice_id: UUID = Field(description="The invoice (ERP's invoice id).")
    invoice_number: str = Field(
        description="The invoice's human-readable number, e.g. INV-2026-0042."
    )
    order_id: UUID | None = Field(description="The sales order invoiced, if any.")
    account_id: UUID = Field(description="The customer account (CRM's account id).")
    total: Money
    paid_on: date = Field(description="Date of the payment that settled the invoice.")

    def partition_key(self) -> str:
        return str(self.invoice_id)


class CustomerCreditChanged(Event, topic="erp.customers", version="1.0"):
    """The customer's receivables or credit standing changed."""

    account_id: UUID = Field(description="The customer account (CRM's account id).")
    credit_limit: Money | None = Field(
        description="Credit limit in the account's currency; None: no limit."
    )
    open_receivables: Money
    overdue_receivables: Money
    credit_status: str = Field(description="ok, over_limit or on_hold.")
    revision: int = Field(ge=1, description="Grows with each change; stale copies are ignored.")

    def partition_key(self) -> str:
        return str(self.account_id)


class PurchaseLine(Part):
    product_id: UUID = Field(description="The product (ERP's product id).")
    sku: str = Field(description="The product's stock-keeping unit code.")
    quantity: Quantity


class PurchaseOrderCreated(Event, topic="erp.purchasing", version="1.0"):
    """A purchase order was sent to its supplier, possibly to fill customer backorders."""

    purchase_order_id: UUID = Field(description="The purchase order (ERP's purchase order id).")
    number: str = Field(description="The purchase order's human-readable number.")
    supplier_id: UUID = Field(description="The supplier (ERP's supplier id).")
    supplier_name: str = Field(description="The supplier's name.")
    lines: list[PurchaseLine] = Field(
        min_length=1, description="What was ordered, at least one line."
    )
    expected_on: date | None = Field(
        default=None, description="Expected delivery date, if the supplier gave one."
    )
    for_orders: list[UUID] = Field(
        default_factory=list, description="Customer orders whose backorders this fills."
    )

    def partition_key(self) -> str:
        return str(self.purchase_order_id)


class ReceivedLine(Part):
    product_id: UUID = Field(description="The product (ERP's product id).")
    sku: str = Field(description="The product's stock-keeping unit code.")
    quantity: Quantity
    lot: str | None = Field(
        default=None, description="Lot number of the received goods, when lot-tracked."
    )


class GoodsReceived(Event, topic="erp.purchasing", version="1.0"):
    """Goods of a purchase order arrived and were booked into stock."""

    purchase_order_id: UUID = Field(description="The purchase order (ERP's purchase order id).")
    receipt_id: UUID = Field(description="The goods receipt (ERP's receipt id).")
    warehouse_id: UUID = Field(description="The warehouse (ERP's warehouse id).")
    lines: list[ReceivedLine] = Field(
        min_length=1, description="What was booked in, at least one line."
    )
    received_at: datetime = Field(description="When the goods were booked in, UTC.")
    for_orders: list[UUID] = Field(
        default_factory=list, description="Customer orders whose backorders it fills."
    )

    def partition_key(self) -> str:
        return str(self.purchase_order_id)


class WorkOrderCompleted(Event, topic="erp.production", version="1.0"):
    """A work order produced finished goods (with their lot) from its components."""

    work_order_id: UUID = Field(description="The work order (ERP's work order id).")
    number: str = Field(description="The work order's human-readable number.")
    product_id: UUID = Field(description="The product (ERP's product id).")
    sku: str = Field(description="The product's stock-keeping unit code.")
    quantity: Quantity
    lot: str = Field(description="Lot number given to the produced goods.")

    def partition_key(self) -> str:
        return str(self.work_order_id)
