import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from erp.finance.schemas import PositiveCents


class SupplierBillIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supplier_id: uuid.UUID
    supplier_reference: str = Field(min_length=1, max_length=100, examples=["INV-88121"])
    purchase_order_id: uuid.UUID | None = None
    amount: PositiveCents
    bill_date: date
    due_on: date


class SupplierBillOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    supplier_id: uuid.UUID
    supplier_reference: str
    purchase_order_id: uuid.UUID | None
    amount: Decimal
    amount_paid: Decimal
    status: str
    bill_date: date
    due_on: date
    created_at: datetime


class SupplierPaymentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bill_id: uuid.UUID
    amount: PositiveCents
    paid_on: date


class SupplierPaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    bill_id: uuid.UUID
    supplier_id: uuid.UUID
    amount: Decimal
    paid_on: date
    created_at: datetime
