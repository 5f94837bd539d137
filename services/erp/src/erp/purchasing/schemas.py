import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class SupplierIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_\-]+$", examples=["ACME"])
    name: str = Field(min_length=1, max_length=200, examples=["Acme Pumps GmbH"])
    email: EmailStr | None = None
    currency: str = Field(default="EUR", pattern="^[A-Z]{3}$")
    lead_time_days: int = Field(default=7, ge=0, le=365)
    active: bool = True


class SupplierOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    email: str | None
    currency: str
    lead_time_days: int
    active: bool
    created_at: datetime


class RequisitionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    product_id: uuid.UUID
    quantity: int
    reason: str
    status: str
    purchase_order_id: uuid.UUID | None
    created_at: datetime


class ConvertIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supplier_id: uuid.UUID | None = Field(
        default=None, description="Defaults to the product's preferred supplier."
    )


class PurchaseLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID
    quantity: int = Field(gt=0, le=10_000_000)
    unit_cost: Decimal | None = Field(
        default=None, ge=0, max_digits=14, decimal_places=4, description="Standard cost if absent."
    )


class PurchaseOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supplier_id: uuid.UUID
    lines: list[PurchaseLineIn] = Field(min_length=1, max_length=200)
    expected_on: date | None = None


class PurchaseOrderLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    sku: str
    quantity: int
    received: int
    unit_cost: Decimal


class PurchaseOrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    supplier_id: uuid.UUID
    status: str
    currency: str
    expected_on: date | None
    lines: list[PurchaseOrderLineOut]
    created_at: datetime
    updated_at: datetime
    version: int


class ReceiptLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID
    quantity: int = Field(gt=0, le=10_000_000)
    lot: str | None = Field(default=None, min_length=1, max_length=64, examples=["L2026-11-A"])


class ReceiptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    warehouse_id: uuid.UUID
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=200)


class ReceiptLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    quantity: int
    lot: str | None
    stock_move_id: int


class ReceiptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    purchase_order_id: uuid.UUID
    warehouse_id: uuid.UUID
    actor: str | None
    received_at: datetime
    lines: list[ReceiptLineOut]
