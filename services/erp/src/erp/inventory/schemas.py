import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class WarehouseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_\-]+$", examples=["WAW"])
    name: str = Field(min_length=1, max_length=200, examples=["Warsaw central"])


class WarehouseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    created_at: datetime


class ReceiptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID
    warehouse_id: uuid.UUID
    quantity: int = Field(gt=0, le=10_000_000)
    lot: str | None = Field(default=None, max_length=64)
    reference: str = Field(default="", max_length=100)


class AdjustmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID
    warehouse_id: uuid.UUID
    quantity: int = Field(ge=-10_000_000, le=10_000_000, description="Signed; not zero.")
    reason: str = Field(min_length=1, max_length=100)
    lot: str | None = Field(
        default=None, max_length=64, description="Counted lot; oldest lots first if absent."
    )


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID
    from_warehouse_id: uuid.UUID
    to_warehouse_id: uuid.UUID
    quantity: int = Field(gt=0, le=10_000_000)
    lot: str | None = Field(
        default=None, max_length=64, description="Move this lot; oldest lots first if absent."
    )
    reference: str = Field(default="", max_length=100)


class StockLotOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    warehouse_id: uuid.UUID
    lot: str | None
    on_hand: int


class StockMoveOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    product_id: uuid.UUID
    warehouse_id: uuid.UUID
    quantity: int
    kind: str
    reference: str
    lot: str | None
    actor: str | None
    at: datetime


class StockLevelOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    warehouse_id: uuid.UUID
    on_hand: int
    reserved: int
    available: int


class ReservationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    warehouse_id: uuid.UUID
    quantity: int
    status: str
    created_at: datetime


class BackorderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    requested: int
    missing: int
    status: str
    created_at: datetime


class ShippedOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    sku: str
    quantity: int
    lot: str | None


class OrderShipmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    warehouse_id: uuid.UUID
    status: str
    dispatched_at: datetime
    lines: list[ShippedOut]


class IncomingOut(BaseModel):
    """A purchase order that will fill the order's backorders."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    status: str
    expected_on: date | None


class FulfilmentOut(BaseModel):
    """What ERP did with one CRM order."""

    order_id: uuid.UUID
    order_number: str
    account_id: uuid.UUID
    status: str
    reservations: list[ReservationOut]
    backorders: list[BackorderOut]
    shipments: list[OrderShipmentOut] = []
    purchase_orders: list[IncomingOut] = []
