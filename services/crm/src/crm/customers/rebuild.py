"""Rebuild the customers' financial summaries from ERP's billing and credit events.

Clear the summaries, the timeline entries those events wrote, and CRM's inbox marks of the
events, in one transaction; then have ERP replay them (``python -m erp.replay --type
InvoiceIssued --type InvoicePaymentApplied --type InvoicePaid --type CustomerCreditChanged``).
The other handlers of these events (order progress) move only forward, so replaying them
again changes nothing there.
"""

from sqlalchemy import delete

from contracts.events.erp import (
    CustomerCreditChanged,
    InvoiceIssued,
    InvoicePaid,
    InvoicePaymentApplied,
)
from contracts.runtime import Transactions
from contracts.runtime.replay import forget_applied
from crm.customers.models import FinancialSummary, TimelineEntry

FINANCIAL_EVENTS = (InvoiceIssued, InvoicePaymentApplied, InvoicePaid, CustomerCreditChanged)
# The timeline entries the customers' handlers write for those events.
_TIMELINE_KINDS = ("invoice_issued", "payment_received", "invoice_paid", "credit_status")


async def clear_financials(tx: Transactions, *, consumer: str = "crm") -> int:
    """Empty the summaries and their timeline entries, and forget which billing and credit
    events were applied; the forgotten inbox marks are counted."""
    async with tx.begin() as uow:
        await uow.session.execute(delete(FinancialSummary))
        await uow.session.execute(
            delete(TimelineEntry).where(
                TimelineEntry.source == "erp", TimelineEntry.kind.in_(_TIMELINE_KINDS)
            )
        )
        return await forget_applied(
            uow.session,
            tx.tables,
            consumer=consumer,
            event_types=[e.event_type for e in FINANCIAL_EVENTS],
        )
