import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict


class ShipmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: uuid.UUID


class ShipmentLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    sku: str
    quantity: int
    lot: str | None


class ShipmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    order_id: uuid.UUID
    warehouse_id: uuid.UUID
    status: str
    actor: str | None
    dispatched_at: datetime
    lines: list[ShipmentLineOut]
