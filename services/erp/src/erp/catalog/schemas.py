import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ProductType(StrEnum):
    STOCKED = "stocked"
    SERVICE = "service"
    MANUFACTURED = "manufactured"


class ProductIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._\-]+$", examples=["PUMP-200"]
    )
    name: str = Field(min_length=1, max_length=200, examples=["Circulation pump 200 W"])
    unit: str = Field(default="pcs", min_length=1, max_length=20)
    list_price: Decimal = Field(ge=0, max_digits=14, decimal_places=2, examples=["249.00"])
    standard_cost: Decimal = Field(ge=0, max_digits=14, decimal_places=4, examples=["131.50"])
    currency: str = Field(default="EUR", pattern="^[A-Z]{3}$")
    tax_rate: Decimal = Field(ge=0, le=1, decimal_places=4, examples=["0.23"])
    product_type: ProductType = ProductType.STOCKED
    warranty_months: int = Field(default=0, ge=0, le=240)
    reorder_point: int = Field(default=0, ge=0, le=10_000_000)
    reorder_quantity: int = Field(default=0, ge=0, le=10_000_000)
    preferred_supplier_id: uuid.UUID | None = None
    active: bool = True


class ProductOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    sku: str
    name: str
    unit: str
    list_price: Decimal
    standard_cost: Decimal
    currency: str
    tax_rate: Decimal
    product_type: str
    warranty_months: int
    reorder_point: int
    reorder_quantity: int
    preferred_supplier_id: uuid.UUID | None
    active: bool
    revision: int
    created_at: datetime
    updated_at: datetime
    version: int
