import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from contracts.runtime.types import Amount, UtcDateTime
from erp.db import Base


class SupplierBill(Base):
    """A supplier's invoice for goods received: it turns the GRNI accrual into a payable."""

    __tablename__ = "supplier_bills"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    supplier_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    supplier_reference: Mapped[str] = mapped_column(String(100))
    purchase_order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    amount: Mapped[Decimal] = mapped_column(Amount)
    amount_paid: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    status: Mapped[str] = mapped_column(String(20), index=True)  # open, paid
    bill_date: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    __table_args__ = (
        UniqueConstraint("supplier_id", "supplier_reference"),
        CheckConstraint("amount > 0", name="positive"),
        CheckConstraint("amount_paid >= 0 AND amount_paid <= amount", name="paid_within_amount"),
    )


class SupplierPayment(Base):
    __tablename__ = "supplier_payments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    bill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supplier_bills.id"), index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    amount: Mapped[Decimal] = mapped_column(Amount)
    paid_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    __table_args__ = (CheckConstraint("amount > 0", name="positive"),)
