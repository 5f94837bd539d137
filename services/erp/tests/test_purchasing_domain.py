"""Purchasing rules without I/O: when to buy and how much; purchase order states."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.errors import IllegalTransition, InvalidRequest
from erp.purchasing.domain import (
    check_receipt,
    check_transition,
    replenishment_need,
    status_after_receipt,
)

counts = st.integers(0, 500)


@given(
    available=counts,
    backordered=counts,
    on_order=counts,
    requested=counts,
    reorder_point=counts,
    reorder_quantity=counts,
)
def test_after_requesting_the_need_the_projection_reaches_the_reorder_point(
    available: int,
    backordered: int,
    on_order: int,
    requested: int,
    reorder_point: int,
    reorder_quantity: int,
) -> None:
    args = {
        "available": available,
        "backordered": backordered,
        "on_order": on_order,
        "reorder_point": reorder_point,
        "reorder_quantity": reorder_quantity,
    }
    need = replenishment_need(requested=requested, **args)
    assert need >= 0
    projected = available - backordered + on_order + requested
    if projected >= reorder_point:
        assert need == 0
    else:
        assert need >= reorder_quantity
        assert projected + need >= reorder_point
        # Asking again with the need requested asks nothing more: no duplicates.
        assert replenishment_need(requested=requested + need, **args) == 0


def test_a_backorder_without_cover_is_bought_even_with_no_reorder_point() -> None:
    need = replenishment_need(
        available=0, backordered=3, on_order=0, requested=0, reorder_point=0, reorder_quantity=0
    )
    assert need == 3


def test_stock_at_the_reorder_point_is_enough() -> None:
    need = replenishment_need(
        available=5, backordered=0, on_order=0, requested=0, reorder_point=5, reorder_quantity=9
    )
    assert need == 0


@pytest.mark.parametrize(
    ("status", "target"),
    [("draft", "sent"), ("draft", "cancelled"), ("sent", "received"), ("sent", "cancelled")],
)
def test_allowed_transitions(status: str, target: str) -> None:
    check_transition(status, target)


@pytest.mark.parametrize(
    ("status", "target"),
    [("received", "cancelled"), ("cancelled", "sent"), ("draft", "received"), ("sent", "sent")],
)
def test_refused_transitions(status: str, target: str) -> None:
    with pytest.raises(IllegalTransition):
        check_transition(status, target)


def test_a_receipt_completes_the_order_only_when_every_line_is_in() -> None:
    assert status_after_receipt({1: (5, 5), 2: (3, 3)}) == "received"
    assert status_after_receipt({1: (5, 5), 2: (3, 1)}) == "partially_received"


def test_a_receipt_may_not_bring_more_or_other_goods_than_ordered() -> None:
    check_receipt({"pump": 5}, {"pump": 5})
    with pytest.raises(InvalidRequest) as too_much:
        check_receipt({"pump": 5}, {"pump": 6})
    with pytest.raises(InvalidRequest) as other:
        check_receipt({"pump": 5}, {"valve": 1})
    assert "6 received, 5 due" in too_much.value.errors[0]["message"]
    assert "not on the order" in other.value.errors[0]["message"]
