"""The customer's financial summary, kept from ERP's billing and credit events.

Counters only grow by events the inbox lets through once, so replays do not double them;
the credit standing carries ERP's revision so a late copy never overwrites a newer one.
Money arriving before its invoice (topics are not ordered together) briefly shows a
negative outstanding, which the invoice event then corrects.
"""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.runtime import UnitOfWork
from crm.customers.models import Account, FinancialSummary
from crm.sales.domain import to_cents

ZERO = Decimal("0.00")


async def summary_for(session: AsyncSession, account_id: uuid.UUID) -> FinancialSummary:
    """The summary, or an all-zero one for a customer ERP has not billed yet (not saved)."""
    found = await session.get(FinancialSummary, account_id)
    return found or _empty(account_id)


async def _tracked(uow: UnitOfWork, account_id: uuid.UUID) -> FinancialSummary | None:
    account = await uow.session.get(Account, account_id)
    if account is None:
        return None  # not one of ours
    # Facts about a merged account count for the account that absorbed it.
    target = account.merged_into_id or account.id
    summary = await uow.session.get(FinancialSummary, target)
    if summary is None:
        summary = _empty(target)
        uow.session.add(summary)
    summary.updated_at = datetime.now(UTC)
    return summary


def _empty(account_id: uuid.UUID) -> FinancialSummary:
    return FinancialSummary(
        account_id=account_id,
        total_invoiced=ZERO,
        total_paid=ZERO,
        outstanding=ZERO,
        invoice_count=0,
        credit_status="ok",
        credit_revision=0,
        updated_at=datetime.now(UTC),
    )


async def record_invoice(
    uow: UnitOfWork, account_id: uuid.UUID, total: Decimal
) -> FinancialSummary | None:
    summary = await _tracked(uow, account_id)
    if summary is not None:
        summary.total_invoiced = to_cents(summary.total_invoiced + total)
        summary.outstanding = to_cents(summary.outstanding + total)
        summary.invoice_count += 1
    return summary


async def record_payment(
    uow: UnitOfWork, account_id: uuid.UUID, amount: Decimal, received_on: date
) -> FinancialSummary | None:
    summary = await _tracked(uow, account_id)
    if summary is not None:
        summary.total_paid = to_cents(summary.total_paid + amount)
        summary.outstanding = to_cents(summary.outstanding - amount)
        if summary.last_payment_on is None or received_on >= summary.last_payment_on:
            summary.last_payment_on = received_on
            summary.last_payment_amount = to_cents(amount)
    return summary


async def record_credit_standing(
    uow: UnitOfWork,
    account_id: uuid.UUID,
    *,
    status: str,
    limit: Decimal | None,
    open_receivables: Decimal,
    overdue: Decimal,
    revision: int,
) -> FinancialSummary | None:
    summary = await _tracked(uow, account_id)
    if summary is None or summary.credit_revision >= revision:
        return None
    summary.credit_status = status
    summary.credit_limit = None if limit is None else to_cents(limit)
    summary.open_receivables = to_cents(open_receivables)
    summary.overdue_receivables = to_cents(overdue)
    summary.credit_revision = revision
    return summary
