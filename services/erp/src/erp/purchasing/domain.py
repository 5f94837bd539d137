"""Purchasing rules: when to buy, how much, and how a purchase order moves.  No I/O."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from contracts.errors import IllegalTransition, InvalidRequest

K = TypeVar("K", bound=Hashable)

OPEN_PURCHASE_ORDER = ("draft", "sent", "partially_received")

_TRANSITIONS = {
    "draft": {"sent", "cancelled"},
    "sent": {"partially_received", "received", "cancelled"},
    "partially_received": {"partially_received", "received"},
}


def replenishment_need(
    *,
    available: int,
    backordered: int,
    on_order: int,
    requested: int,
    reorder_point: int,
    reorder_quantity: int,
) -> int:
    """How many more units to request now (0: nothing).

    The projection counts what is free, minus what customers wait for (backorders), plus what
    is already on its way (open purchase orders) or asked for (open requisitions).  Below the
    reorder point (or below zero, which a backorder without cover means), request the reorder
    quantity, or more if that would not even cover the gap.
    """
    projected = available - backordered + on_order + requested
    if projected >= reorder_point:
        return 0
    return max(reorder_quantity, reorder_point - projected)


def check_transition(status: str, target: str) -> None:
    if target not in _TRANSITIONS.get(status, set()):
        raise IllegalTransition(f"a purchase order cannot go from {status} to {target}")


def status_after_receipt(lines: Mapping[K, tuple[int, int]]) -> str:
    """``lines``: (ordered, received) per line, after the receipt."""
    if all(received >= ordered for ordered, received in lines.values()):
        return "received"
    return "partially_received"


def check_receipt(outstanding: Mapping[K, int], receiving: Mapping[K, int]) -> None:
    """Refuse products not on the order and more than is still outstanding."""
    errors = []
    for product, quantity in receiving.items():
        if product not in outstanding:
            errors.append({"field": "body.lines", "message": f"{product} is not on the order"})
        elif quantity > outstanding[product]:
            errors.append(
                {
                    "field": "body.lines",
                    "message": f"{product}: {quantity} received, {outstanding[product]} due",
                }
            )
    if errors:
        raise InvalidRequest("the receipt does not match the purchase order", errors=errors)
