import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from contracts.runtime.types import UtcDateTime
from erp.db import Base


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StockMove(Base):
    """One immutable line of the stock ledger.  On hand is the sum of a product's moves."""

    __tablename__ = "stock_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))
    quantity: Mapped[int] = mapped_column(Integer)  # signed: receipts in, shipments out
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(100), default="")
    lot: Mapped[str | None] = mapped_column(String(64), index=True)
    actor: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        CheckConstraint("quantity <> 0", name="nonzero"),
        Index("ix_stock_moves_product_at", "product_id", "id"),
    )


class StockLevel(Base):
    """The checked balance of one product in one warehouse, kept with every move.

    The database itself refuses a negative balance or more reserved than on hand, so no bug
    or race can sell stock twice.
    """

    __tablename__ = "stock_levels"

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
        Index("ix_stock_levels_warehouse_product", "warehouse_id", "product_id"),
    )


class StockLot(Base):
    """The checked balance of one lot of a product in one warehouse, kept with every move.

    Stock received without a lot number is kept under the empty lot ``""``.  ``sequence`` is
    the ledger id of the lot's first receipt here, so picking by it is first in, first out
    (and, one move creating at most one lot row, it tells the rows apart).  The lots of a
    product in a warehouse always add up to its ``StockLevel.on_hand``.
    """

    __tablename__ = "stock_lots"

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    lot: Mapped[str] = mapped_column(String(64), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    sequence: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        Index("ix_stock_lots_fifo", "product_id", "warehouse_id", "sequence"),
        Index("ix_stock_lots_sequence", "sequence"),
        Index("ix_stock_lots_lot", "lot", "sequence"),
    )


class Reservation(Base):
    """Stock held for one line of one order in one warehouse."""

    __tablename__ = "reservations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, released, shipped
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),)


class Backorder(Base):
    """What an order still lacks of a product; filled oldest first as stock arrives."""

    __tablename__ = "backorders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    requested: Mapped[int] = mapped_column(Integer)
    missing: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, filled, cancelled
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        CheckConstraint("missing >= 0", name="missing_not_negative"),
        Index("ix_backorders_open", "product_id", "status", "id"),
    )


class FulfilmentOrder(Base):
    """ERP's record of a CRM order it was asked to fulfil (one row per order id)."""

    __tablename__ = "fulfilment_orders"

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    order_number: Mapped[str] = mapped_column(String(30), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    owner: Mapped[str | None] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
