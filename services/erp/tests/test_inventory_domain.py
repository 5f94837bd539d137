"""Stock rules without I/O: choosing warehouses and lots."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from erp.inventory.domain import allocate, pick_fifo

stock = st.dictionaries(st.sampled_from("ABCDE"), st.integers(-5, 50), max_size=5)


@given(requested=st.integers(1, 200), available=stock)
def test_an_allocation_never_takes_more_than_exists_or_was_asked(
    requested: int, available: dict[str, int]
) -> None:
    plan = allocate(requested, available)
    assert plan.reserved + plan.missing == requested
    for warehouse, quantity in plan.picks:
        assert 0 < quantity <= available[warehouse]
    assert len({w for w, _ in plan.picks}) == len(plan.picks)
    assert plan.missing == max(0, requested - sum(q for q in available.values() if q > 0))


def test_one_warehouse_that_has_everything_is_preferred() -> None:
    assert allocate(5, {"A": 4, "B": 6, "C": 9}).picks == [("C", 5)]
    assert allocate(8, {"A": 4, "B": 6}).picks == [("B", 6), ("A", 2)]


def test_a_request_must_be_positive() -> None:
    with pytest.raises(ValueError):
        allocate(0, {"A": 1})


lots = st.lists(
    st.tuples(st.text(max_size=3), st.integers(0, 30), st.integers(1, 1000)),
    max_size=6,
    unique_by=lambda lot: lot[2],
)


@given(lots=lots, quantity=st.integers(1, 100))
def test_picking_takes_whole_older_lots_before_newer_ones(
    lots: list[tuple[str, int, int]], quantity: int
) -> None:
    picks = pick_fifo(lots, quantity)
    assert sum(q for _, q in picks) == min(quantity, sum(q for _, q, _ in lots))
    stocked = [lot for lot in sorted(lots, key=lambda x: x[2]) if lot[1] > 0]
    # Every pick but the last empties its lot, and the picks follow receipt order.
    for i, (lot, taken) in enumerate(picks):
        assert lot == stocked[i][0]
        if i < len(picks) - 1:
            assert taken == stocked[i][1]


def test_the_oldest_lot_goes_first() -> None:
    assert pick_fifo([("NEW", 5, 9), ("OLD", 2, 3)], 4) == [("OLD", 2), ("NEW", 2)]
