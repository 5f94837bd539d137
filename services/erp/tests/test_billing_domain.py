"""Invoice arithmetic and payment allocation, without I/O."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erp.finance.receivables import domain
from erp.finance.receivables.domain import OpenItem, PaymentMismatch, PriceLine

D = Decimal


def test_tax_is_computed_per_line_and_rounded_half_up() -> None:
    # 3 x 33.335 = 100.005 -> 100.01 net; 23 % of it = 23.0023 -> 23.00
    line = domain.line_amounts(3, D("33.335"), D("0.23"))
    assert (line.net, line.tax, line.total) == (D("100.01"), D("23.00"), D("123.01"))
    # 0.5 cent rounds up, never to even
    assert domain.line_amounts(1, D("0.125"), D("0")).net == D("0.13")


def test_invoice_totals_are_the_sum_of_rounded_lines() -> None:
    lines = [domain.line_amounts(1, D("10.00"), D("0.23")) for _ in range(3)]
    assert domain.invoice_amounts(lines) == domain.InvoiceAmounts(D("30.00"), D("6.90"))


def test_a_shipped_quantity_is_charged_at_the_prices_of_its_order_lines() -> None:
    pump = uuid.uuid4()
    agreed = [PriceLine(pump, 2, D("100.00")), PriceLine(pump, 3, D("90.00"))]
    assert domain.shipped_at_order_prices(agreed, pump, 4) == [(2, D("100.00")), (2, D("90.00"))]
    with pytest.raises(Exception, match="not on the order"):
        domain.shipped_at_order_prices(agreed, uuid.uuid4(), 1)


def test_due_date_and_gapless_number_format() -> None:
    assert domain.due_date(date(2026, 11, 20), 30) == date(2026, 12, 20)
    assert domain.invoice_number(2026, 7) == "INV-2026-000007"


A, B, C = (uuid.UUID(int=n) for n in (1, 2, 3))
OPEN = [OpenItem(A, D("100.00")), OpenItem(B, D("50.00")), OpenItem(C, D("25.00"))]


def test_without_allocations_the_oldest_invoices_are_paid_first() -> None:
    assert domain.allocate_payment(D("120.00"), OPEN) == [(A, D("100.00")), (B, D("20.00"))]


def test_explicit_allocations_are_applied_as_given() -> None:
    plan = domain.allocate_payment(D("30.00"), OPEN, [(C, D("25.00")), (A, D("5.00"))])
    assert plan == [(C, D("25.00")), (A, D("5.00"))]


@pytest.mark.parametrize(
    ("amount", "requested"),
    [
        (D("175.01"), None),  # more than is owed
        (D("0"), None),
        (D("10.001"), None),
        (D("30.00"), [(C, D("26.00")), (A, D("4.00"))]),  # beyond the invoice's balance
        (D("30.00"), [(A, D("20.00"))]),  # does not add up
        (D("30.00"), [(uuid.UUID(int=9), D("30.00"))]),  # not an open invoice
        (D("30.00"), [(A, D("15.00")), (A, D("15.00"))]),  # twice
    ],
)
def test_payments_that_do_not_match_what_is_owed_are_refused(
    amount: Decimal, requested: list[tuple[uuid.UUID, Decimal]] | None
) -> None:
    with pytest.raises(PaymentMismatch):
        domain.allocate_payment(amount, OPEN, requested)


@given(
    balances=st.lists(
        st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2), min_size=1, max_size=8
    ),
    share=st.integers(min_value=0, max_value=100),
)
@settings(max_examples=60)
def test_oldest_first_allocation_pays_exactly_the_amount_within_balances(
    balances: list[Decimal], share: int
) -> None:
    items = [OpenItem(uuid.UUID(int=i + 1), b) for i, b in enumerate(balances)]
    owed = sum(balances, D(0))
    amount = max(D("0.01"), (owed * share / 100).quantize(D("0.01")))
    amount = min(amount, owed)
    plan = domain.allocate_payment(amount, items)
    assert sum((part for _, part in plan), D(0)) == amount
    limits = {i.id: i.balance for i in items}
    assert all(0 < part <= limits[i] for i, part in plan)
    # every invoice before the last touched one is paid in full
    for invoice_id, part in plan[:-1]:
        assert part == limits[invoice_id]
