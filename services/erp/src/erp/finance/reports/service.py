"""The queries behind the reports: account totals for a date range, open items as of a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from erp.finance.ledger.models import JournalEntry, JournalLine, LedgerAccount
from erp.finance.money import to_cents
from erp.finance.payables.models import SupplierBill, SupplierPayment
from erp.finance.receivables.models import Invoice, PaymentAllocation
from erp.finance.reports import domain


async def account_totals(
    session: AsyncSession, *, date_from: date | None, date_to: date
) -> list[domain.AccountTotals]:
    """Debits and credits per account of the entries dated in [date_from, date_to]."""
    conditions = [JournalEntry.entry_date <= date_to]
    if date_from is not None:
        conditions.append(JournalEntry.entry_date >= date_from)
    sums = (
        select(
            JournalLine.account_code.label("code"),
            func.sum(JournalLine.debit).label("debit"),
            func.sum(JournalLine.credit).label("credit"),
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(*conditions)
        .group_by(JournalLine.account_code)
        .subquery()
    )
    rows = await session.execute(
        select(
            LedgerAccount.code, LedgerAccount.name, LedgerAccount.kind, sums.c.debit, sums.c.credit
        )
        .outerjoin(sums, sums.c.code == LedgerAccount.code)
        .order_by(LedgerAccount.code)
    )
    return [
        domain.AccountTotals(code, name, kind, _money(debit), _money(credit))
        for code, name, kind, debit, credit in rows.all()
    ]


def _money(value: object) -> Decimal:
    """A SUM over the Amount column: exact on both databases (SQLite sums scaled integers)."""
    if value is None:
        return domain.ZERO
    return (
        Decimal(int(value)) / 10_000 if isinstance(value, int) else Decimal(str(value))
    ).quantize(domain.ZERO)


async def receivables_open(session: AsyncSession, as_of: date) -> list[domain.OpenItem]:
    paid = (
        select(PaymentAllocation.invoice_id, func.sum(PaymentAllocation.amount).label("paid"))
        .where(PaymentAllocation.received_on <= as_of)
        .group_by(PaymentAllocation.invoice_id)
        .subquery()
    )
    rows = await session.execute(
        select(Invoice.account_id, Invoice.due_on, Invoice.total, paid.c.paid)
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .where(Invoice.issued_on <= as_of)
    )
    return [
        domain.OpenItem(account, due, to_cents(total - _money(paid_sum)))
        for account, due, total, paid_sum in rows.all()
    ]


async def payables_open(session: AsyncSession, as_of: date) -> list[domain.OpenItem]:
    paid = (
        select(SupplierPayment.bill_id, func.sum(SupplierPayment.amount).label("paid"))
        .where(SupplierPayment.paid_on <= as_of)
        .group_by(SupplierPayment.bill_id)
        .subquery()
    )
    rows = await session.execute(
        select(SupplierBill.supplier_id, SupplierBill.due_on, SupplierBill.amount, paid.c.paid)
        .outerjoin(paid, paid.c.bill_id == SupplierBill.id)
        .where(SupplierBill.bill_date <= as_of)
    )
    return [
        domain.OpenItem(supplier, due, to_cents(amount - _money(paid_sum)))
        for supplier, due, amount, paid_sum in rows.all()
    ]
