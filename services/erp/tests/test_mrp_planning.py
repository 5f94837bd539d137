"""MRP netting without I/O: what is planned, at which level, and the invariants of any plan."""

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from erp.production.planning import Plan, Position, plan

BIKE = {"bike": {"frame": 1, "wheel": 2}, "wheel": {"rim": 1, "spoke": 32}}


def test_net_requirement_follows_the_formula() -> None:
    position = Position(on_hand=10, reserved=4, backordered=5, reorder_point=3, open_supply=2)
    # 5 backordered + 3 reorder point - (10 - 4) free - 2 on the way
    assert position.net_requirement() == 0
    assert position.net_requirement(dependent_demand=4) == 4
    assert Position(on_hand=100).net_requirement() == 0


def test_a_backorder_of_a_bike_explodes_into_wheels_and_spokes() -> None:
    result = plan(
        {
            "bike": Position(backordered=3),
            "wheel": Position(on_hand=2),
            "spoke": Position(on_hand=100, reorder_quantity=500),
            "frame": Position(open_supply=1),
        },
        BIKE,
        manufactured={"bike", "wheel", "frame"},
    )
    planned = {o.product: (o.quantity, o.make) for o in result.orders}
    assert planned == {
        "bike": (3, True),
        "wheel": (4, True),  # 6 needed, 2 on hand
        "rim": (4, False),
        "spoke": (500, False),  # 128 needed, 100 on hand: the batch is the reorder quantity
    }
    # 3 frames needed, 1 on the way; frames are made, but nobody said how.
    assert result.without_bom == [("frame", 2)]


def test_a_manufactured_product_without_a_bom_is_reported_not_bought() -> None:
    result = plan({"gearbox": Position(backordered=2)}, {}, manufactured={"gearbox"})
    assert result.orders == []
    assert result.without_bom == [("gearbox", 2)]


def test_open_work_order_needs_count_as_demand_for_their_components() -> None:
    result = plan({"rim": Position(on_hand=5, committed=8)}, {})
    assert [(o.product, o.quantity) for o in result.orders] == [("rim", 3)]


def test_nothing_is_planned_without_demand() -> None:
    result = plan({"bike": Position(on_hand=0), "rim": Position()}, BIKE, {"bike", "wheel"})
    assert result.orders == []


positions = st.builds(
    Position,
    on_hand=st.integers(0, 50),
    reserved=st.integers(0, 50),
    backordered=st.integers(0, 50),
    reorder_point=st.integers(0, 20),
    reorder_quantity=st.integers(0, 40),
    open_supply=st.integers(0, 30),
    committed=st.integers(0, 30),
).filter(lambda p: p.reserved <= p.on_hand)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[dict[int, Position], dict[int, dict[int, int]]]:
    n = draw(st.integers(1, 7))
    boms: dict[int, dict[int, int]] = {}
    for parent in range(n - 1):
        children = draw(st.sets(st.integers(parent + 1, n - 1), max_size=3))
        if children:
            boms[parent] = {c: draw(st.integers(1, 4)) for c in children}
    known = {p: draw(positions) for p in range(n) if draw(st.booleans())}
    return known, boms


def _dependent_demand(result: Plan[int], boms: dict[int, dict[int, int]]) -> dict[int, int]:
    demand: dict[int, int] = defaultdict(int)
    for order in result.orders:
        for part, per_unit in boms.get(order.product, {}).items():
            demand[part] += per_unit * order.quantity
    return demand


@given(scenarios())
def test_a_plan_never_plans_nothing_or_negative_quantities(
    scenario: tuple[dict[int, Position], dict[int, dict[int, int]]],
) -> None:
    known, boms = scenario
    result = plan(known, boms)
    assert all(order.quantity > 0 for order in result.orders)
    assert len({o.product for o in result.orders}) == len(result.orders)


@given(scenarios())
def test_planned_supply_covers_every_net_requirement_and_no_more_than_a_batch(
    scenario: tuple[dict[int, Position], dict[int, dict[int, int]]],
) -> None:
    known, boms = scenario
    result = plan(known, boms)
    demand = _dependent_demand(result, boms)
    products = set(known) | set(boms) | {c for cs in boms.values() for c in cs}
    for product in products:
        position = known.get(product, Position())
        net = position.net_requirement(demand[product])
        planned = result.quantity(product)
        assert planned >= net
        assert planned == position.batch(net)


@given(scenarios())
def test_what_has_a_bom_is_made_and_everything_else_bought(
    scenario: tuple[dict[int, Position], dict[int, dict[int, int]]],
) -> None:
    known, boms = scenario
    result = plan(known, boms)
    for order in result.orders:
        assert order.make == (order.product in boms)
