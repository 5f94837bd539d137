"""The purchasing side of the books: goods received, supplier bills, supplier payments."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from contracts.errors import Conflict, InvalidRequest, NotFound
from contracts.events.erp import GoodsReceived
from contracts.runtime import UnitOfWork
from erp.catalog.models import Product
from erp.finance.ledger import domain as ledger
from erp.finance.ledger import service as ledger_service
from erp.finance.ledger.models import JournalEntry
from erp.finance.money import is_cents, to_cents
from erp.finance.payables.models import SupplierBill, SupplierPayment


async def book_goods_received(uow: UnitOfWork, event: GoodsReceived) -> JournalEntry | None:
    """Received goods enter inventory at standard cost against the GRNI accrual (once)."""
    session = uow.session
    posted = await session.scalar(
        select(JournalEntry).where(
            JournalEntry.source == "goods_receipt",
            JournalEntry.source_id == str(event.receipt_id),
        )
    )
    if posted is not None:
        return posted
    cost = ledger.ZERO
    for line in event.lines:
        product = await session.get(Product, line.product_id)
        if product is None:
            raise NotFound(f"received product {line.sku} does not exist")
        cost += product.standard_cost * line.quantity
    cost = to_cents(cost)
    if cost == 0:
        return None  # nothing of value received (no standard cost): nothing to book
    return await ledger_service.post_entry(
        uow,
        ledger.goods_received(cost),
        entry_date=await ledger_service.open_posting_date(
            session, event.received_at.astimezone(UTC).date()
        ),
        description=f"Goods received on purchase order {event.purchase_order_id}",
        source="goods_receipt",
        source_id=str(event.receipt_id),
    )


def _positive_cents(amount: Decimal, field: str) -> None:
    if amount <= 0 or not is_cents(amount):
        raise InvalidRequest(
            "an amount must be positive and in cents",
            errors=[{"field": f"body.{field}", "message": "positive, at most 2 decimals"}],
        )


async def record_supplier_bill(
    uow: UnitOfWork,
    *,
    supplier_id: uuid.UUID,
    supplier_reference: str,
    purchase_order_id: uuid.UUID | None,
    amount: Decimal,
    bill_date: date,
    due_on: date,
) -> SupplierBill:
    """A supplier billed goods already received: GRNI becomes a payable."""
    _positive_cents(amount, "amount")
    if due_on < bill_date:
        raise InvalidRequest(
            "a bill cannot fall due before its date",
            errors=[{"field": "body.due_on", "message": "on or after bill_date"}],
        )
    if await uow.session.scalar(
        select(SupplierBill.id).where(
            SupplierBill.supplier_id == supplier_id,
            SupplierBill.supplier_reference == supplier_reference,
        )
    ):
        raise Conflict(f"bill {supplier_reference} of this supplier is already recorded")
    bill = SupplierBill(
        id=uuid.uuid4(),
        supplier_id=supplier_id,
        supplier_reference=supplier_reference,
        purchase_order_id=purchase_order_id,
        amount=amount,
        amount_paid=to_cents(0),
        status="open",
        bill_date=bill_date,
        due_on=due_on,
        created_at=datetime.now(UTC),
    )
    uow.session.add(bill)
    await uow.session.flush()
    await ledger_service.post_entry(
        uow,
        ledger.supplier_billed(amount),
        entry_date=bill_date,
        description=f"Supplier bill {supplier_reference}",
        source="supplier_bill",
        source_id=str(bill.id),
    )
    await uow.audit("supplier_bill", bill.id, "recorded", after={"amount": amount})
    return bill


async def pay_supplier(
    uow: UnitOfWork, *, bill_id: uuid.UUID, amount: Decimal, paid_on: date
) -> SupplierPayment:
    """Pay (part of) a supplier bill: AP down, cash out."""
    _positive_cents(amount, "amount")
    bill = await uow.session.get(SupplierBill, bill_id, with_for_update=True)
    if bill is None:
        raise NotFound(f"supplier bill {bill_id} does not exist")
    if amount > bill.amount - bill.amount_paid:
        raise InvalidRequest(
            f"{amount} is more than the {bill.amount - bill.amount_paid} still owed",
            errors=[{"field": "body.amount", "message": "more than is owed"}],
        )
    payment = SupplierPayment(
        id=uuid.uuid4(),
        bill_id=bill.id,
        supplier_id=bill.supplier_id,
        amount=amount,
        paid_on=paid_on,
        created_at=datetime.now(UTC),
    )
    uow.session.add(payment)
    bill.amount_paid += amount
    if bill.amount_paid == bill.amount:
        bill.status = "paid"
    await uow.session.flush()
    await ledger_service.post_entry(
        uow,
        ledger.supplier_paid(amount),
        entry_date=paid_on,
        description=f"Payment of supplier bill {bill.supplier_reference}",
        source="supplier_payment",
        source_id=str(payment.id),
    )
    await uow.audit("supplier_payment", payment.id, "paid", after={"amount": amount})
    return payment
