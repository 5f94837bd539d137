"""The general ledger's tables.

Balance and immutability are checked by the database too: an entry's header carries its
debit and credit totals under a CHECK that they are equal, every line carries exactly one
positive side, and the migration adds triggers refusing UPDATE and DELETE of posted entries.
"""

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from contracts.runtime.types import Amount, UtcDateTime
from erp.db import Base


class LedgerAccount(Base):
    """One account of the chart."""

    __tablename__ = "ledger_accounts"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # asset, liability, equity, revenue, expense
    system: Mapped[bool] = mapped_column(Boolean, default=False)  # used by the posting rules
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(
            "kind IN ('asset', 'liability', 'equity', 'revenue', 'expense')", name="kind"
        ),
    )


class JournalEntry(Base):
    """A posted, balanced, immutable journal entry.  ``(source, source_id)`` is unique, so a
    business fact is posted once and an entry is reversed at most once."""

    __tablename__ = "journal_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_date: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[str] = mapped_column(String(64))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))
    total_debit: Mapped[Decimal] = mapped_column(Amount)
    total_credit: Mapped[Decimal] = mapped_column(Amount)
    actor: Mapped[str | None] = mapped_column(String(200))
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        CheckConstraint("total_debit = total_credit AND total_debit > 0", name="balanced"),
    )


class JournalLine(Base):
    __tablename__ = "journal_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    account_code: Mapped[str] = mapped_column(ForeignKey("ledger_accounts.code"))
    debit: Mapped[Decimal] = mapped_column(Amount)
    credit: Mapped[Decimal] = mapped_column(Amount)

    __table_args__ = (
        CheckConstraint(
            "(debit > 0 AND credit = 0) OR (debit = 0 AND credit > 0)", name="one_side"
        ),
        Index("ix_journal_lines_account", "account_code", "entry_id"),
    )


class ClosedPeriod(Base):
    """A closed month (``YYYY-MM``): nothing may be posted with a date inside it."""

    __tablename__ = "closed_periods"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(200))
