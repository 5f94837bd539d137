"""Material requirements planning: net demand against stock and open supply, level by level.

Plain Python, no I/O.  The service gathers each product's ``Position`` and the BOMs; ``plan``
says what to make and what to buy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from erp.production.domain import BomGraph, levels

P = TypeVar("P", bound=Hashable)


@dataclass(frozen=True)
class Position:
    """What planning knows of one product (all warehouses together)."""

    on_hand: int = 0
    reserved: int = 0
    backordered: int = 0  # what confirmed orders still lack
    reorder_point: int = 0
    reorder_quantity: int = 0  # the smallest batch worth ordering or making
    open_supply: int = 0  # open work orders, purchase orders and requisitions
    committed: int = 0  # still to be consumed by open work orders (as a component)

    def net_requirement(self, dependent_demand: int = 0) -> int:
        """Demand not covered by free stock or supply already on its way; never negative."""
        demand = self.backordered + self.reorder_point + self.committed + dependent_demand
        covered = (self.on_hand - self.reserved) + self.open_supply
        return max(0, demand - covered)

    def batch(self, net_requirement: int) -> int:
        """How much to order for a net requirement: at least the reorder quantity."""
        return max(net_requirement, self.reorder_quantity) if net_requirement > 0 else 0


@dataclass(frozen=True)
class PlannedOrder(Generic[P]):
    product: P
    quantity: int
    make: bool  # True: a work order; False: a purchase requisition
    net_requirement: int
    dependent_demand: int


@dataclass
class Plan(Generic[P]):
    orders: list[PlannedOrder[P]] = field(default_factory=list)
    # Manufactured products with a net requirement but no BOM: nobody knows how to make them.
    without_bom: list[tuple[P, int]] = field(default_factory=list)  # (product, net)

    def quantity(self, product: P) -> int:
        return sum(o.quantity for o in self.orders if o.product == product)


def plan(
    positions: Mapping[P, Position],
    boms: BomGraph[P],
    manufactured: Collection[P] = (),
) -> Plan[P]:
    """Plan supply for every product in ``positions`` and every part of the ``boms``.

    Products are netted from the top of the BOMs down (by low-level code), so a part's demand
    from every assembly planned above it is known before it is netted.  A product with a BOM is
    made; one marked ``manufactured`` without a BOM is reported; anything else is bought.
    """
    level = levels(boms)
    products = set(positions) | set(level)
    dependent: dict[P, int] = defaultdict(int)
    result: Plan[P] = Plan()
    for product in sorted(products, key=lambda p: (level.get(p, 0), str(p))):
        position = positions.get(product, Position())
        net = position.net_requirement(dependent[product])
        if net == 0:
            continue
        components = boms.get(product)
        if not components and product in manufactured:
            result.without_bom.append((product, net))
            continue
        quantity = position.batch(net)
        result.orders.append(
            PlannedOrder(product, quantity, bool(components), net, dependent[product])
        )
        for part, per_unit in (components or {}).items():
            dependent[part] += per_unit * quantity
    return result
