"""Sales order rules: the lifecycle and the arithmetic.  Plain Python, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from contracts.errors import IllegalTransition, InvalidRequest

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Currency rounding: half up to the cent, as invoices print it."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class OrderStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    CREDIT_HOLD = "credit_hold"
    BACKORDERED = "backordered"
    RESERVED = "reserved"
    SHIPPED = "shipped"
    INVOICED = "invoiced"
    PAID = "paid"
    CANCELLED = "cancelled"


# Where an order may go from each state.  ERP's facts arrive on several topics, so the
# order's own topic is the only one ordered with it; a fact that arrives after a later one
# (say "reserved" after "shipped") is stale and ignored rather than refused: see ``advance``.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.DRAFT: frozenset({OrderStatus.CONFIRMED, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset(
        {
            OrderStatus.RESERVED,
            OrderStatus.BACKORDERED,
            OrderStatus.CREDIT_HOLD,
            OrderStatus.SHIPPED,
            OrderStatus.CANCELLED,
        }
    ),
    OrderStatus.CREDIT_HOLD: frozenset(
        {
            OrderStatus.RESERVED,
            OrderStatus.BACKORDERED,
            OrderStatus.CANCELLED,
        }
    ),
    OrderStatus.BACKORDERED: frozenset(
        {
            OrderStatus.RESERVED,
            OrderStatus.SHIPPED,
            OrderStatus.CANCELLED,
        }
    ),
    OrderStatus.RESERVED: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.INVOICED, OrderStatus.PAID}),
    OrderStatus.INVOICED: frozenset({OrderStatus.PAID}),
    OrderStatus.PAID: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

# How far along the fulfilment path each state is, for telling stale news from fresh.
PROGRESS = {
    OrderStatus.DRAFT: 0,
    OrderStatus.CONFIRMED: 1,
    OrderStatus.CREDIT_HOLD: 2,
    OrderStatus.BACKORDERED: 3,
    OrderStatus.RESERVED: 4,
    OrderStatus.SHIPPED: 5,
    OrderStatus.INVOICED: 6,
    OrderStatus.PAID: 7,
    OrderStatus.CANCELLED: 8,
}


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    """Refuse a transition a person asked for that the lifecycle does not allow."""
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(f"an order that is {current} cannot become {target}")


def advance(current: OrderStatus, target: OrderStatus) -> OrderStatus | None:
    """The state an ERP fact moves the order to, or None when the fact is stale or moot.

    Facts describe what already happened in ERP, so they are not refused; a fact that is
    behind the order's current state (it arrived late) changes nothing.
    """
    if current == OrderStatus.CANCELLED or current == target:
        return None
    if target in TRANSITIONS[current]:
        return target
    if PROGRESS[target] < PROGRESS[current]:
        return None
    # A fact that skips ahead (paid before invoiced arrived) is still true: take it.
    return target


@dataclass(frozen=True)
class LineDraft:
    quantity: int
    unit_price: Decimal
    discount_percent: Decimal = Decimal("0")
    tax_rate: Decimal = Decimal("0")


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    tax: Decimal
    gross: Decimal


def price_line(line: LineDraft) -> LineAmounts:
    """Net after discount, tax on the net, each rounded to the cent."""
    if line.quantity <= 0:
        raise InvalidRequest("quantity must be positive")
    if not Decimal(0) <= line.discount_percent <= Decimal(100):
        raise InvalidRequest("discount must be between 0 and 100 percent")
    if line.tax_rate < 0:
        raise InvalidRequest("tax rate cannot be negative")
    gross_before_discount = line.unit_price * line.quantity
    net = to_cents(gross_before_discount * (Decimal(100) - line.discount_percent) / Decimal(100))
    tax = to_cents(net * line.tax_rate)
    return LineAmounts(net=net, tax=tax, gross=net + tax)


def agreed_unit_price(net_amount: Decimal, quantity: int) -> Decimal:
    """What one unit costs after the line discount, to four places: what ERP bills per unit
    shipped (a partial shipment is billed at this price, not at the list price)."""
    return (net_amount / quantity).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def fully_paid(order_total: Decimal, invoiced: Decimal, paid: Decimal, line_count: int) -> bool:
    """Paid means every invoice paid and the whole order invoiced.  ERP bills the agreed
    unit price (four places) per shipment, so the invoices may differ from the order's
    total by up to a cent per line."""
    tolerance = CENT * max(line_count, 1)
    return paid >= invoiced and invoiced >= order_total - tolerance


class QuoteStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"


def check_quote_acceptable(status: QuoteStatus, valid_until: date, today: date) -> None:
    """Only an open quote within its validity can be accepted."""
    if status != QuoteStatus.OPEN:
        raise IllegalTransition(f"the quote is {status}; only an open quote can be accepted")
    if today > valid_until:
        raise IllegalTransition(f"the quote expired on {valid_until}; issue a new one")


def quote_state(status: QuoteStatus, valid_until: date, today: date) -> str:
    """What a reader sees: an open quote past its date shows as expired."""
    if status == QuoteStatus.OPEN and today > valid_until:
        return "expired"
    return str(status)
