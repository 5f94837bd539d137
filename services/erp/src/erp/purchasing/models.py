import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contracts.runtime.types import Amount, UtcDateTime
from erp.db import Base


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    lead_time_days: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class PurchaseRequisition(Base):
    """A request to buy a product, raised when stock runs low or an order is backordered."""

    __tablename__ = "purchase_requisitions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))  # reorder_point, backorder
    status: Mapped[str] = mapped_column(String(20), index=True)  # open, converted, cancelled
    purchase_order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("purchase_orders.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive"),
        Index("ix_purchase_requisitions_product_status", "product_id", "status"),
    )


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("suppliers.id"), index=True)
    # draft, sent, partially_received, received, cancelled
    status: Mapped[str] = mapped_column(String(20), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    expected_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    lines: Mapped[list["PurchaseOrderLine"]] = relationship(
        lazy="selectin", order_by="PurchaseOrderLine.id"
    )

    __mapper_args__ = {"version_id_col": version}


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    purchase_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id"), index=True
    )
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer, default=0)
    unit_cost: Mapped[Decimal] = mapped_column(Amount)

    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive"),
        CheckConstraint("received >= 0 AND received <= quantity", name="received_within"),
    )


class PurchaseOrderLink(Base):
    """A customer order whose backorders the purchase order will fill."""

    __tablename__ = "purchase_order_links"

    purchase_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id"), primary_key=True
    )
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)


class GoodsReceipt(Base):
    """Goods of one purchase order that arrived at one warehouse."""

    __tablename__ = "goods_receipts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    purchase_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id"), index=True
    )
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))
    actor: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    lines: Mapped[list["GoodsReceiptLine"]] = relationship(
        lazy="selectin", order_by="GoodsReceiptLine.id"
    )

    __table_args__ = (
        Index("ix_goods_receipts_purchase_order_received", "purchase_order_id", "received_at"),
    )


class GoodsReceiptLine(Base):
    __tablename__ = "goods_receipt_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    receipt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("goods_receipts.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    lot: Mapped[str | None] = mapped_column(String(64), index=True)
    stock_move_id: Mapped[int] = mapped_column(ForeignKey("stock_moves.id"))

    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),)
