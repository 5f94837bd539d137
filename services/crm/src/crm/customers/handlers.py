"""ERP's billing and credit facts: the customer's financial summary and timeline."""

import uuid
from datetime import UTC, datetime, time

from contracts.envelope import Envelope
from contracts.events.erp import (
    CustomerCreditChanged,
    InvoiceIssued,
    InvoicePaid,
    InvoicePaymentApplied,
)
from contracts.runtime import UnitOfWork
from crm.customers import financials, timeline


async def on_invoice_issued(uow: UnitOfWork, event: InvoiceIssued, _: Envelope) -> None:
    summary = await financials.record_invoice(uow, event.account_id, event.total)
    if summary is None:
        return
    timeline.record(
        uow.session,
        summary.account_id,
        "invoice_issued",
        f"Invoice {event.invoice_number} issued: {event.total} {event.currency}, "
        f"due {event.due_on}",
        subject_type="invoice",
        subject_id=event.invoice_id,
        at=datetime.combine(event.issued_on, time(), UTC),
        source="erp",
        details={
            "order_id": str(event.order_id) if event.order_id else None,
            "total": str(event.total),
        },
    )
    await _financials_changed(uow, summary.account_id)


async def on_payment_applied(uow: UnitOfWork, event: InvoicePaymentApplied, _: Envelope) -> None:
    summary = await financials.record_payment(
        uow, event.account_id, event.amount, event.received_on
    )
    if summary is None:
        return
    timeline.record(
        uow.session,
        summary.account_id,
        "payment_received",
        f"Payment of {event.amount} applied; {event.balance_due} left on the invoice",
        subject_type="payment",
        subject_id=event.payment_id,
        at=datetime.combine(event.received_on, time(), UTC),
        source="erp",
        details={"invoice_id": str(event.invoice_id), "amount": str(event.amount)},
    )
    await _financials_changed(uow, summary.account_id)


async def on_invoice_paid(uow: UnitOfWork, event: InvoicePaid, _: Envelope) -> None:
    account = await timeline.resolve_account(uow.session, event.account_id)
    if account is None:
        return
    timeline.record(
        uow.session,
        account,
        "invoice_paid",
        f"Invoice {event.invoice_number} paid in full",
        subject_type="invoice",
        subject_id=event.invoice_id,
        at=datetime.combine(event.paid_on, time(), UTC),
        source="erp",
    )


async def on_credit_changed(uow: UnitOfWork, event: CustomerCreditChanged, _: Envelope) -> None:
    before = await timeline.resolve_account(uow.session, event.account_id)
    old = await financials.summary_for(uow.session, before) if before else None
    old_status = old.credit_status if old else None
    summary = await financials.record_credit_standing(
        uow,
        event.account_id,
        status=event.credit_status,
        limit=event.credit_limit,
        open_receivables=event.open_receivables,
        overdue=event.overdue_receivables,
        revision=event.revision,
    )
    if summary is not None and old_status != event.credit_status:
        timeline.record(
            uow.session,
            summary.account_id,
            "credit_status",
            f"Credit status {old_status} -> {event.credit_status} "
            f"(open {event.open_receivables}, overdue {event.overdue_receivables})",
            subject_type="account",
            subject_id=summary.account_id,
            source="erp",
        )
    if summary is not None:
        await _financials_changed(uow, summary.account_id)


async def _financials_changed(uow: UnitOfWork, account_id: uuid.UUID) -> None:
    """Segments filter on money: a customer may have just entered one."""
    from crm.marketing.automation import on_financials_changed

    await uow.session.flush()
    await on_financials_changed(uow, account_id)
