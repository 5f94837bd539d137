"""Production rules without I/O: BOM cycles, levels, explosion, the work-order lifecycle."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.errors import IllegalTransition
from erp.production.domain import (
    BomCycle,
    WorkOrderStatus,
    check_transition,
    explode,
    find_cycle,
    levels,
    requirements,
    shortages,
)

# A bike: frame and two wheels; a wheel is a rim and 32 spokes; a frame is 4 tubes.
BIKE = {
    "bike": {"frame": 1, "wheel": 2},
    "wheel": {"rim": 1, "spoke": 32},
    "frame": {"tube": 4},
}


def test_explosion_multiplies_down_every_level() -> None:
    assert explode(BIKE, "bike", 3) == {
        "frame": 3,
        "wheel": 6,
        "rim": 6,
        "spoke": 192,
        "tube": 12,
    }


def test_a_part_used_at_two_levels_adds_up() -> None:
    graph = {"a": {"b": 1, "c": 2}, "b": {"c": 3}}
    assert explode(graph, "a", 1) == {"b": 1, "c": 5}


def test_explosion_of_a_zero_quantity_is_refused() -> None:
    with pytest.raises(ValueError):
        explode(BIKE, "bike", 0)


def test_levels_put_a_part_below_its_deepest_user() -> None:
    graph = {"a": {"b": 1, "c": 1}, "b": {"c": 1}}
    assert levels(graph) == {"a": 0, "b": 1, "c": 2}


def test_a_direct_self_reference_is_a_cycle() -> None:
    assert find_cycle(BIKE, "wheel", ["wheel"]) == ["wheel", "wheel"]


def test_an_indirect_cycle_is_found_with_its_path() -> None:
    # A spoke made of bikes would make the bike contain itself.
    assert find_cycle(BIKE, "spoke", ["bike"]) == ["spoke", "bike", "wheel", "spoke"]


def test_replacing_a_bom_ignores_its_old_lines() -> None:
    assert find_cycle(BIKE, "bike", ["frame", "rim"]) is None


def test_levels_refuse_a_graph_with_a_cycle() -> None:
    with pytest.raises(BomCycle):
        levels({"a": {"b": 1}, "b": {"a": 1}})


@st.composite
def acyclic_graphs(draw: st.DrawFn) -> dict[int, dict[int, int]]:
    """Products 0..n-1 where a product only uses higher-numbered parts: never a cycle."""
    n = draw(st.integers(2, 8))
    graph: dict[int, dict[int, int]] = {}
    for parent in range(n - 1):
        children = draw(st.sets(st.integers(parent + 1, n - 1), max_size=3))
        if children:
            graph[parent] = {c: draw(st.integers(1, 5)) for c in children}
    return graph


@given(acyclic_graphs(), st.integers(1, 50))
def test_explosion_needs_at_least_one_level_of_each_part(
    graph: dict[int, dict[int, int]], quantity: int
) -> None:
    needed = explode(graph, 0, quantity)
    assert all(q > 0 for q in needed.values())
    for child, per_unit in graph.get(0, {}).items():
        assert needed[child] >= per_unit * quantity
    # Levels are consistent with every edge of the graph.
    level = levels(graph)
    assert all(level[c] > level[p] for p, cs in graph.items() for c in cs)


@given(acyclic_graphs(), st.data())
def test_closing_a_path_back_to_the_top_is_always_refused(
    graph: dict[int, dict[int, int]], data: st.DataObject
) -> None:
    if not graph.get(0):
        return
    # No part of product 0, at any level, may use product 0.
    part = data.draw(st.sampled_from(sorted(explode(graph, 0, 1))))
    cycle = find_cycle(graph, part, [0])
    assert cycle is not None and cycle[0] == cycle[-1] == part


def test_requirements_and_shortages() -> None:
    need = requirements({"rim": 1, "spoke": 32}, 2)
    assert need == {"rim": 2, "spoke": 64}
    short = shortages(need, {"rim": 5, "spoke": 60})
    assert [(s.product, s.required, s.available, s.missing) for s in short] == [
        ("spoke", 64, 60, 4)
    ]


def test_work_orders_move_forward_only() -> None:
    check_transition("planned", WorkOrderStatus.RELEASED)
    check_transition("released", WorkOrderStatus.COMPLETED)
    with pytest.raises(IllegalTransition):
        check_transition("planned", WorkOrderStatus.COMPLETED)
    with pytest.raises(IllegalTransition):
        check_transition("completed", WorkOrderStatus.CANCELLED)
