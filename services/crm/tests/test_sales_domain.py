"""Order lifecycle and pricing rules (no I/O)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.errors import IllegalTransition, InvalidRequest
from crm.sales.domain import (
    TRANSITIONS,
    LineDraft,
    OrderStatus,
    advance,
    check_transition,
    price_line,
)


def test_a_line_is_discounted_then_taxed_and_rounded_to_the_cent() -> None:
    amounts = price_line(
        LineDraft(
            quantity=3,
            unit_price=Decimal("19.99"),
            discount_percent=Decimal("10"),
            tax_rate=Decimal("0.23"),
        )
    )
    assert amounts.net == Decimal("53.97")  # 59.97 - 10 % = 53.973
    assert amounts.tax == Decimal("12.41")  # 23 % of 53.97 = 12.4131
    assert amounts.gross == Decimal("66.38")


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_line_needs_a_positive_quantity(quantity: int) -> None:
    with pytest.raises(InvalidRequest):
        price_line(LineDraft(quantity=quantity, unit_price=Decimal("1")))


@given(
    quantity=st.integers(1, 10_000),
    price=st.decimals("0", "100000", places=4),
    discount=st.decimals("0", "100", places=2),
    tax=st.decimals("0", "0.5", places=4),
)
def test_line_amounts_are_whole_cents_and_add_up(
    quantity: int, price: Decimal, discount: Decimal, tax: Decimal
) -> None:
    amounts = price_line(LineDraft(quantity, price, discount, tax))
    for value in (amounts.net, amounts.tax, amounts.gross):
        assert value == value.quantize(Decimal("0.01"))
        assert value >= 0
    assert amounts.gross == amounts.net + amounts.tax
    assert amounts.net <= price * quantity + Decimal("0.005")


def test_a_paid_order_cannot_be_cancelled() -> None:
    with pytest.raises(IllegalTransition):
        check_transition(OrderStatus.PAID, OrderStatus.CANCELLED)


def test_a_late_fact_does_not_move_an_order_back() -> None:
    assert advance(OrderStatus.SHIPPED, OrderStatus.RESERVED) is None
    assert advance(OrderStatus.CANCELLED, OrderStatus.RESERVED) is None
    assert advance(OrderStatus.BACKORDERED, OrderStatus.RESERVED) == OrderStatus.RESERVED
    assert advance(OrderStatus.SHIPPED, OrderStatus.PAID) == OrderStatus.PAID


def test_every_state_is_in_the_transition_table() -> None:
    assert set(TRANSITIONS) == set(OrderStatus)
