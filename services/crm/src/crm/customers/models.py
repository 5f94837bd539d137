import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from contracts.runtime.types import Amount, UtcDateTime
from crm.db import Base


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # The name reduced for duplicate detection ("ACME, Inc." and "acme inc" are one key).
    name_key: Mapped[str | None] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    region: Mapped[str | None] = mapped_column(String(50), index=True)
    industry: Mapped[str | None] = mapped_column(String(100))
    tier: Mapped[str | None] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(100), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    credit_limit: Mapped[Decimal | None] = mapped_column(Amount)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Set when the account was merged into another; merged accounts are hidden from lists.
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Contact(Base):
    """A person at a customer account."""

    __tablename__ = "contacts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), index=True)
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(String(100))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class TimelineEntry(Base):
    """One thing that happened with a customer, in CRM or (as CRM learnt it) in ERP."""

    __tablename__ = "timeline_entries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    summary: Mapped[str] = mapped_column(String(500))
    subject_type: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    source: Mapped[str] = mapped_column(String(10), default="crm")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FinancialSummary(Base):
    """What ERP's billing and credit events say about a customer's money."""

    __tablename__ = "financial_summaries"

    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    total_invoiced: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    total_paid: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    outstanding: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    invoice_count: Mapped[int] = mapped_column(Integer, default=0)
    last_payment_on: Mapped[date | None] = mapped_column(Date)
    last_payment_amount: Mapped[Decimal | None] = mapped_column(Amount)
    credit_status: Mapped[str] = mapped_column(String(20), default="ok")
    credit_limit: Mapped[Decimal | None] = mapped_column(Amount)
    open_receivables: Mapped[Decimal | None] = mapped_column(Amount)
    overdue_receivables: Mapped[Decimal | None] = mapped_column(Amount)
    credit_revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
