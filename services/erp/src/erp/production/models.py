import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contracts.runtime.types import UtcDateTime
from erp.db import Base


class Bom(Base):
    """How one manufactured product is made: its components per unit (one BOM per product)."""

    __tablename__ = "boms"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    lines: Mapped[list["BomLine"]] = relationship(
        back_populates="bom", cascade="all, delete-orphan", lazy="selectin", order_by="BomLine.id"
    )

    __mapper_args__ = {"version_id_col": version}


class BomLine(Base):
    __tablename__ = "bom_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bom_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("boms.id", ondelete="CASCADE"))
    component_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)

    bom: Mapped[Bom] = relationship(back_populates="lines")

    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive"),
        UniqueConstraint("bom_id", "component_id"),
    )


class WorkOrder(Base):
    """An order to make a quantity of a product from its BOM: planned, released, completed."""

    __tablename__ = "work_orders"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    # Planned work orders may not know where they will be made yet; release decides.
    warehouse_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("warehouses.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    lot: Mapped[str | None] = mapped_column(String(64), unique=True)
    mrp_run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mrp_runs.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    components: Mapped[list["WorkOrderComponent"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="WorkOrderComponent.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),)


class WorkOrderComponent(Base):
    """What the work order needs of one component: the BOM as it was when it was created."""

    __tablename__ = "work_order_components"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    work_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("work_orders.id", ondelete="CASCADE"), index=True
    )
    component_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)  # for the whole work order

    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),)


class LotConsumption(Base):
    """Genealogy: a component lot consumed by a work order, whose output is ``finished_lot``."""

    __tablename__ = "lot_consumptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    work_order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("work_orders.id"), index=True)
    finished_lot: Mapped[str] = mapped_column(String(64), index=True)
    component_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    lot: Mapped[str | None] = mapped_column(String(64))  # None: stock booked without a lot
    quantity: Mapped[int] = mapped_column(Integer)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))

    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive"),
        Index("ix_lot_consumptions_component_lot", "component_id", "lot"),
    )


class MrpRun(Base):
    """One planning run and what it proposed (kept for review of the plan)."""

    __tablename__ = "mrp_runs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    actor: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    planned_work_orders: Mapped[int] = mapped_column(Integer, default=0)
    planned_requisitions: Mapped[int] = mapped_column(Integer, default=0)
    lines: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
