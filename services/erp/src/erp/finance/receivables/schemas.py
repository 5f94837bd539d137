import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from erp.finance.schemas import Cents, PositiveCents


class InvoiceLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    sku: str
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal
    net_amount: Decimal
    tax_amount: Decimal


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    account_id: uuid.UUID
    order_id: uuid.UUID | None
    shipment_id: uuid.UUID | None
    owner: str | None
    currency: str
    net_amount: Decimal
    tax_amount: Decimal
    total: Decimal
    amount_paid: Decimal
    balance_due: Decimal
    status: str
    issued_on: date
    due_on: date
    paid_on: date | None
    created_at: datetime


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut]


class AllocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invoice_id: uuid.UUID
    amount: PositiveCents


class PaymentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    amount: PositiveCents
    received_on: date
    reference: str = Field(default="", max_length=100)
    allocations: list[AllocationIn] | None = Field(
        default=None, max_length=200, description="Omit to pay the oldest open invoices first."
    )


class AllocationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    invoice_id: uuid.UUID
    amount: Decimal


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    received_on: date
    reference: str
    created_at: datetime
    allocations: list[AllocationOut] = []


class CustomerOut(BaseModel):
    account_id: uuid.UUID
    name: str
    owner: str | None
    credit_limit: Decimal | None
    payment_terms_days: int
    open_receivables: Decimal
    overdue_receivables: Decimal
    held_orders: int
    credit_status: str
    version: int


class CreditLimitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credit_limit: Cents | None = Field(description="null: no limit.")


class CreditHoldOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    order_id: uuid.UUID
    account_id: uuid.UUID
    order_total: Decimal
    open_receivables: Decimal
    credit_limit: Decimal
    status: str
    held_at: datetime
    released_at: datetime | None
    release_reason: str | None
    released_by: str | None


class ReleaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="approved by finance", min_length=1, max_length=200)
