import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contracts.runtime.types import UtcDateTime
from erp.db import Base


class Shipment(Base):
    """Goods of one order that left one warehouse together."""

    __tablename__ = "shipments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))
    status: Mapped[str] = mapped_column(String(20), default="dispatched")
    actor: Mapped[str | None] = mapped_column(String(200))
    dispatched_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    lines: Mapped[list["ShipmentLine"]] = relationship(lazy="selectin", order_by="ShipmentLine.id")


class ShipmentLine(Base):
    """Units of one product, from one lot, in a shipment (and the ledger move that took them)."""

    __tablename__ = "shipment_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shipments.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    lot: Mapped[str | None] = mapped_column(String(64), index=True)
    stock_move_id: Mapped[int] = mapped_column(ForeignKey("stock_moves.id"))

    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),)
