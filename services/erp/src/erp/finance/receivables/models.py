"""Customers as finance knows them, the orders it will invoice, invoices and payments."""

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from contracts.runtime.types import Amount, UtcDateTime
from erp.db import Base


class Customer(Base):
    """A CRM account, for invoicing and credit control (from AccountRegistered)."""

    __tablename__ = "customers"

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str | None] = mapped_column(String(100))
    credit_limit: Mapped[Decimal | None] = mapped_column(Amount)  # None: no limit
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    merged_into: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    credit_revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("credit_limit IS NULL OR credit_limit >= 0", name="limit_not_negative"),
    )


class CustomerOrder(Base):
    """A confirmed CRM order, kept for its prices and owner until it is invoiced."""

    __tablename__ = "customer_orders"

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    order_number: Mapped[str] = mapped_column(String(30))
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    owner: Mapped[str | None] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal] = mapped_column(Amount)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, cancelled
    confirmed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CustomerOrderLine(Base):
    __tablename__ = "customer_order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer_orders.order_id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Amount)


class InvoiceSequence(Base):
    """The last invoice number issued in a year: numbers are gapless per year."""

    __tablename__ = "invoice_sequences"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    shipment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    owner: Mapped[str | None] = mapped_column(String(100), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    net_amount: Mapped[Decimal] = mapped_column(Amount)
    tax_amount: Mapped[Decimal] = mapped_column(Amount)
    total: Mapped[Decimal] = mapped_column(Amount)
    amount_paid: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    status: Mapped[str] = mapped_column(String(20), index=True)  # open, paid
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    due_on: Mapped[date] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        CheckConstraint("total = net_amount + tax_amount", name="total_is_net_plus_tax"),
        CheckConstraint("amount_paid >= 0 AND amount_paid <= total", name="paid_within_total"),
    )

    @property
    def balance_due(self) -> Decimal:
        return self.total - self.amount_paid


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Amount)
    tax_rate: Mapped[Decimal] = mapped_column(Amount)
    net_amount: Mapped[Decimal] = mapped_column(Amount)
    tax_amount: Mapped[Decimal] = mapped_column(Amount)
    unit_cost: Mapped[Decimal] = mapped_column(Amount)


class Payment(Base):
    """Money received from a customer, applied to one or more of its invoices."""

    __tablename__ = "payments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    amount: Mapped[Decimal] = mapped_column(Amount)
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (CheckConstraint("amount > 0", name="positive"),)


class PaymentAllocation(Base):
    __tablename__ = "payment_allocations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"), index=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"))
    amount: Mapped[Decimal] = mapped_column(Amount)
    received_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("amount > 0", name="positive"),
        UniqueConstraint("payment_id", "invoice_id"),
        Index("ix_payment_allocations_invoice", "invoice_id", "received_on"),
    )
