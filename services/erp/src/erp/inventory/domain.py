"""Stock rules: how a request is split over warehouses.  Plain Python, no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

W = TypeVar("W")
L = TypeVar("L")


@dataclass(frozen=True)
class Allocation(Generic[W]):
    picks: list[tuple[W, int]]
    missing: int

    @property
    def reserved(self) -> int:
        return sum(q for _, q in self.picks)


def allocate(requested: int, available: Mapping[W, int]) -> Allocation[W]:
    """Choose warehouses for ``requested`` units.

    One warehouse that can ship everything is preferred (one parcel, one pick); among those,
    the one with most stock.  Otherwise the request is split over warehouses from the fullest
    down, and whatever none of them has is missing (to be backordered).
    """
    if requested <= 0:
        raise ValueError("requested quantity must be positive")
    stocked = sorted(((w, q) for w, q in available.items() if q > 0), key=lambda wq: -wq[1])
    if stocked and stocked[0][1] >= requested:
        return Allocation([(stocked[0][0], requested)], 0)
    picks: list[tuple[W, int]] = []
    remaining = requested
    for warehouse, quantity in stocked:
        take = min(quantity, remaining)
        picks.append((warehouse, take))
        remaining -= take
        if remaining == 0:
            break
    return Allocation(picks, remaining)


def pick_fifo(lots: Sequence[tuple[L, int, int]], quantity: int) -> list[tuple[L, int]]:
    """Choose lots for ``quantity`` units, first received first: ``lots`` are (lot, on hand,
    receipt sequence).  Returns (lot, units) picks; they fall short only if the lots do."""
    picks: list[tuple[L, int]] = []
    remaining = quantity
    for lot, on_hand, _sequence in sorted(lots, key=lambda lot: lot[2]):
        if remaining <= 0:
            break
        take = min(on_hand, remaining)
        if take > 0:
            picks.append((lot, take))
            remaining -= take
    return picks
