import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator


class BomLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    component_id: uuid.UUID
    quantity: int = Field(gt=0, le=1_000_000, description="Units of the component per unit.")


class BomLinesIn(BaseModel):
    """The components of a BOM (on its own: a replacement of them)."""

    model_config = ConfigDict(extra="forbid")

    lines: list[BomLineIn] = Field(min_length=1, max_length=200)

    @field_validator("lines")
    @classmethod
    def _components_once(cls, lines: list[BomLineIn]) -> list[BomLineIn]:
        ids = [line.component_id for line in lines]
        if len(set(ids)) != len(ids):
            raise ValueError("each component may appear once; add up its quantities")
        return lines


class BomIn(BomLinesIn):
    product_id: uuid.UUID = Field(description="The manufactured product this BOM makes.")


class BomLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    component_id: uuid.UUID
    quantity: int


class BomOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    product_id: uuid.UUID
    lines: list[BomLineOut]
    created_at: datetime
    updated_at: datetime
    version: int


class RequirementOut(BaseModel):
    product_id: uuid.UUID
    sku: str
    quantity: int
    manufactured: bool


class ExplosionOut(BaseModel):
    """Everything, at every level, that making ``quantity`` of the product needs."""

    product_id: uuid.UUID
    quantity: int
    requirements: list[RequirementOut]


class WorkOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID
    quantity: int = Field(gt=0, le=1_000_000)
    warehouse_id: uuid.UUID | None = Field(
        default=None, description="Where it is made; may be left to the release."
    )
    due_on: date | None = None


class ReleaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    warehouse_id: uuid.UUID | None = Field(
        default=None, description="Required unless the work order already names one."
    )


class CompleteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lot: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9._\-]+$",
        description="Lot number of the finished goods; generated when omitted.",
    )


class WorkOrderComponentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    component_id: uuid.UUID
    quantity: int


class WorkOrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    product_id: uuid.UUID
    quantity: int
    warehouse_id: uuid.UUID | None
    status: str
    due_on: date | None
    lot: str | None
    mrp_run_id: uuid.UUID | None
    components: list[WorkOrderComponentOut]
    created_at: datetime
    released_at: datetime | None
    completed_at: datetime | None
    version: int


class MrpRunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    warehouse_id: uuid.UUID | None = Field(
        default=None, description="Where the planned work orders will be made, if known."
    )


class MrpLineOut(BaseModel):
    product_id: uuid.UUID
    sku: str
    action: str = Field(description="make (a work order), buy (a requisition) or no_bom.")
    quantity: int
    net_requirement: int
    work_order_id: uuid.UUID | None = None
    requisition_id: uuid.UUID | None = None


class MrpRunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    started_at: datetime
    actor: str | None
    planned_work_orders: int
    planned_requisitions: int
    lines: list[MrpLineOut]


class TraceProductOut(BaseModel):
    id: uuid.UUID
    sku: str
    name: str


class SupplierReceiptOut(BaseModel):
    """One booking-in of the lot; supplier and purchase order when it came from one."""

    received_at: datetime
    quantity: int
    warehouse_id: uuid.UUID
    kind: str
    reference: str
    receipt_id: uuid.UUID | None
    purchase_order_id: uuid.UUID | None
    purchase_order_number: str | None
    supplier_id: uuid.UUID | None
    supplier_name: str | None


class LotShipmentOut(BaseModel):
    shipment_id: uuid.UUID
    shipment_number: str
    order_id: uuid.UUID
    quantity: int
    shipped_at: datetime


class LotUsageOut(BaseModel):
    """A work order that consumed the lot, and the lot it made (where-used)."""

    work_order_id: uuid.UUID
    work_order_number: str
    product_id: uuid.UUID
    finished_lot: str | None
    quantity: int


class ComponentLotOut(BaseModel):
    product: TraceProductOut
    lot: str | None = Field(description="Null: taken from stock booked without a lot.")
    quantity: int
    trace: "LotTraceOut | None"


class WorkOrderTraceOut(BaseModel):
    id: uuid.UUID
    number: str
    quantity: int
    warehouse_id: uuid.UUID | None
    completed_at: datetime | None
    components: list[ComponentLotOut]


class LotTraceOut(BaseModel):
    """A lot's genealogy: where it came from and where it went."""

    lot: str
    product: TraceProductOut
    origin: str = Field(description="production, purchase, receipt or unknown.")
    work_order: WorkOrderTraceOut | None
    receipts: list[SupplierReceiptOut]
    shipments: list[LotShipmentOut]
    used_in: list[LotUsageOut]


ComponentLotOut.model_rebuild()
