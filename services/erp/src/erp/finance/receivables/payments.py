"""Customer payments: applied to invoices, booked cash/AR, and releasing covered holds."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from contracts.errors import NotFound
from contracts.events.erp import InvoicePaid, InvoicePaymentApplied
from contracts.runtime import UnitOfWork
from erp.finance.credit import service as credit
from erp.finance.ledger import domain as ledger
from erp.finance.ledger import service as ledger_service
from erp.finance.money import to_cents
from erp.finance.receivables import domain
from erp.finance.receivables.customers import announce_credit, customer
from erp.finance.receivables.models import Customer, Invoice, Payment, PaymentAllocation


async def receive_payment(
    uow: UnitOfWork,
    *,
    account_id: uuid.UUID,
    amount: Decimal,
    received_on: date,
    allocations: Sequence[tuple[uuid.UUID, Decimal]] | None,
    reference: str = "",
) -> Payment:
    """Apply a customer's payment to its invoices (as told, or oldest first)."""
    session = uow.session
    if await session.get(Customer, account_id) is None:
        raise NotFound(f"customer {account_id} is not known to finance")
    payer = await customer(session, account_id)
    # One payment of a customer at a time: the invoices' balances, the credit standing and
    # its revision all move together, so a concurrent payment waits here instead of failing.
    await session.refresh(payer, with_for_update=True)
    open_invoices = list(
        (
            await session.scalars(
                select(Invoice)
                .where(Invoice.account_id == payer.account_id, Invoice.status == "open")
                .order_by(Invoice.due_on, Invoice.issued_on, Invoice.number)
                .with_for_update()
            )
        ).all()
    )
    plan = domain.allocate_payment(
        amount,
        [domain.OpenItem(i.id, i.balance_due) for i in open_invoices],
        allocations,
    )
    payment = Payment(
        id=uuid.uuid4(),
        account_id=payer.account_id,
        amount=amount,
        received_on=received_on,
        reference=reference,
        created_at=datetime.now(UTC),
    )
    session.add(payment)
    await session.flush()
    await ledger_service.post_entry(
        uow,
        ledger.customer_paid(amount),
        entry_date=received_on,
        description=f"Payment {reference or payment.id} from customer {payer.account_id}",
        source="payment",
        source_id=str(payment.id),
    )
    invoices = {i.id: i for i in open_invoices}
    for invoice_id, part in plan:
        invoice = invoices[invoice_id]
        session.add(
            PaymentAllocation(
                payment_id=payment.id, invoice_id=invoice_id, amount=part, received_on=received_on
            )
        )
        invoice.amount_paid += part
        await uow.publish(
            InvoicePaymentApplied(
                invoice_id=invoice.id,
                payment_id=payment.id,
                order_id=invoice.order_id,
                account_id=invoice.account_id,
                amount=to_cents(part),
                balance_due=to_cents(invoice.balance_due),
                received_on=received_on,
            )
        )
        if invoice.balance_due == 0:
            invoice.status, invoice.paid_on = "paid", received_on
            await uow.publish(
                InvoicePaid(
                    invoice_id=invoice.id,
                    invoice_number=invoice.number,
                    order_id=invoice.order_id,
                    account_id=invoice.account_id,
                    total=to_cents(invoice.total),
                    paid_on=received_on,
                )
            )
    await session.flush()
    await uow.audit(
        "payment",
        payment.id,
        "received",
        after={"amount": amount, "allocations": [[str(i), str(a)] for i, a in plan]},
    )
    await credit.release_covered_orders(uow, payer)
    await announce_credit(uow, payer)
    return payment
