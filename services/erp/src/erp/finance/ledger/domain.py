"""The rules of double entry, as plain functions: what each business event posts.

A posting rule turns a business fact into journal lines; ``balanced`` is the one gate every
entry passes, so no rule (and no finance user) can put an unbalanced entry on the books.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contracts.errors import InvalidRequest
from erp.finance.money import is_cents

ZERO = Decimal("0")

# The default chart: the accounts the posting rules use (editable names; codes are fixed).
CASH = "1000"
RECEIVABLES = "1100"
INVENTORY = "1200"
PAYABLES = "2000"
GOODS_RECEIVED_NOT_INVOICED = "2100"
TAX_PAYABLE = "2200"
EQUITY = "3000"
RETAINED_EARNINGS = "3100"
REVENUE = "4000"
COST_OF_GOODS_SOLD = "5000"
OPERATING_EXPENSES = "6000"

DEFAULT_CHART: tuple[tuple[str, str, str], ...] = (
    (CASH, "Cash at bank", "asset"),
    (RECEIVABLES, "Accounts receivable", "asset"),
    (INVENTORY, "Inventory", "asset"),
    (PAYABLES, "Accounts payable", "liability"),
    (GOODS_RECEIVED_NOT_INVOICED, "Goods received not invoiced", "liability"),
    (TAX_PAYABLE, "Sales tax payable", "liability"),
    (EQUITY, "Owner's equity", "equity"),
    (RETAINED_EARNINGS, "Retained earnings", "equity"),
    (REVENUE, "Sales revenue", "revenue"),
    (COST_OF_GOODS_SOLD, "Cost of goods sold", "expense"),
    (OPERATING_EXPENSES, "Operating expenses", "expense"),
)
SYSTEM_ACCOUNTS = frozenset(code for code, _, _ in DEFAULT_CHART)
ACCOUNT_KINDS = ("asset", "liability", "equity", "revenue", "expense")
DEBIT_NORMAL = frozenset({"asset", "expense"})


class UnbalancedEntry(InvalidRequest):
    title = "The journal entry does not balance"


@dataclass(frozen=True)
class Posting:
    """One line of a journal entry: an amount on the debit or the credit side of an account."""

    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO


def debit(account: str, amount: Decimal) -> Posting:
    return Posting(account, debit=amount)


def credit(account: str, amount: Decimal) -> Posting:
    return Posting(account, credit=amount)


def balanced(lines: Iterable[Posting]) -> list[Posting]:
    """The lines of a valid entry (zero lines dropped), or ``UnbalancedEntry``."""
    kept = [line for line in lines if line.debit or line.credit]
    for line in kept:
        if line.debit < 0 or line.credit < 0 or (line.debit and line.credit):
            raise UnbalancedEntry(
                f"a line on {line.account} must carry one positive amount, debit or credit"
            )
        if not (is_cents(line.debit) and is_cents(line.credit)):
            raise UnbalancedEntry(f"a line on {line.account} has fractions of a cent")
    if len(kept) < 2:
        raise UnbalancedEntry("an entry needs at least two non-zero lines")
    debits = sum((line.debit for line in kept), ZERO)
    credits = sum((line.credit for line in kept), ZERO)
    if debits != credits:
        raise UnbalancedEntry(f"debits {debits} do not equal credits {credits}")
    return kept


def total(lines: Sequence[Posting]) -> Decimal:
    return sum((line.debit for line in lines), ZERO)


def reversal(lines: Sequence[Posting]) -> list[Posting]:
    """The entry that cancels ``lines``: every debit becomes a credit and vice versa."""
    return [Posting(line.account, debit=line.credit, credit=line.debit) for line in lines]


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# --- posting rules: one per business event -------------------------------------------------


def invoice_issued(net: Decimal, tax: Decimal) -> list[Posting]:
    """The customer owes net plus tax: revenue earned, tax owed to the authority."""
    return balanced([debit(RECEIVABLES, net + tax), credit(REVENUE, net), credit(TAX_PAYABLE, tax)])


def goods_shipped(cost: Decimal) -> list[Posting]:
    """Shipped goods leave inventory and become the cost of the sale, at standard cost."""
    return balanced([debit(COST_OF_GOODS_SOLD, cost), credit(INVENTORY, cost)])


def goods_received(cost: Decimal) -> list[Posting]:
    """Received goods enter inventory; the supplier's bill is still to come (accrual)."""
    return balanced([debit(INVENTORY, cost), credit(GOODS_RECEIVED_NOT_INVOICED, cost)])


def supplier_billed(amount: Decimal) -> list[Posting]:
    """The supplier's bill turns the accrual into a payable."""
    return balanced([debit(GOODS_RECEIVED_NOT_INVOICED, amount), credit(PAYABLES, amount)])


def customer_paid(amount: Decimal) -> list[Posting]:
    return balanced([debit(CASH, amount), credit(RECEIVABLES, amount)])


def supplier_paid(amount: Decimal) -> list[Posting]:
    return balanced([debit(PAYABLES, amount), credit(CASH, amount)])
