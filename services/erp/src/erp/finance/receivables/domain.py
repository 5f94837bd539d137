"""Invoice arithmetic and payment allocation, as plain functions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from contracts.errors import InvalidRequest
from erp.finance.money import is_cents, to_cents

ZERO = Decimal("0")


@dataclass(frozen=True)
class PriceLine:
    """A line of the confirmed order: what the customer agreed to pay per unit."""

    product_id: uuid.UUID
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class InvoiceAmounts:
    net: Decimal
    tax: Decimal

    @property
    def total(self) -> Decimal:
        return self.net + self.tax


def line_amounts(quantity: int, unit_price: Decimal, tax_rate: Decimal) -> InvoiceAmounts:
    """Net and tax of one invoice line, each rounded to cents (tax is computed per line)."""
    net = to_cents(unit_price * quantity)
    return InvoiceAmounts(net=net, tax=to_cents(net * tax_rate))


def invoice_amounts(lines: Sequence[InvoiceAmounts]) -> InvoiceAmounts:
    return InvoiceAmounts(
        net=sum((x.net for x in lines), ZERO), tax=sum((x.tax for x in lines), ZERO)
    )


def shipped_at_order_prices(
    order_lines: Sequence[PriceLine], product_id: uuid.UUID, quantity: int
) -> list[tuple[int, Decimal]]:
    """Split a shipped quantity over the order's lines of that product, in order, so each
    unit is charged the price agreed for it: ``[(quantity, unit_price), ...]``."""
    parts: list[tuple[int, Decimal]] = []
    remaining = quantity
    candidates = [x for x in order_lines if x.product_id == product_id]
    if not candidates:
        raise InvalidRequest(f"product {product_id} was shipped but is not on the order")
    for line in candidates:
        take = min(remaining, line.quantity)
        if take > 0:
            parts.append((take, line.unit_price))
            remaining -= take
    if remaining > 0:  # more shipped than ordered: charge the last agreed price
        parts.append((remaining, candidates[-1].unit_price))
    return parts


def due_date(issued_on: date, payment_terms_days: int) -> date:
    return issued_on + timedelta(days=payment_terms_days)


def invoice_number(year: int, sequence: int) -> str:
    return f"INV-{year}-{sequence:06d}"


@dataclass(frozen=True)
class OpenItem:
    """An invoice (or bill) with money still owed on it, oldest first by (date, number)."""

    id: uuid.UUID
    balance: Decimal


class PaymentMismatch(InvalidRequest):
    title = "The payment does not match what is owed"


def allocate_payment(
    amount: Decimal,
    open_items: Sequence[OpenItem],
    requested: Sequence[tuple[uuid.UUID, Decimal]] | None = None,
) -> list[tuple[uuid.UUID, Decimal]]:
    """Apply ``amount`` to open items: as requested, or to the oldest first.

    Refused: amounts not in cents or not positive, allocations that do not add up to the
    payment, allocations to items that are not open or beyond their balance, and any
    payment larger than what is owed (there is no unapplied cash on account).
    """
    if amount <= 0 or not is_cents(amount):
        raise PaymentMismatch("a payment must be a positive amount in cents")
    balances = {item.id: item.balance for item in open_items}
    if requested is None:
        plan: list[tuple[uuid.UUID, Decimal]] = []
        remaining = amount
        for item in open_items:
            if remaining == 0:
                break
            take = min(remaining, item.balance)
            if take > 0:
                plan.append((item.id, take))
                remaining -= take
        if remaining > 0:
            raise PaymentMismatch(
                f"the payment exceeds the open balance by {remaining}",
                errors=[{"field": "body.amount", "message": "more than is owed"}],
            )
        return plan
    seen: set[uuid.UUID] = set()
    for invoice_id, part in requested:
        if invoice_id in seen:
            raise PaymentMismatch(f"invoice {invoice_id} is allocated twice")
        seen.add(invoice_id)
        if part <= 0 or not is_cents(part):
            raise PaymentMismatch("each allocation must be a positive amount in cents")
        if invoice_id not in balances:
            raise PaymentMismatch(f"invoice {invoice_id} is not open for this customer")
        if part > balances[invoice_id]:
            raise PaymentMismatch(
                f"{part} is more than the {balances[invoice_id]} due on invoice {invoice_id}"
            )
    if sum((part for _, part in requested), ZERO) != amount:
        raise PaymentMismatch(
            "the allocations do not add up to the payment",
            errors=[{"field": "body.allocations", "message": "must sum to amount"}],
        )
    return list(requested)
